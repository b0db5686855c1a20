/**
 * Appendix on method: where the data came from, what could not be read (the result's errors),
 * how statuses and scores are computed, how to verify the hash, and the control mappings.
 */
import { CATALOG } from "@/lib/posture/controls";
import { exportFilename } from "@/lib/report/export";
import type { Canvas } from "@/lib/report/pdf/canvas";
import type { ReportContext } from "@/lib/report/pdf/context";
import { formatCount, formatTime, plural } from "@/lib/report/pdf/format";
import { COLOR, REASON_LABEL, SEVERITY_STYLE, SIZE } from "@/lib/report/pdf/theme";
import { sourceLabel } from "./cover";
import { scopeLines } from "@/lib/report/pdf/resource-lines";

const ERROR_LIMIT = 500;

export function drawMethod(canvas: Canvas, ctx: ReportContext, number: number): void {
  const parent = canvas.h1(`${number}. Appendix: method`);
  const { full, result } = ctx;
  const snapshot = ctx.input.snapshot;

  canvas.h2("Data sources", { bookmark: { parent, level: 2 } });
  canvas.keyValues(
    [
      ["Scan source", sourceLabel(full.scan.source)],
      ["Documents collected", formatTime(snapshot?.collectedAt ?? null)],
      ["Collected data", snapshot ? snapshot.coverage.join(", ") : "(snapshot not supplied with this report)"],
      ["Subscriptions listed", formatCount(full.subscriptions.length)],
      ["Scope of this report", ctx.scopeLabel],
    ],
    { labelWidth: 130, size: SIZE.small },
  );
  canvas.para(
    "Inventory and ARM properties of Speech resources (kinds SpeechServices, AIServices, CognitiveServices), their linked storage accounts, the key vaults holding their keys, " +
      "and Storage Blob Data Contributor role assignments are read from Azure Resource Graph; diagnostic settings from ARM; custom-endpoint content logging from the Speech data plane. " +
      "Evaluation is a pure function of these documents: the same snapshot always gives the same findings.",
    { size: SIZE.small, after: 8 },
  );

  canvas.h2("What could not be read", { bookmark: { parent, level: 2 } });
  const errors = result.errors;
  if (errors.length === 0) canvas.para("Every call the scan made in this scope succeeded.", { size: SIZE.small, color: COLOR.muted, after: 8 });
  else {
    canvas.para(`${plural(errors.length, "call")} failed. Findings that depend on them are unknown with the reason shown; none of them counts as a pass.`, {
      size: SIZE.small,
      after: 4,
    });
    canvas.table(
      [
        { title: "Source", width: 90 },
        { title: "Reason", width: 75 },
        { title: "Code and message", width: 330, maxLines: 3 },
      ],
      // The scope spans the row underneath: name, resource group and subscription, then the full ID, never cut.
      errors.slice(0, ERROR_LIMIT).map((e) => ({
        cells: [
          e.source,
          { text: REASON_LABEL[e.reason ?? ""] ?? e.reason ?? "collection error", color: COLOR.unknown },
          [e.code, e.message].filter(Boolean).join(": ") || "—",
        ],
        span: scopeLines(ctx, e.scope ?? ""),
      })),
      { size: SIZE.tiny, zebra: true },
    );
    if (errors.length > ERROR_LIMIT)
      canvas.para(`… and ${formatCount(errors.length - ERROR_LIMIT)} more (see the JSON export).`, { size: SIZE.tiny, color: COLOR.muted });
  }

  canvas.h2("Statuses and scores", { bookmark: { parent, level: 2 } });
  canvas.para(
    "One finding is produced for every Speech resource and every control, including controls that do not apply, so coverage is visible. " +
      "pass: the evidence shows the control is met. fail: the evidence shows it is not. unknown: the evidence needed was not available " +
      "(not collected, not visible, access denied, network blocked, collection error). not applicable: the control does not apply. " +
      "muted: an active exception with an owner, a reason and an expiry covers the finding; the status and the score are unchanged.",
    { size: SIZE.small, after: 4 },
  );
  canvas.para(
    "Score = Σ weight(pass) / Σ weight(pass + fail) as a percentage rounded down, with weights high 3, medium 2, low 1. Unknown and not-applicable findings count in neither; " +
      "a scope with nothing to judge has no score (n/a), not 100.",
    { size: SIZE.small, after: 8 },
  );

  canvas.h2("Verifying this report", { bookmark: { parent, level: 2 } });
  canvas.para(
    "The SHA-256 on the cover is computed over the canonical JSON text of the scan result with the exceptions in force when the report was generated: every object's keys sorted, arrays in their order, no insignificant white space, UTF-8. " +
      "Download the scan's JSON export (it serves exactly that text while the exceptions stay the same) and compare:",
    { size: SIZE.small, after: 4 },
  );
  canvas.code(`sha256sum ${exportFilename(full.scan.id)}.json\n${ctx.fullSha256}`, {});
  if (ctx.scopedSha256) {
    canvas.para("The JSON export filtered to this subscription hashes to the second value on the cover:", { size: SIZE.small, after: 4 });
    canvas.code(`sha256sum ${exportFilename(full.scan.id, ctx.subscriptionId)}.json\n${ctx.scopedSha256}`, {});
  }

  canvas.h2("Control mappings", { bookmark: { parent, level: 2 }, keepWith: 60 });
  canvas.para(
    "Each control's Azure Policy definition (where one exists), Microsoft cloud security benchmark control and NIST SP 800-53 Rev. 5 controls, so results can be cross-checked against Azure's own view.",
    {
      size: SIZE.small,
      after: 4,
    },
  );
  canvas.table(
    [
      { title: "Control", width: 42 },
      { title: "Title", width: 150, maxLines: 2 },
      { title: "Severity", width: 40 },
      { title: "Azure Policy definition", width: 143, maxLines: 4 },
      { title: "MCSB", width: 50, maxLines: 2 },
      { title: "NIST 800-53", width: 70, maxLines: 2 },
    ],
    CATALOG.map((c) => [
      { text: c.id, face: "bold" as const },
      c.title,
      { text: SEVERITY_STYLE[c.severity].label, color: SEVERITY_STYLE[c.severity].color },
      c.references.azurePolicy ? `${c.references.azurePolicy.id} ${c.references.azurePolicy.name}` : "— (none built in)",
      c.references.mcsb?.join(", ") ?? "—",
      c.references.nist?.join(", ") ?? "—",
    ]),
    { size: SIZE.tiny, zebra: true },
  );
  canvas.para(
    "Text in this report: resource names, tags and messages are printed as collected, as plain text. Characters the embedded font (DejaVu Sans) lacks, control and " +
      "invisible formatting characters are printed as their Unicode code points, e.g. [U+202E].",
    { size: SIZE.tiny, color: COLOR.muted },
  );
}
