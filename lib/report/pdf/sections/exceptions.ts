/** Muted findings with the exception behind each (owner, reason, expiry), and expired exceptions. */
import type { Canvas } from "@/lib/report/pdf/canvas";
import { exceptionFor, resourceName, type ReportContext } from "@/lib/report/pdf/context";
import { formatCount, formatExpiry } from "@/lib/report/pdf/format";
import type { ReportException } from "@/lib/report/model";
import { COLOR, SIZE, statusStyle } from "@/lib/report/pdf/theme";

const LIMIT = 2000;

export function drawExceptions(canvas: Canvas, ctx: ReportContext, number: number): void {
  canvas.h1(`${number}. Muted findings and exceptions`);
  const muted = ctx.result.findings.filter((f) => f.muted === true);
  const active = ctx.result.exceptions?.active ?? [];
  const expired = ctx.result.exceptions?.expired ?? [];
  canvas.para(
    "An exception mutes the findings it covers until it expires. Muting is recorded, not hidden: a muted finding keeps its status and still counts in the score. " +
      `In this scope: ${formatCount(muted.length)} muted findings, ${formatCount(active.length)} active and ${formatCount(expired.length)} expired exceptions.`,
    { size: SIZE.small, after: 8 },
  );
  canvas.h2("Muted findings", { keepWith: 30 });
  if (muted.length === 0) canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
  else {
    canvas.table(
      [
        { title: "Control", width: 42 },
        { title: "Resource", width: 100, maxLines: 2 },
        { title: "Status", width: 38 },
        { title: "Owner", width: 100, maxLines: 2 },
        { title: "Reason", width: 145, maxLines: 4 },
        { title: "Expires", width: 70, maxLines: 2 },
      ],
      muted.slice(0, LIMIT).map((f) => {
        const x = exceptionFor(ctx, f);
        const st = statusStyle(f.status);
        return [
          f.controlId,
          { text: resourceName(ctx, f.resourceId), face: "bold" as const },
          { text: `${st.symbol} ${st.short}`, face: "bold" as const, color: st.color },
          x?.owner ?? "(not in result)",
          x?.reason ?? "—",
          formatExpiry(x?.expiresAt),
        ];
      }),
      { size: SIZE.tiny, zebra: true },
    );
    if (muted.length > LIMIT) canvas.para(`… and ${formatCount(muted.length - LIMIT)} more (see the JSON export).`, { size: SIZE.tiny, color: COLOR.muted });
  }
  exceptionTable(canvas, "Active exceptions", active);
  exceptionTable(canvas, "Expired exceptions (no longer mute anything)", expired);
}

function exceptionTable(canvas: Canvas, title: string, list: readonly ReportException[]): void {
  canvas.h2(title, { keepWith: 30 });
  if (list.length === 0) {
    canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
    return;
  }
  canvas.table(
    [
      { title: "Control", width: 42 },
      { title: "Applies to", width: 150, maxLines: 4 },
      { title: "Owner", width: 100, maxLines: 2 },
      { title: "Reason", width: 133, maxLines: 4 },
      { title: "Expires", width: 70, maxLines: 2 },
    ],
    list.slice(0, LIMIT).map((x) => [x.controlId ?? "all", appliesTo(x), x.owner ?? "—", x.reason ?? "—", formatExpiry(x.expiresAt)]),
    { size: SIZE.tiny, zebra: true },
  );
}

function appliesTo(x: ReportException): string {
  const parts: string[] = [];
  if (x.resourceId) parts.push(x.resourceId);
  else if (x.subscriptionId) parts.push(`subscription ${x.subscriptionId}`);
  if (x.tag) parts.push(`tag ${x.tag.name} = ${x.tag.value}`);
  return parts.length ? parts.join("; ") : "every resource";
}
