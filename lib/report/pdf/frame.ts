/** Running header and footer on every page but the cover, with "Page X of Y". */
import type { Canvas } from "./canvas";
import type { ReportContext } from "./context";
import { COLOR, CONTENT_WIDTH, PAGE, SIZE } from "./theme";

export function pageLabel(page: number, count: number): string {
  return `Page ${page} of ${count}`;
}

/** Draws header and footer on every buffered page; call once, after all content. */
export function drawFrames(canvas: Canvas, ctx: ReportContext): void {
  const doc = canvas.doc;
  canvas.flush();
  const range = doc.bufferedPageRange();
  const count = range.count;
  const hash = `SHA-256 ${ctx.fullSha256.slice(0, 16)}…`;
  for (let i = range.start; i < range.start + count; i++) {
    doc.switchToPage(i);
    // Running header and footer repeat on every page: artifacts, not content a reader meets each time.
    canvas.artifact(() => drawFrame(canvas, ctx, i - range.start + 1, count, hash));
    canvas.flush();
  }
}

function drawFrame(canvas: Canvas, ctx: ReportContext, page: number, count: number, hash: string): void {
  const x = PAGE.marginX;
  if (page > 1) {
    canvas.text("Speech Posture · Data-protection compliance report", x, PAGE.headerY, {
      face: "bold",
      size: SIZE.tiny,
      color: COLOR.accent,
      width: CONTENT_WIDTH / 2,
    });
    canvas.text(ctx.scopeLabel, x + CONTENT_WIDTH / 2, PAGE.headerY, { size: SIZE.tiny, color: COLOR.muted, width: CONTENT_WIDTH / 2, align: "right" });
    canvas.line(x, PAGE.headerY + 11, x + CONTENT_WIDTH, PAGE.headerY + 11, COLOR.rule, 0.5);
  }
  canvas.line(x, PAGE.footerY - 5, x + CONTENT_WIDTH, PAGE.footerY - 5, COLOR.rule, 0.5);
  canvas.text(`Scan ${ctx.full.scan.id} · ${hash}`, x, PAGE.footerY, { size: SIZE.micro, color: COLOR.muted, width: CONTENT_WIDTH - 90 });
  canvas.text(pageLabel(page, count), x, PAGE.footerY, {
    face: "bold",
    size: SIZE.tiny,
    color: COLOR.ink,
    width: CONTENT_WIDTH,
    align: "right",
  });
}
