/** Muted findings with the exception behind each (owner, reason, expiry), and expired exceptions. */
import type { Canvas, SpanLine } from "@/lib/report/pdf/canvas";
import { exceptionFor, type ReportContext } from "@/lib/report/pdf/context";
import { resourceLines, scopeLines } from "@/lib/report/pdf/resource-lines";
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
        { title: "Status", width: 38 },
        { title: "Owner", width: 120, maxLines: 2 },
        { title: "Reason", width: 220, maxLines: 4 },
        { title: "Expires", width: 75, maxLines: 2 },
      ],
      // The resource spans the row underneath: its whole name on one line, its full ID below.
      muted.slice(0, LIMIT).map((f) => {
        const x = exceptionFor(ctx, f);
        const st = statusStyle(f.status);
        return {
          cells: [
            f.controlId,
            { text: `${st.symbol} ${st.short}`, face: "bold" as const, color: st.color },
            x?.owner ?? "(not in result)",
            x?.reason ?? "—",
            formatExpiry(x?.expiresAt),
          ],
          span: resourceLines(ctx, f.resourceId),
        };
      }),
      { size: SIZE.tiny, zebra: true },
    );
    if (muted.length > LIMIT) canvas.para(`… and ${formatCount(muted.length - LIMIT)} more (see the JSON export).`, { size: SIZE.tiny, color: COLOR.muted });
  }
  exceptionTable(canvas, ctx, "Active exceptions", active);
  exceptionTable(canvas, ctx, "Expired exceptions (no longer mute anything)", expired);
}

function exceptionTable(canvas: Canvas, ctx: ReportContext, title: string, list: readonly ReportException[]): void {
  canvas.h2(title, { keepWith: 30 });
  if (list.length === 0) {
    canvas.para("None.", { size: SIZE.small, color: COLOR.muted });
    return;
  }
  canvas.table(
    [
      { title: "Control", width: 42 },
      { title: "Owner", width: 120, maxLines: 2 },
      { title: "Reason", width: 250, maxLines: 4 },
      { title: "Expires", width: 83, maxLines: 2 },
    ],
    // What it applies to spans the row underneath, the full resource ID never cut.
    list.slice(0, LIMIT).map((x) => ({
      cells: [x.controlId ?? "all", x.owner ?? "—", x.reason ?? "—", formatExpiry(x.expiresAt)],
      span: appliesTo(ctx, x),
    })),
    { size: SIZE.tiny, zebra: true },
  );
}

function appliesTo(ctx: ReportContext, x: ReportException): SpanLine[] {
  const lines: SpanLine[] = [];
  if (x.resourceId) lines.push(...resourceLines(ctx, x.resourceId, "Applies to "));
  else if (x.subscriptionId) lines.push(...scopeLines(ctx, `/subscriptions/${x.subscriptionId}`, "Applies to "));
  else if (x.tenantId) lines.push({ text: `Applies to every subscription of tenant ${x.tenantId}`, size: SIZE.tiny });
  if (x.tag) lines.push({ text: `${lines.length ? "and to" : "Applies to"} resources tagged ${x.tag.name} = ${x.tag.value}`, size: SIZE.tiny });
  return lines.length ? lines : [{ text: "Applies to every resource", size: SIZE.tiny }];
}
