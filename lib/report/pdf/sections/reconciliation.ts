/**
 * Azure Policy and Defender for Cloud beside us: per control, how many findings agree with
 * Azure's own verdict and how many differ, then every finding Azure calls compliant while we fail
 * it (data at risk), with why the two differ (AZURE_MAPPINGS).
 */
import type { Canvas } from "@/lib/report/pdf/canvas";
import { resourceName, type ReportContext } from "@/lib/report/pdf/context";
import { formatCount } from "@/lib/report/pdf/format";
import { COLOR, SIZE } from "@/lib/report/pdf/theme";
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { AGREEMENTS, type Agreement } from "@/lib/posture/vocabulary";

export const RECONCILIATION_TITLE = "Reconciliation with Azure Policy and Defender for Cloud";
const LIMIT = 2000;

/** Short column heads for the control × agreement table. */
const HEAD: Record<Agreement, string> = {
  not_collected: "Not collected",
  not_compared: "Not compared",
  azure_silent: "Azure silent",
  azure_exempt: "Azure exempt",
  agree: "Agree",
  azure_lenient: "Azure lenient",
  azure_stricter: "Azure stricter",
};

export function drawReconciliation(canvas: Canvas, ctx: ReportContext, number: number): void {
  canvas.h1(`${number}. ${RECONCILIATION_TITLE}`);
  const findings = ctx.result.findings;
  if (!findings.some((f) => f.azure)) {
    canvas.para(
      "Azure's own verdicts (Azure Policy compliance states and Defender for Cloud assessments) were not collected for this scan, so nothing is reconciled here.",
      { size: SIZE.small, color: COLOR.muted },
    );
    return;
  }
  const lenient = findings.filter((f) => f.agreement === "azure_lenient");
  canvas.para(
    "Each finding is compared with what Azure Policy and Defender for Cloud say about the same setting. " +
      `"${HEAD.azure_lenient}" means Azure calls the resource compliant while this report fails it: the data is at risk and Azure's dashboards do not show it. ` +
      `In this scope: ${formatCount(lenient.length)} such findings.`,
    { size: SIZE.small, after: 8 },
  );
  canvas.h2("Findings by control and agreement", { keepWith: 30 });
  canvas.table(
    [{ title: "Control", width: 46 }, ...AGREEMENTS.map((a) => ({ title: HEAD[a], width: 64, align: "right" as const, maxLines: 2 }))],
    ctx.controls.map((c) => {
      const counts = new Map<string, number>();
      for (const f of c.all) counts.set(f.agreement ?? "not_collected", (counts.get(f.agreement ?? "not_collected") ?? 0) + 1);
      return [
        { text: c.control.id, face: "bold" as const },
        ...AGREEMENTS.map((a) => {
          const n = counts.get(a) ?? 0;
          return { text: formatCount(n), color: a === "azure_lenient" && n > 0 ? COLOR.fail : undefined };
        }),
      ];
    }),
    { size: SIZE.tiny, zebra: true },
  );
  canvas.h2("Azure says compliant, the data is at risk", { keepWith: 30 });
  if (lenient.length === 0) {
    canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
    return;
  }
  canvas.table(
    [
      { title: "Control", width: 46 },
      { title: "Resource", width: 120, maxLines: 2 },
      { title: "Why we differ", width: 329, maxLines: 10 },
    ],
    lenient
      .slice(0, LIMIT)
      .map((f) => [
        { text: f.controlId, face: "bold" as const },
        { text: resourceName(ctx, f.resourceId), face: "bold" as const },
        (AZURE_MAPPINGS[f.controlId as keyof typeof AZURE_MAPPINGS]?.differences ?? []).join(" "),
      ]),
    { size: SIZE.tiny, zebra: true },
  );
  if (lenient.length > LIMIT) canvas.para(`… and ${formatCount(lenient.length - LIMIT)} more (see the JSON export).`, { size: SIZE.tiny, color: COLOR.muted });
}
