/**
 * Vector charts drawn with pdfkit paths: the score ring, horizontal bar charts and a stacked
 * status bar. Every bar carries its label and number in text, so no chart depends on colour.
 */
import type { Canvas } from "./canvas";
import { formatCount } from "./format";
import { COLOR, SIZE, type Rgb } from "./theme";

export interface Bar {
  label: string;
  value: number;
  color: Rgb;
  /** Text after the number (e.g. a percentage). */
  note?: string;
}

function fill(canvas: Canvas, color: Rgb): void {
  canvas.doc.fillColor([color[0] * 255, color[1] * 255, color[2] * 255]);
}

/** The score as a ring: a grey track and an arc for the share passed, the number in the middle. */
export function scoreRing(canvas: Canvas, cx: number, cy: number, r: number, score: number | null, caption: string): void {
  const doc = canvas.doc;
  canvas.flush();
  const thickness = Math.max(6, r * 0.2);
  doc.save();
  doc.lineWidth(thickness);
  doc.strokeColor([COLOR.rule[0] * 255, COLOR.rule[1] * 255, COLOR.rule[2] * 255]);
  doc.circle(cx, cy, r).stroke();
  if (score !== null && score > 0) {
    const color = score >= 80 ? COLOR.pass : score >= 50 ? COLOR.unknown : COLOR.fail;
    doc.strokeColor([color[0] * 255, color[1] * 255, color[2] * 255]);
    doc.lineCap("butt");
    if (score >= 100) doc.circle(cx, cy, r).stroke();
    else {
      const a0 = -Math.PI / 2;
      const a1 = a0 + (2 * Math.PI * score) / 100;
      const large = score > 50 ? 1 : 0;
      const x0 = cx + r * Math.cos(a0);
      const y0 = cy + r * Math.sin(a0);
      const x1 = cx + r * Math.cos(a1);
      const y1 = cy + r * Math.sin(a1);
      doc.path(`M ${x0} ${y0} A ${r} ${r} 0 ${large} 1 ${x1} ${y1}`).stroke();
    }
  }
  doc.restore();
  const big = r * 0.62;
  const label = score === null ? "n/a" : String(score);
  canvas.text(label, cx - r, cy - big * 0.62, { face: "bold", size: big, color: COLOR.ink, width: 2 * r, align: "center" });
  canvas.text(score === null ? "nothing judged" : "out of 100", cx - r, cy + big * 0.48, {
    size: SIZE.tiny,
    color: COLOR.muted,
    width: 2 * r,
    align: "center",
  });
  canvas.text(caption, cx - r - 20, cy + r + thickness / 2 + 5, { face: "bold", size: SIZE.small, color: COLOR.muted, width: 2 * r + 40, align: "center" });
}

/**
 * Horizontal bars, one per item: label on the left, bar, then the number. Returns the height used.
 * `max` defaults to the largest value (bars are scaled to it).
 */
export function barChart(
  canvas: Canvas,
  x: number,
  y: number,
  width: number,
  bars: readonly Bar[],
  opts: { labelWidth?: number; barHeight?: number; gap?: number; max?: number; size?: number; valueWidth?: number } = {},
): number {
  const labelWidth = opts.labelWidth ?? 120;
  const barHeight = opts.barHeight ?? 9;
  const gap = opts.gap ?? 4;
  const size = opts.size ?? SIZE.tiny;
  const valueWidth = opts.valueWidth ?? 62;
  const track = width - labelWidth - valueWidth - 6;
  const max = Math.max(1, opts.max ?? Math.max(0, ...bars.map((b) => b.value)));
  const doc = canvas.doc;
  canvas.flush();
  doc.save();
  let by = y;
  for (const bar of bars) {
    fill(canvas, COLOR.panel);
    doc.rect(x + labelWidth, by, track, barHeight).fill();
    const w = bar.value <= 0 ? 0 : Math.max(1.2, (track * bar.value) / max);
    if (w > 0) {
      fill(canvas, bar.color);
      doc.rect(x + labelWidth, by, w, barHeight).fill();
    }
    by += barHeight + gap;
  }
  doc.restore();
  by = y;
  for (const bar of bars) {
    const ty = by + (barHeight - size * 1.17) / 2;
    canvas.text(bar.label, x, ty, { size, color: COLOR.text, width: labelWidth - 6 });
    const value = formatCount(bar.value) + (bar.note ? ` ${bar.note}` : "");
    canvas.text(value, x + labelWidth + track + 6, ty, { face: "bold", size, color: COLOR.ink, width: valueWidth });
    by += barHeight + gap;
  }
  return by - y;
}

export interface Segment {
  label: string;
  value: number;
  color: Rgb;
  symbol: string;
  /** Colour of the legend text when the fill is too light to read (default: `color`). */
  textColor?: Rgb;
}

/** One bar split by share, with a legend line naming each part with its symbol, count and percentage. */
export function stackedBar(
  canvas: Canvas,
  x: number,
  y: number,
  width: number,
  segments: readonly Segment[],
  opts: { height?: number; size?: number } = {},
): number {
  const height = opts.height ?? 12;
  const size = opts.size ?? SIZE.tiny;
  const total = segments.reduce((s, g) => s + g.value, 0);
  const doc = canvas.doc;
  canvas.flush();
  doc.save();
  fill(canvas, COLOR.panel);
  doc.rect(x, y, width, height).fill();
  let sx = x;
  if (total > 0) {
    for (const g of segments) {
      const w = (width * g.value) / total;
      if (w <= 0) continue;
      fill(canvas, g.color);
      doc.rect(sx, y, w, height).fill();
      // White separators keep adjacent parts apart in greyscale print.
      doc.save();
      doc
        .strokeColor("#ffffff")
        .lineWidth(1)
        .moveTo(sx + w, y)
        .lineTo(sx + w, y + height)
        .stroke();
      doc.restore();
      sx += w;
    }
  }
  doc.restore();
  let lx = x;
  const ly = y + height + 4;
  for (const g of segments) {
    const pct = total > 0 ? ` (${formatPct(g.value / total)})` : "";
    const label = `${g.symbol} ${g.label} ${formatCount(g.value)}${pct}`;
    const w = canvas.text(label, lx, ly, { face: "bold", size, color: g.textColor ?? g.color });
    lx += w + 14;
  }
  return height + 4 + size * 1.4;
}

export function formatPct(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 1) return "<1%";
  if (p < 100 && p > 99) return ">99%";
  return `${Math.round(p)}%`;
}
