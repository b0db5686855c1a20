/** The contents page, written last (page numbers are known then) on the page kept for it. */
import type { Canvas, Destination } from "@/lib/report/pdf/canvas";
import { COLOR, CONTENT_WIDTH, PAGE, SIZE } from "@/lib/report/pdf/theme";

export const CONTENTS_TITLE = "Contents";

/** Draws on the current page; `entries` with their 0-based page index. */
export function drawContents(canvas: Canvas, entries: readonly Destination[]): void {
  const x = PAGE.marginX;
  let y = PAGE.top;
  canvas.text(CONTENTS_TITLE, x, y, { face: "bold", size: SIZE.h1, color: COLOR.accent });
  y += SIZE.h1 * 1.35;
  canvas.line(x, y, x + CONTENT_WIDTH, y, COLOR.accent, 1);
  y += 14;
  for (const e of entries) {
    if (e.level > 2 || e.title === "Cover" || e.title === CONTENTS_TITLE) continue;
    const indent = e.level === 1 ? 0 : 16;
    const size = e.level === 1 ? SIZE.body + 0.5 : SIZE.small;
    const lh = e.level === 1 ? size * 1.9 : size * 1.55;
    if (y + lh > PAGE.height - PAGE.bottom) break;
    const page = String(e.page + 1);
    const pw = canvas.text(page, x, y, { face: e.level === 1 ? "bold" : "regular", size, color: COLOR.ink, width: CONTENT_WIDTH, align: "right" });
    const tw = canvas.text(e.title, x + indent, y, {
      face: e.level === 1 ? "bold" : "regular",
      size,
      color: e.level === 1 ? COLOR.ink : COLOR.text,
      width: CONTENT_WIDTH - indent - 40,
    });
    const dotsFrom = x + indent + tw + 6;
    const dotsTo = x + CONTENT_WIDTH - pw - 6;
    if (dotsTo > dotsFrom) canvas.line(dotsFrom, y + size * 0.85, dotsTo, y + size * 0.85, COLOR.faint, 0.5, 1);
    canvas.flush();
    canvas.doc.goTo(x + indent, y, CONTENT_WIDTH - indent, size * 1.2, e.dest);
    y += lh;
  }
}
