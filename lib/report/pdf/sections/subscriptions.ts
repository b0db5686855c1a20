/** Tenant report: every subscription with its score and counts, lowest score first. */
import type { Canvas } from "@/lib/report/pdf/canvas";
import type { ReportContext } from "@/lib/report/pdf/context";
import { compareNames, formatCount, formatScore } from "@/lib/report/pdf/format";
import { COLOR, SIZE } from "@/lib/report/pdf/theme";

export function drawSubscriptions(canvas: Canvas, ctx: ReportContext, number: number): void {
  canvas.h1(`${number}. Subscriptions`);
  const subs = [...ctx.result.subscriptions].sort(
    (a, b) => (a.score ?? 101) - (b.score ?? 101) || compareNames(a.displayName, b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId),
  );
  canvas.para(
    `${formatCount(subs.length)} subscriptions, lowest score first. A subscription with nothing to judge has no score (n/a). ` +
      "Each subscription's own report draws every resource's encryption chain with the evidence behind each failure.",
    { size: SIZE.small, color: COLOR.muted, after: 6 },
  );
  canvas.table(
    [
      { title: "Subscription", width: 140 },
      { title: "Subscription ID", width: 150, face: "mono" },
      { title: "Resources", width: 45, align: "right" },
      { title: "Score", width: 32, align: "right" },
      { title: "Pass", width: 32, align: "right" },
      { title: "Fail", width: 32, align: "right" },
      { title: "Unknown", width: 36, align: "right" },
      { title: "N/A", width: 28, align: "right" },
    ],
    subs.map((s) => [
      { text: s.displayName ?? "—", face: "bold" as const },
      s.subscriptionId,
      formatCount(s.resources ?? 0),
      { text: formatScore(s.score), face: "bold" as const },
      formatCount(s.counts?.pass ?? 0),
      { text: formatCount(s.counts?.fail ?? 0), color: (s.counts?.fail ?? 0) > 0 ? COLOR.fail : undefined },
      formatCount(s.counts?.unknown ?? 0),
      formatCount(s.counts?.not_applicable ?? 0),
    ]),
    { size: SIZE.tiny, zebra: true },
  );
}
