/**
 * One section per control: rule, rationale, how many resources pass / fail / are unknown / do not
 * apply, the failing resources with their evidence, and the remediation (portal, CLI, Bicep).
 * The tenant report lists failures by subscription and the first failing resources (its resource
 * table lists every failure); subscription and resource reports list every finding in full.
 */
import type { Canvas } from "@/lib/report/pdf/canvas";
import { stackedBar } from "@/lib/report/pdf/charts";
import { exceptionFor, resourceName, subscriptionName, type ControlStats, type ReportContext } from "@/lib/report/pdf/context";
import { formatCount, formatExpiry, formatValue, plural } from "@/lib/report/pdf/format";
import type { ReportFinding } from "@/lib/report/model";
import { idKey } from "@/lib/posture/ids";
import { COLOR, CONTENT_WIDTH, PAGE, REASON_LABEL, SEVERITY_STYLE, SIZE, STATUS_STYLE } from "@/lib/report/pdf/theme";
import { FAMILY_TITLES } from "@/lib/posture/controls";

const TENANT_SAMPLE = 20;
const TENANT_SUBSCRIPTIONS = 12;
const UNKNOWN_LIMIT = 60;

export function drawControls(canvas: Canvas, ctx: ReportContext, number: number): void {
  const parent = canvas.h1(`${number}. Controls`);
  canvas.para(
    "Each control below gives its rule, why it matters, how the resources in scope fare, " +
      (ctx.kind === "tenant"
        ? "where the failures are (by subscription, with the first failing resources; the resource table in the next section lists every failure, and each subscription's report gives full evidence), "
        : "every failing resource with the evidence it was judged on (document path, actual value, expected value), ") +
      "and how to remediate in the Azure portal, with the Azure CLI and in Bicep.",
    { after: 8 },
  );
  canvas.table(
    [
      { title: "Control", width: 50 },
      { title: "Title", width: 236 },
      { title: "Severity", width: 48 },
      { title: "Pass", width: 38, align: "right" },
      { title: "Fail", width: 38, align: "right" },
      { title: "Unknown", width: 48, align: "right" },
      { title: "N/A", width: 37, align: "right" },
    ],
    ctx.controls.map((c) => [
      { text: c.control.id, face: "bold" as const },
      c.control.title,
      { text: SEVERITY_STYLE[c.control.severity].label, color: SEVERITY_STYLE[c.control.severity].color },
      formatCount(c.counts.pass),
      { text: formatCount(c.counts.fail), face: c.counts.fail > 0 ? ("bold" as const) : undefined, color: c.counts.fail > 0 ? COLOR.fail : undefined },
      formatCount(c.counts.unknown),
      formatCount(c.counts.not_applicable),
    ]),
    { size: SIZE.small, zebra: true },
  );
  for (const stats of ctx.controls) drawControl(canvas, ctx, stats, parent);
}

function drawControl(canvas: Canvas, ctx: ReportContext, stats: ControlStats, parent: PDFKit.PDFOutline): void {
  const { control, counts } = stats;
  canvas.newPage();
  canvas.bookmark(`${control.id} ${control.title}`, 2, parent);
  const x = PAGE.marginX;
  canvas.text(`${FAMILY_TITLES[control.family].toUpperCase()} · ${SEVERITY_STYLE[control.severity].label.toUpperCase()} SEVERITY`, x, canvas.y, {
    face: "bold",
    size: SIZE.micro,
    color: SEVERITY_STYLE[control.severity].color,
  });
  canvas.y += 10;
  canvas.text(control.id, x, canvas.y, { face: "bold", size: SIZE.h1, color: COLOR.accent });
  const idW = canvas.width(control.id, { face: "bold", size: SIZE.h1 });
  const titleLines = canvas.wrap(control.title, CONTENT_WIDTH - idW - 10, { face: "bold", size: SIZE.h2 });
  let ty = canvas.y + 3;
  for (const line of titleLines) {
    canvas.text(line, x + idW + 10, ty, { face: "bold", size: SIZE.h2, color: COLOR.ink });
    ty += SIZE.h2 * 1.25;
  }
  canvas.y = Math.max(canvas.y + SIZE.h1 * 1.3, ty) + 2;
  canvas.line(x, canvas.y, x + CONTENT_WIDTH, canvas.y, COLOR.accent, 1);
  canvas.y += 8;

  // Counts.
  const unit = ctx.kind === "resource" ? "This resource" : `${plural(stats.all.length, "resource")}`;
  canvas.para(
    ctx.kind === "resource"
      ? `${unit}: ${statusWord(stats.all[0]?.status)}${stats.all[0]?.muted ? " (muted)" : ""}.`
      : `${unit}: ${formatCount(counts.pass)} pass, ${formatCount(counts.fail)} fail, ${formatCount(counts.unknown)} unknown, ${formatCount(counts.not_applicable)} not applicable; ${formatCount(counts.muted)} muted.`,
    { face: "bold", color: COLOR.ink, after: 4 },
  );
  if (ctx.kind !== "resource") {
    canvas.y +=
      stackedBar(
        canvas,
        x,
        canvas.y,
        CONTENT_WIDTH,
        [
          { label: "pass", value: counts.pass, color: STATUS_STYLE.pass.color, symbol: STATUS_STYLE.pass.symbol },
          { label: "fail", value: counts.fail, color: STATUS_STYLE.fail.color, symbol: STATUS_STYLE.fail.symbol },
          { label: "unknown", value: counts.unknown, color: STATUS_STYLE.unknown.color, symbol: STATUS_STYLE.unknown.symbol },
          {
            label: "n/a",
            value: counts.not_applicable,
            color: COLOR.naFill,
            symbol: STATUS_STYLE.not_applicable.symbol,
            textColor: STATUS_STYLE.not_applicable.color,
          },
        ],
        { height: 8 },
      ) + 6;
  }

  canvas.h3("Rule", 20);
  canvas.para(control.rule.replace(/`/g, ""), { size: SIZE.small, after: 6 });
  canvas.h3("Why it matters", 20);
  canvas.para(control.rationale, { size: SIZE.small, after: 6 });
  const refs: [string, string][] = [];
  if (control.references.azurePolicy) refs.push(["Azure Policy", `${control.references.azurePolicy.name} (${control.references.azurePolicy.id})`]);
  if (control.references.mcsb?.length) refs.push(["Cloud security benchmark", control.references.mcsb.join(", ")]);
  if (control.references.nist?.length) refs.push(["NIST SP 800-53 Rev. 5", control.references.nist.join(", ")]);
  if (control.references.defender) refs.push(["Defender for Cloud", control.references.defender]);
  if (refs.length) {
    canvas.h3("Mappings", 20);
    canvas.keyValues(refs, { labelWidth: 120, size: SIZE.small });
    canvas.y += 4;
  }

  if (ctx.kind === "tenant") drawTenantFailures(canvas, ctx, stats);
  else drawFindings(canvas, ctx, ctx.kind === "resource" ? stats.all : stats.failing, ctx.kind === "resource" ? "Finding" : "Failing resources");
  if (ctx.kind !== "resource") drawUnknown(canvas, ctx, stats);

  if (counts.fail > 0) drawRemediation(canvas, stats);
  else {
    canvas.h3("Remediation", 14);
    canvas.para(
      ctx.kind === "resource" && stats.all[0]?.status !== "fail" ? "Nothing to remediate for this control." : "No resource in scope fails this control.",
      {
        size: SIZE.small,
        color: COLOR.muted,
      },
    );
  }
}

function statusWord(status: string | undefined): string {
  const st = STATUS_STYLE[status ?? ""];
  return st ? `${st.symbol} ${st.label}` : "no finding";
}

function drawTenantFailures(canvas: Canvas, ctx: ReportContext, stats: ControlStats): void {
  const failing = stats.failing;
  canvas.h3(`Failing resources (${formatCount(failing.length)})`, 30);
  if (failing.length === 0) {
    canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
    return;
  }
  const bySub = [...stats.failBySubscription.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  canvas.para(`In ${plural(bySub.length, "subscription")}. Most affected:`, { size: SIZE.small, after: 3 });
  canvas.table(
    [
      { title: "Subscription", width: 200 },
      { title: "Subscription ID", width: 215, face: "mono" },
      { title: "Failing", width: 80, align: "right" },
    ],
    bySub.slice(0, TENANT_SUBSCRIPTIONS).map(([key, n]) => {
      const s = ctx.subscriptions.get(key);
      return [s?.displayName ?? "—", s?.subscriptionId ?? key, formatCount(n)];
    }),
    { size: SIZE.tiny, zebra: true },
  );
  canvas.para(`First ${formatCount(Math.min(TENANT_SAMPLE, failing.length))} failing resources:`, { size: SIZE.small, after: 3 });
  canvas.table(
    [
      { title: "Resource", width: 120 },
      { title: "Subscription", width: 100 },
      { title: "Why it fails", width: 275, maxLines: 2 },
    ],
    failing
      .slice(0, TENANT_SAMPLE)
      .map((f) => [
        { text: `${resourceName(ctx, f.resourceId)}${f.muted ? " (muted)" : ""}`, face: "bold" as const },
        subscriptionName(ctx, f.subscriptionId),
        f.message,
      ]),
    { size: SIZE.tiny, zebra: true },
  );
  if (failing.length > TENANT_SAMPLE) {
    canvas.para(
      `… and ${formatCount(failing.length - TENANT_SAMPLE)} more: every failure is in the resource table; evidence is in each subscription's report and the JSON export.`,
      {
        size: SIZE.tiny,
        color: COLOR.muted,
      },
    );
  }
}

function drawFindings(canvas: Canvas, ctx: ReportContext, findings: readonly ReportFinding[], title: string): void {
  canvas.h3(`${title} (${formatCount(findings.length)})`, 30);
  if (findings.length === 0) {
    canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
    return;
  }
  const x = PAGE.marginX;
  for (const f of findings) {
    const resource = ctx.resources.get(idKey(f.resourceId));
    canvas.ensure(70);
    canvas.line(x, canvas.y, x + CONTENT_WIDTH, canvas.y, COLOR.rule, 0.4);
    canvas.y += 5;
    const badgeW = canvas.badge(f.status, x + CONTENT_WIDTH, canvas.y - 1, { size: SIZE.tiny, muted: f.muted === true, alignRight: true });
    canvas.text(resourceName(ctx, f.resourceId), x, canvas.y, { face: "bold", size: SIZE.body, color: COLOR.ink, width: CONTENT_WIDTH - badgeW - 12 });
    canvas.y += SIZE.body * 1.35;
    const where = [resource?.resourceGroup ? `resource group ${resource.resourceGroup}` : null, resource?.location, resource?.kind].filter(Boolean).join(" · ");
    if (where) canvas.para(where, { size: SIZE.tiny, color: COLOR.muted, after: 1 });
    canvas.para(f.resourceId, { face: "mono", size: 6.3, color: COLOR.muted, after: 3 });
    canvas.para(f.message, { size: SIZE.small, after: 3 });
    if (f.status === "unknown" && f.reason) canvas.para(`Reason: ${REASON_LABEL[f.reason] ?? f.reason}`, { size: SIZE.small, color: COLOR.unknown, after: 3 });
    if (f.muted) {
      const x2 = exceptionFor(ctx, f);
      canvas.para(
        x2
          ? `Muted by an exception: owner ${x2.owner ?? "—"}; reason: ${x2.reason ?? "—"}; expires ${formatExpiry(x2.expiresAt)}.`
          : "Muted by an active exception (the exception record is not part of this result).",
        { size: SIZE.small, color: COLOR.muteInk, after: 3 },
      );
    }
    const evidence = f.evidence ?? [];
    if (evidence.length) {
      canvas.table(
        [
          { title: "Evidence: document and path", width: 235, face: "mono", maxLines: 6 },
          { title: "Actual", width: 130, face: "mono", maxLines: 6 },
          { title: "Expected", width: 130, maxLines: 6 },
        ],
        evidence.map((e) => [e.path, formatValue(e.actual), formatValue(e.expected)]),
        { size: 6.4, headerSize: SIZE.micro, padY: 2 },
      );
    }
    canvas.y += 2;
  }
}

function drawUnknown(canvas: Canvas, ctx: ReportContext, stats: ControlStats): void {
  if (stats.unknown.length === 0) return;
  canvas.h3(`Could not be judged (${formatCount(stats.unknown.length)})`, 30);
  const byReason = new Map<string, number>();
  for (const f of stats.unknown) byReason.set(f.reason ?? "collection_error", (byReason.get(f.reason ?? "collection_error") ?? 0) + 1);
  canvas.para([...byReason.entries()].map(([r, n]) => `${REASON_LABEL[r] ?? r}: ${formatCount(n)}`).join(" · "), { size: SIZE.small, after: 4 });
  if (ctx.kind === "tenant") return;
  canvas.table(
    [
      { title: "Resource", width: 120 },
      { title: "Reason", width: 75 },
      { title: "Detail", width: 300, maxLines: 3 },
    ],
    stats.unknown
      .slice(0, UNKNOWN_LIMIT)
      .map((f) => [
        { text: resourceName(ctx, f.resourceId), face: "bold" as const },
        { text: REASON_LABEL[f.reason ?? ""] ?? f.reason ?? "—", color: COLOR.unknown },
        f.message,
      ]),
    { size: SIZE.tiny, zebra: true },
  );
  if (stats.unknown.length > UNKNOWN_LIMIT)
    canvas.para(`… and ${formatCount(stats.unknown.length - UNKNOWN_LIMIT)} more.`, { size: SIZE.tiny, color: COLOR.muted });
}

function drawRemediation(canvas: Canvas, stats: ControlStats): void {
  const r = stats.control.remediation;
  canvas.h3("Remediation", 40);
  canvas.text("In the Azure portal", PAGE.marginX, canvas.y, { face: "bold", size: SIZE.small, color: COLOR.muted });
  canvas.y += SIZE.small * 1.5;
  canvas.list(r.portal, { numbered: true, size: SIZE.small });
  canvas.code(r.cli, { label: "Azure CLI" });
  canvas.code(r.bicep, { label: "Bicep" });
}
