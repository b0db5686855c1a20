/** The cover: what the report covers, which scan, its score, and the hashes to verify it by. */
import type { Canvas } from "@/lib/report/pdf/canvas";
import { scoreRing } from "@/lib/report/pdf/charts";
import type { ReportContext } from "@/lib/report/pdf/context";
import { formatCount, formatTime } from "@/lib/report/pdf/format";
import { COLOR, CONTENT_WIDTH, PAGE, SIZE, STATUS_STYLE } from "@/lib/report/pdf/theme";
import { STATUSES } from "@/lib/posture/vocabulary";

export function drawCover(canvas: Canvas, ctx: ReportContext): void {
  const x = PAGE.marginX;
  const { result, full } = ctx;
  canvas.rect(0, 0, PAGE.width, 6, { fill: COLOR.accent });
  canvas.bookmark("Cover", 1);
  let y = 78;
  canvas.text("SPEECH POSTURE", x, y, { face: "bold", size: SIZE.small, color: COLOR.accent });
  y += 18;
  canvas.leaf("H1", () => canvas.text("Data-protection compliance report", x, y, { face: "bold", size: SIZE.title, color: COLOR.ink, width: CONTENT_WIDTH }));
  y += SIZE.title * 1.3;
  canvas.text(`Azure AI Speech · ${ctx.scopeLabel}`, x, y, { size: SIZE.h2, color: COLOR.muted, width: CONTENT_WIDTH });
  y += 30;
  canvas.line(x, y, x + CONTENT_WIDTH, y, COLOR.rule, 0.8);
  y += 16;

  // Score ring on the right, the facts on the left.
  scoreRing(
    canvas,
    x + CONTENT_WIDTH - 62,
    y + 62,
    50,
    result.summary.score,
    ctx.kind === "tenant"
      ? (ctx.input.tenants?.length ?? 0) > 1
        ? "Estate score"
        : "Tenant score"
      : ctx.kind === "subscription"
        ? "Subscription score"
        : "Resource score",
  );
  canvas.y = y;
  const sub = ctx.subscriptionId ? ctx.subscriptions.get(ctx.subscriptionId.toLowerCase()) : undefined;
  const resource = ctx.kind === "resource" ? result.resources[0] : undefined;
  const counts = result.summary.counts;
  const estate = ctx.kind === "tenant" && (ctx.input.tenants?.length ?? 0) > 1 ? ctx.input.tenants! : null;
  const rows: [string, unknown][] = [
    estate
      ? ["Tenants", estate.map((t) => (t.displayName ? `${t.displayName} (${t.tenantId})` : t.tenantId)).join(", ")]
      : ["Tenant", ctx.tenantId ?? "(not recorded in the scan)"],
  ];
  if (ctx.kind === "tenant") rows.push(["Subscriptions", formatCount(full.subscriptions.length)]);
  if (ctx.subscriptionId) rows.push(["Subscription", `${sub?.displayName ? `${sub.displayName} · ` : ""}${ctx.subscriptionId}`]);
  if (ctx.kind === "resource") rows.push(["Resource", resource?.id ?? ctx.resourceId ?? ""]);
  rows.push(
    ["Score", result.summary.score === null ? "n/a (nothing judged)" : `${result.summary.score} of 100`],
    ["Speech resources", formatCount(result.summary.resources)],
    ["Scan ID", full.scan.id],
    ["Scan started", formatTime(full.scan.startedAt)],
    ["Scan finished", formatTime(full.scan.finishedAt)],
    ["Source", sourceLabel(full.scan.source)],
    ["Origin", originLabel(full.scan.source)],
    ["Control catalogue", `version ${full.scan.catalogVersion ?? "—"} (18 controls)`],
    [
      "Findings",
      `${formatCount(counts.pass)} pass · ${formatCount(counts.fail)} fail · ${formatCount(counts.unknown)} unknown · ${formatCount(counts.not_applicable)} not applicable · ${formatCount(counts.muted ?? 0)} muted`,
    ],
    ["Report generated", formatTime(ctx.input.generatedAt)],
  );
  canvas.keyValues(rows, { labelWidth: 104, width: CONTENT_WIDTH - 140, size: SIZE.body });

  // Integrity.
  canvas.y = Math.max(canvas.y + 14, y + 200);
  const boxY = canvas.y;
  const hashes: [string, string, string][] = [
    [
      "SHA-256 of the scan's JSON export",
      ctx.fullSha256,
      "Computed over the canonical JSON of the whole scan result (object keys sorted, no white space) with the exceptions in force when this report was generated. The JSON export of the scan serves exactly that text: sha256sum of the download prints this value while the exceptions stay the same. The scan's own resultSha256 (API) covers the result without exceptions, so the two differ.",
    ],
  ];
  if (ctx.scopedSha256) {
    hashes.push([
      "SHA-256 of this subscription's JSON export",
      ctx.scopedSha256,
      "The JSON export filtered to this subscription (its findings, resources, errors and exceptions, with the summary recomputed) hashes to this value.",
    ]);
  }
  const boxX = x + 12;
  const boxW = CONTENT_WIDTH - 24;
  const noteLines = hashes.map(([, , note]) => canvas.wrap(note, boxW, { size: SIZE.tiny }));
  const blockH = (i: number) => 23 + noteLines[i].length * SIZE.tiny * 1.32;
  const boxH = 10 + hashes.reduce((sum, _, i) => sum + blockH(i) + (i > 0 ? 10 : 0), 0) + 6;
  canvas.rect(x, boxY, CONTENT_WIDTH, boxH, { fill: COLOR.panel, stroke: COLOR.rule, lineWidth: 0.6 });
  canvas.line(x, boxY, x, boxY + boxH, COLOR.accent, 2.5);
  let hy = boxY + 10;
  hashes.forEach(([label, hash, note], i) => {
    canvas.text(label.toUpperCase(), boxX, hy, { face: "bold", size: SIZE.micro, color: COLOR.accent });
    canvas.text(hash, boxX, hy + 10, { face: "mono", size: 8.6, color: COLOR.ink, width: boxW });
    canvas.y = hy + 23;
    canvas.para(note, { x: boxX, width: boxW, size: SIZE.tiny, color: COLOR.muted, after: 0 });
    hy += blockH(i) + 10;
  });
  canvas.y = boxY + boxH + 18;

  // How to read the report.
  canvas.text("HOW STATUSES ARE SHOWN", x, canvas.y, { face: "bold", size: SIZE.micro, color: COLOR.muted });
  canvas.y += 11;
  let lx = x;
  for (const key of STATUSES) {
    lx += canvas.badge(key, lx, canvas.y, { size: SIZE.tiny }) + 8;
  }
  canvas.text("MUTED: an active exception covers the finding (status and score unchanged)", lx + 4, canvas.y + 2.5, {
    size: SIZE.tiny,
    color: COLOR.muteInk,
    width: x + CONTENT_WIDTH - lx - 4,
  });
  canvas.y += 20;
  canvas.para(
    `${STATUS_STYLE.pass.label}: the evidence shows the control is met. ${STATUS_STYLE.fail.label}: the evidence shows it is not. ` +
      `${STATUS_STYLE.unknown.label}: the evidence needed could not be read (the reason is given). ${STATUS_STYLE.not_applicable.label}: the control does not apply. ` +
      "The score is Σ weight(pass) / Σ weight(pass + fail), rounded down, with weights high 3, medium 2, low 1; unknown and not-applicable findings count in neither.",
    { size: SIZE.tiny, color: COLOR.muted },
  );

  canvas.y += 10;
  canvas.text("SCOPE OF THE ASSESSMENT", x, canvas.y, { face: "bold", size: SIZE.micro, color: COLOR.muted });
  canvas.y += 11;
  const scope =
    ctx.kind === "tenant"
      ? `Every Azure AI Speech resource (kinds SpeechServices, AIServices and CognitiveServices) in the ${formatCount(full.subscriptions.length)} subscriptions the scan could list`
      : ctx.kind === "subscription"
        ? "Every Azure AI Speech resource (kinds SpeechServices, AIServices and CognitiveServices) in this subscription"
        : "This Azure AI Speech resource";
  canvas.para(
    `${scope}, with the storage accounts and key vaults they depend on, judged against the 18 controls of catalogue version ${full.scan.catalogVersion ?? "—"}: ` +
      "customer data in customer-owned storage (BYOS), customer-managed keys and key vault protection, network exposure, identity and shared-key access, " +
      "content and audit logging, and the Lockbox equivalent. The results follow from the scan's documents alone; the appendix says what could not be read.",
    { size: SIZE.small, color: COLOR.text },
  );

  drawSignOff(canvas, ctx, Math.max(canvas.y + 8, PAGE.height - PAGE.bottom - 30 - SIGN_OFF_HEIGHT - 10));

  canvas.y = PAGE.height - PAGE.bottom - 30;
  canvas.line(x, canvas.y, x + CONTENT_WIDTH, canvas.y, COLOR.rule, 0.5);
  canvas.y += 5;
  canvas.para(
    "Confidential: this report lists identifiers and configuration of Azure resources. Names and tags are printed as collected; characters the embedded font lacks are shown as [U+XXXX] code points.",
    { size: SIZE.tiny, color: COLOR.muted, x, width: CONTENT_WIDTH },
  );
}

/** An uploaded snapshot is an import: a reader must not take it for a collection. */
export function originLabel(source: string | null | undefined): string {
  return source === "snapshot"
    ? "IMPORTED from an uploaded snapshot file, not collected from Azure by this dashboard (the audit trail keeps the file's SHA-256)"
    : "collected by this dashboard";
}

const SIGN_OFF_HEIGHT = 64;

/**
 * Sign-off: who prepared the report (the user who generated it, when known), who reviewed it, and
 * when, each with room for a signature, so a printed copy can be filed as a reviewed record.
 */
function drawSignOff(canvas: Canvas, ctx: ReportContext, top: number): void {
  const x = PAGE.marginX;
  canvas.y = top;
  canvas.text("SIGN-OFF", x, top, { face: "bold", size: SIZE.micro, color: COLOR.muted });
  const boxY = top + 11;
  canvas.rect(x, boxY, CONTENT_WIDTH, SIGN_OFF_HEIGHT - 11, { stroke: COLOR.rule, lineWidth: 0.6 });
  const columns: [string, string][] = [
    ["Prepared by", ctx.input.preparedBy ?? ""],
    ["Reviewed by", ""],
    ["Date", ""],
  ];
  const widths = [CONTENT_WIDTH * 0.4, CONTENT_WIDTH * 0.4, CONTENT_WIDTH * 0.2];
  let cx = x;
  columns.forEach(([label, value], i) => {
    const w = widths[i];
    if (i > 0) canvas.line(cx, boxY, cx, boxY + SIGN_OFF_HEIGHT - 11, COLOR.rule, 0.6);
    canvas.text(label, cx + 6, boxY + 5, { face: "bold", size: SIZE.tiny, color: COLOR.ink, width: w - 12 });
    if (value) canvas.text(value, cx + 6, boxY + 15, { size: SIZE.tiny, color: COLOR.text, width: w - 12 });
    canvas.line(cx + 6, boxY + SIGN_OFF_HEIGHT - 22, cx + w - 6, boxY + SIGN_OFF_HEIGHT - 22, COLOR.faint, 0.5);
    canvas.text(i === 2 ? "yyyy-mm-dd" : "Name and signature", cx + 6, boxY + SIGN_OFF_HEIGHT - 20, { size: SIZE.micro, color: COLOR.muted, width: w - 12 });
    cx += w;
  });
  canvas.y = boxY + SIGN_OFF_HEIGHT - 11 + 6;
}

export function sourceLabel(source: string | null | undefined): string {
  switch (source) {
    case "live":
      return "live: Azure Resource Graph, ARM and the Speech data plane";
    case "emulator":
      return "emulator: the built-in synthetic tenant (not real Azure data)";
    case "snapshot":
      return "snapshot: a snapshot file evaluated offline";
    default:
      return source ? String(source) : "—";
  }
}
