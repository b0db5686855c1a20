/**
 * The executive summary: score, status mix, failures by severity and by control (vector charts),
 * what changed since the previous scan, and coverage with the reasons findings are unknown.
 */
import type { FindingChange } from "@/lib/report/changes";
import type { Canvas } from "@/lib/report/pdf/canvas";
import { barChart, scoreRing, stackedBar, type Bar } from "@/lib/report/pdf/charts";
import { resourceName, subscriptionName, type ReportContext } from "@/lib/report/pdf/context";
import { formatCount, formatTime, plural } from "@/lib/report/pdf/format";
import { COLOR, CONTENT_WIDTH, PAGE, REASON_LABEL, SEVERITY_STYLE, SIZE, STATUS_STYLE } from "@/lib/report/pdf/theme";
import { SEVERITY_WEIGHT } from "@/lib/posture/score";
import { SEVERITIES } from "@/lib/posture/vocabulary";

const REASON_TEXT: Record<string, string> = {
  not_collected: "the scan did not collect the data the control reads (e.g. a bare Resource Graph export without diagnostic settings or role assignments)",
  not_visible: "a linked storage account or key vault is outside the subscriptions the scan could read",
  access_denied: "the scanning identity was refused access",
  network_blocked: "the data plane could not be reached over the network (e.g. private endpoint only)",
  collection_error: "a call failed for another reason (see the appendix for the errors recorded)",
};

export function drawSummary(canvas: Canvas, ctx: ReportContext): void {
  canvas.h1("1. Executive summary");
  const x = PAGE.marginX;
  const { result } = ctx;
  const counts = result.summary.counts;
  const top = canvas.y;
  scoreRing(canvas, x + 52, top + 52, 44, result.summary.score, "Score");

  const tx = x + 130;
  const tw = CONTENT_WIDTH - 130;
  canvas.y = top;
  const judged = counts.pass + counts.fail;
  const total = judged + counts.unknown + counts.not_applicable;
  const failingResources = new Set(result.findings.filter((f) => f.status === "fail").map((f) => f.resourceId.toLowerCase())).size;
  const lead =
    ctx.kind === "resource"
      ? `This resource fails ${plural(counts.fail, "control")} of 18; ${plural(counts.unknown, "control")} could not be judged.`
      : `${plural(result.summary.resources, "Speech resource")}${ctx.kind === "tenant" ? ` in ${plural(result.subscriptions.length, "subscription")}` : ""}: ` +
        `${formatCount(failingResources)} ${failingResources === 1 ? "has" : "have"} at least one failing control. ` +
        `${formatCount(counts.fail)} of ${formatCount(judged)} judged findings fail.`;
  canvas.para(lead, { x: tx, width: tw, size: SIZE.h3, color: COLOR.ink, face: "bold", after: 6 });
  canvas.para(
    `Findings: one per resource and control (${formatCount(total)}). ${formatCount(counts.muted ?? 0)} ${counts.muted === 1 ? "is" : "are"} muted by an active exception; muting never changes a status or the score.`,
    { x: tx, width: tw, size: SIZE.small, color: COLOR.muted, after: 8 },
  );
  canvas.y += stackedBar(canvas, tx, canvas.y, tw, [
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
  ]);
  canvas.y = Math.max(canvas.y + 10, top + 128);

  // Failures by severity.
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
  for (const c of ctx.controls) bySeverity[c.control.severity] += c.counts.fail;
  canvas.h2("Failures by severity", { keepWith: 50 });
  const sevBars: Bar[] = SEVERITIES.map((s) => ({
    label: `${SEVERITY_STYLE[s].label} (weight ${SEVERITY_WEIGHT[s]})`,
    value: bySeverity[s],
    color: SEVERITY_STYLE[s].color,
  }));
  canvas.y += barChart(canvas, x, canvas.y, CONTENT_WIDTH, sevBars, { labelWidth: 120, barHeight: 10 }) + 8;

  // Failures by control.
  canvas.h2("Failures by control", { keepWith: 18 * 13 });
  const max = Math.max(1, ...ctx.controls.map((c) => c.counts.fail + c.counts.pass + c.counts.unknown + c.counts.not_applicable));
  const ctlBars: Bar[] = ctx.controls.map((c) => {
    const applicable = c.counts.pass + c.counts.fail;
    return {
      label: `${c.control.id} · ${SEVERITY_STYLE[c.control.severity].label[0]} · ${c.control.title}`,
      value: c.counts.fail,
      color: SEVERITY_STYLE[c.control.severity].color,
      note: applicable > 0 ? `of ${formatCount(applicable)}` : "",
    };
  });
  canvas.y += barChart(canvas, x, canvas.y, CONTENT_WIDTH, ctlBars, {
    labelWidth: 250,
    barHeight: 8,
    gap: 4.2,
    max: ctx.kind === "resource" ? 1 : max,
    valueWidth: 70,
  });
  canvas.para(
    "Bars are scaled to the number of resources; H, M, L give the control's severity. The number after each bar is failures of judged (pass + fail) findings.",
    {
      size: SIZE.tiny,
      color: COLOR.muted,
      after: 10,
    },
  );

  drawChanges(canvas, ctx);
  drawCoverage(canvas, ctx);
}

function drawChanges(canvas: Canvas, ctx: ReportContext): void {
  canvas.h2("What changed since the previous scan", { keepWith: 40 });
  const changes = ctx.changes;
  if (!changes) {
    canvas.para("No previous scan was supplied, so changes cannot be shown.", { color: COLOR.muted });
    return;
  }
  const before = changes.scoreBefore === null ? "n/a" : String(changes.scoreBefore);
  const after = changes.scoreAfter === null ? "n/a" : String(changes.scoreAfter);
  canvas.para(
    `Compared with scan ${changes.previousScanId} (finished ${formatTime(changes.previousFinishedAt)}): score over the resources both scans hold ${before} → ${after}; ` +
      `${plural(changes.newFailures.length, "new failure")}, ${plural(changes.resolvedFailures.length, "resolved failure")}` +
      (changes.goneFailures.length > 0
        ? `, and ${plural(changes.goneFailures.length, "failure")} of resources no longer in the scan (gone, not resolved).`
        : "."),
    { after: 6 },
  );
  const { from, to } = changes.catalogVersions;
  if (from !== to) {
    canvas.para(
      `The previous scan was judged with control catalogue version ${from}, this one with version ${to}; the rules of ` +
        `${changes.ruleChangedControls.join(", ") || "no control"} changed between them. Changes of those controls are marked ` +
        "“rule change”: they may come from the rule, not from Azure.",
      { after: 6 },
    );
  }
  const LIMIT = ctx.kind === "tenant" ? 25 : 200;
  const rule = (c: FindingChange, note: string) => (c.ruleChange ? `${note} (rule change)` : note);
  const sections: [string, readonly FindingChange[], (c: FindingChange) => string][] = [
    ["New failures", changes.newFailures, (c) => rule(c, c.previousStatus ? `was ${c.previousStatus.replace("_", " ")}` : "new resource")],
    ["Resolved failures", changes.resolvedFailures, (c) => rule(c, c.status ? `now ${c.status.replace("_", " ")}` : "control no longer judged")],
    ["Gone with their resource (not resolved)", changes.goneFailures, () => "resource no longer in the scan"],
  ];
  for (const [title, list, note] of sections) {
    if (list.length === 0) continue;
    canvas.h3(`${title} (${formatCount(list.length)})`);
    const tenant = ctx.kind === "tenant";
    const rows = list
      .slice(0, LIMIT)
      .map((c) => [
        c.controlId,
        { text: resourceName(ctx, c.resourceId), face: "bold" as const },
        note(c),
        tenant ? subscriptionName(ctx, c.subscriptionId) : c.message,
      ]);
    canvas.table(
      [
        { title: "Control", width: 48 },
        { title: "Resource", width: 125 },
        { title: "Change", width: 72, maxLines: 2 },
        { title: tenant ? "Subscription" : "Finding", width: 250, maxLines: tenant ? 1 : 2 },
      ],
      rows,
      { size: SIZE.tiny, zebra: true },
    );
    if (list.length > LIMIT)
      canvas.para(`… and ${formatCount(list.length - LIMIT)} more (see the subscription reports or the JSON export).`, { size: SIZE.tiny, color: COLOR.muted });
  }
}

function drawCoverage(canvas: Canvas, ctx: ReportContext): void {
  canvas.h2("Coverage", { keepWith: 60 });
  const c = ctx.result.summary.counts;
  const total = c.pass + c.fail + c.unknown + c.not_applicable;
  const judged = c.pass + c.fail;
  const pct = (n: number) => (total === 0 ? "0%" : `${Math.round((100 * n) / total)}%`);
  canvas.para(
    `${formatCount(judged)} of ${formatCount(total)} findings (${pct(judged)}) could be judged pass or fail. ` +
      `${formatCount(c.not_applicable)} (${pct(c.not_applicable)}) do not apply (for example storage controls where no customer storage is linked). ` +
      `${formatCount(c.unknown)} (${pct(c.unknown)}) are unknown: the evidence they need could not be read. Unknown findings never count as passes.`,
    { after: 6 },
  );
  if (ctx.unknownByReason.size === 0) return;
  const bars: Bar[] = [...ctx.unknownByReason.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => ({ label: REASON_LABEL[reason] ?? reason, value: n, color: COLOR.unknown }));
  canvas.ensure(bars.length * 13 + 10);
  canvas.y += barChart(canvas, PAGE.marginX, canvas.y, CONTENT_WIDTH, bars, { labelWidth: 120, barHeight: 9 }) + 6;
  for (const [reason] of [...ctx.unknownByReason.entries()].sort((a, b) => b[1] - a[1])) {
    canvas.para(`${REASON_LABEL[reason] ?? reason}: ${REASON_TEXT[reason] ?? "reason recorded by the collector"}.`, {
      size: SIZE.small,
      color: COLOR.muted,
      after: 1,
    });
  }
}
