/**
 * Layout primitives over a pdfkit document: a cursor that flows down the page and breaks to new
 * pages, single-line and wrapped text, rules, boxes, code blocks, key/value lists and tables.
 * Simple drawing (text, rectangles, lines) is buffered as content-stream operators per page and
 * written in one piece; anything drawn through pdfkit's own API must call `flush()` first.
 */
import type { FaceName } from "./fonts";
import { clean, encodeLine, fitLine, num, widthOf, wrapLines, type Face } from "./text";
import { COLOR, CONTENT_BOTTOM, CONTENT_WIDTH, PAGE, SIZE, statusStyle, type Rgb } from "./theme";

export interface TextStyle {
  face?: FaceName;
  size?: number;
  color?: Rgb;
}

export interface LineOptions extends TextStyle {
  /** Fit into this width (truncating with "…"); also the box for `align`. */
  width?: number;
  align?: "left" | "right" | "center";
}

export interface ParaOptions extends TextStyle {
  x?: number;
  width?: number;
  lineHeight?: number;
  /** Space after the paragraph. */
  after?: number;
  maxLines?: number;
}

export type Cell =
  | string
  | {
      text?: string;
      face?: FaceName;
      color?: Rgb;
      size?: number;
      /** Draw a status (symbol + word) instead of text. */
      status?: string;
      muted?: boolean;
      short?: boolean;
      /** Wrap up to this many lines (default: the column's). */
      maxLines?: number;
    };

export interface Column {
  title: string;
  width: number;
  align?: "left" | "right" | "center";
  face?: FaceName;
  /** Lines a cell may wrap to (default 1: truncated with "…"). */
  maxLines?: number;
}

export interface TableOptions {
  size?: number;
  /** Stripe every other row. */
  zebra?: boolean;
  /** Called when the table continues on a new page, before the repeated header. */
  onContinue?: () => void;
  headerSize?: number;
  padY?: number;
}

export interface Destination {
  title: string;
  level: number;
  page: number;
  dest: string;
}

function rgb(c: Rgb): string {
  return `${num(c[0])} ${num(c[1])} ${num(c[2])}`;
}

export class Canvas {
  y: number = PAGE.top;
  readonly destinations: Destination[] = [];
  private ops: string[] = [];
  private destCount = 0;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly faces: Readonly<Record<FaceName, Face>>,
  ) {}

  /** Index (0-based) of the page being written. */
  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  face(name: FaceName = "regular"): Face {
    return this.faces[name];
  }

  // ---------------------------------------------------------------- pages

  newPage(): void {
    this.flush();
    this.doc.addPage();
    this.y = PAGE.top;
  }

  /** Starts a new page unless `height` more points fit on this one. Returns whether it broke. */
  ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  space(h: number): void {
    this.y += h;
  }

  /** Writes buffered operators into the current page. */
  flush(): void {
    if (this.ops.length === 0) return;
    // Operators are ASCII: a latin1 Buffer spares pdfkit its per-character string conversion.
    this.doc.addContent(Buffer.from(`q\n${this.ops.join("\n")}\nQ\n`, "latin1"));
    this.ops = [];
  }

  /** Marks the current position as a destination and adds it to the outline and contents. */
  bookmark(title: string, level: number, parent?: PDFKit.PDFOutline): PDFKit.PDFOutline {
    const dest = `sec${++this.destCount}`;
    this.doc.addNamedDestination(dest, "XYZ", 0, Math.max(0, this.y - 12), null);
    this.destinations.push({ title, level, page: this.pageIndex, dest });
    return (parent ?? this.doc.outline).addItem(title);
  }

  // ---------------------------------------------------------------- primitives

  /** One line of text at (x, y top), cleaned; fitted to `width` when given. Returns its width. */
  text(value: unknown, x: number, y: number, opts: LineOptions = {}): number {
    const face = this.face(opts.face);
    const size = opts.size ?? SIZE.body;
    const s = opts.width !== undefined ? fitLine(value, face, size, opts.width) : clean(value, face);
    return this.drawClean(s, x, y, face, size, opts.color ?? COLOR.text, opts.align, opts.width);
  }

  /** Draws text that is already cleaned (and fitted). */
  drawClean(s: string, x: number, y: number, face: Face, size: number, color: Rgb, align?: "left" | "right" | "center", width?: number): number {
    if (s.length === 0) return 0;
    const { ops, w: w1000 } = encodeLine(s, face);
    const w = (w1000 * size) / 1000;
    let dx = x;
    if (align && align !== "left" && width !== undefined) dx = align === "right" ? x + width - w : x + (width - w) / 2;
    const fonts = this.doc.page.fonts as Record<string, unknown>;
    if (!fonts[face.id]) fonts[face.id] = face.pdfFont.ref();
    const baseline = y + (face.ascender / 1000) * size;
    this.ops.push(`BT /${face.id} ${num(size)} Tf ${rgb(color)} rg 1 0 0 -1 ${num(dx)} ${num(baseline)} Tm [${ops}] TJ ET`);
    return w;
  }

  width(value: string, opts: TextStyle = {}): number {
    const face = this.face(opts.face);
    return widthOf(clean(value, face), face, opts.size ?? SIZE.body);
  }

  rect(x: number, y: number, w: number, h: number, opts: { fill?: Rgb; stroke?: Rgb; lineWidth?: number; radius?: number; dash?: number } = {}): void {
    const path = opts.radius ? roundedRect(x, y, w, h, opts.radius) : `${num(x)} ${num(y)} ${num(w)} ${num(h)} re`;
    let op = "";
    if (opts.fill) op += `${rgb(opts.fill)} rg `;
    if (opts.stroke) op += `${rgb(opts.stroke)} RG ${num(opts.lineWidth ?? 0.5)} w ${opts.dash ? `[${opts.dash} ${opts.dash}] 0 d ` : "[] 0 d "}`;
    const paint = opts.fill && opts.stroke ? "B" : opts.fill ? "f" : "S";
    this.ops.push(`${op}${path} ${paint}`);
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Rgb = COLOR.rule, width = 0.5, dash?: number): void {
    this.ops.push(`${rgb(color)} RG ${num(width)} w ${dash ? `[${dash} ${dash}] 0 d` : "[] 0 d"} ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  /** A filled polygon (for arrow heads). */
  polygon(points: readonly (readonly [number, number])[], fill: Rgb): void {
    const [first, ...rest] = points;
    this.ops.push(`${rgb(fill)} rg ${num(first[0])} ${num(first[1])} m ${rest.map(([x, y]) => `${num(x)} ${num(y)} l`).join(" ")} h f`);
  }

  /** Status as symbol + word (+ "MUTED"), in the status colour. Returns the width drawn. */
  status(
    status: string | null | undefined,
    x: number,
    y: number,
    opts: { size?: number; short?: boolean; muted?: boolean; width?: number; align?: "left" | "right" | "center"; face?: FaceName } = {},
  ): number {
    const st = statusStyle(status);
    const size = opts.size ?? SIZE.small;
    const label = `${st.symbol} ${opts.short ? st.short : st.label}${opts.muted ? (opts.short ? "*" : " · MUTED") : ""}`;
    return this.text(label, x, y, { face: opts.face ?? "bold", size, color: st.color, width: opts.width, align: opts.align });
  }

  /** A bordered status badge at (x, y), or ending at x when `alignRight`; returns its width. */
  badge(status: string | null | undefined, x: number, y: number, opts: { size?: number; muted?: boolean; suffix?: string; alignRight?: boolean } = {}): number {
    const st = statusStyle(status);
    const size = opts.size ?? SIZE.small;
    const label = `${st.symbol} ${st.label}${opts.muted ? " · MUTED" : ""}${opts.suffix ? ` ${opts.suffix}` : ""}`;
    const w = this.width(label, { face: "bold", size }) + 8;
    if (opts.alignRight) x -= w;
    const h = size * 1.55;
    this.rect(x, y, w, h, { stroke: st.color, lineWidth: 0.8, radius: 2 });
    this.text(label, x + 4, y + (h - size * 1.17) / 2, { face: "bold", size, color: st.color });
    return w;
  }

  // ---------------------------------------------------------------- flow

  /** Wrapped text flowing down the page (breaking pages between lines). */
  para(value: unknown, opts: ParaOptions = {}): void {
    const face = this.face(opts.face);
    const size = opts.size ?? SIZE.body;
    const x = opts.x ?? PAGE.marginX;
    const width = opts.width ?? PAGE.marginX + CONTENT_WIDTH - x;
    const lh = opts.lineHeight ?? size * 1.32;
    const lines = wrapLines(value, face, size, width, opts.maxLines);
    for (const line of lines) {
      this.ensure(lh);
      this.drawClean(line, x, this.y, face, size, opts.color ?? COLOR.text);
      this.y += lh;
    }
    this.y += opts.after ?? 4;
  }

  /** Wrapped lines without drawing: for measuring. */
  wrap(value: unknown, width: number, opts: TextStyle = {}, maxLines?: number, keepIndent = false): string[] {
    return wrapLines(value, this.face(opts.face), opts.size ?? SIZE.body, width, maxLines, keepIndent);
  }

  h1(title: string, opts: { parent?: PDFKit.PDFOutline; level?: number; newPage?: boolean } = {}): PDFKit.PDFOutline {
    if (opts.newPage !== false) this.newPage();
    else this.ensure(60);
    const item = this.bookmark(title, opts.level ?? 1, opts.parent);
    this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h1, color: COLOR.accent, width: CONTENT_WIDTH });
    this.y += SIZE.h1 * 1.35;
    this.line(PAGE.marginX, this.y, PAGE.marginX + CONTENT_WIDTH, this.y, COLOR.accent, 1);
    this.y += 12;
    return item;
  }

  h2(title: string, opts: { bookmark?: { parent?: PDFKit.PDFOutline; level: number }; keepWith?: number } = {}): PDFKit.PDFOutline | undefined {
    this.ensure(SIZE.h2 * 1.6 + (opts.keepWith ?? 40));
    const item = opts.bookmark ? this.bookmark(title, opts.bookmark.level, opts.bookmark.parent) : undefined;
    this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h2, color: COLOR.ink, width: CONTENT_WIDTH });
    this.y += SIZE.h2 * 1.5;
    return item;
  }

  h3(title: string, keepWith = 30): void {
    this.ensure(SIZE.h3 * 1.5 + keepWith);
    this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h3, color: COLOR.ink, width: CONTENT_WIDTH });
    this.y += SIZE.h3 * 1.5;
  }

  /** Label/value rows; values wrap. */
  keyValues(
    rows: readonly (readonly [string, unknown])[],
    opts: { labelWidth?: number; size?: number; valueFace?: FaceName; x?: number; width?: number } = {},
  ): void {
    const size = opts.size ?? SIZE.body;
    const x = opts.x ?? PAGE.marginX;
    const labelWidth = opts.labelWidth ?? 120;
    const width = (opts.width ?? CONTENT_WIDTH) - labelWidth;
    const lh = size * 1.35;
    for (const [label, value] of rows) {
      const lines = this.wrap(value, width, { face: opts.valueFace, size });
      this.ensure(lh * Math.min(lines.length, 3));
      this.text(label, x, this.y, { face: "bold", size, color: COLOR.muted, width: labelWidth - 6 });
      for (const line of lines) {
        this.ensure(lh);
        this.drawClean(line, x + labelWidth, this.y, this.face(opts.valueFace), size, COLOR.text);
        this.y += lh;
      }
      this.y += 2;
    }
  }

  /** Numbered or bulleted list. */
  list(items: readonly string[], opts: { numbered?: boolean; size?: number; x?: number } = {}): void {
    const size = opts.size ?? SIZE.body;
    const x = opts.x ?? PAGE.marginX;
    const indent = 14;
    items.forEach((item, i) => {
      const lines = this.wrap(item, PAGE.marginX + CONTENT_WIDTH - x - indent, { size });
      const lh = size * 1.32;
      this.ensure(lh * Math.min(2, lines.length));
      this.text(opts.numbered ? `${i + 1}.` : "•", x, this.y, { size, color: COLOR.muted });
      for (const line of lines) {
        this.ensure(lh);
        this.drawClean(line, x + indent, this.y, this.face("regular"), size, COLOR.text);
        this.y += lh;
      }
      this.y += 1.5;
    });
    this.y += 3;
  }

  /** Monospaced block on a tinted background; long lines wrap, the block breaks across pages. */
  code(value: string, opts: { size?: number; x?: number; label?: string } = {}): void {
    const size = opts.size ?? 7.2;
    const x = opts.x ?? PAGE.marginX;
    const width = PAGE.marginX + CONTENT_WIDTH - x;
    const pad = 5;
    const lh = size * 1.3;
    const lines = this.wrap(value, width - 2 * pad, { face: "mono", size }, undefined, true);
    if (opts.label) {
      this.ensure(size * 1.5 + lh * Math.min(lines.length, 3) + 2 * pad);
      this.text(opts.label, x, this.y, { face: "bold", size: SIZE.small, color: COLOR.muted });
      this.y += SIZE.small * 1.45;
    }
    let i = 0;
    while (i < lines.length) {
      this.ensure(lh + 2 * pad);
      const room = Math.max(1, Math.floor((CONTENT_BOTTOM - this.y - 2 * pad) / lh));
      const chunk = lines.slice(i, i + room);
      const h = chunk.length * lh + 2 * pad;
      this.rect(x, this.y, width, h, { fill: COLOR.code });
      this.line(x, this.y, x, this.y + h, COLOR.faint, 1.2);
      let ly = this.y + pad;
      for (const line of chunk) {
        this.drawClean(line, x + pad + 2, ly, this.face("mono"), size, COLOR.ink);
        ly += lh;
      }
      this.y += h;
      i += chunk.length;
      if (i < lines.length) this.newPage();
    }
    this.y += 6;
  }

  /** A table with a header row repeated on every page; cells truncate or wrap by column. */
  table(columns: readonly Column[], rows: Iterable<readonly Cell[]>, opts: TableOptions = {}): void {
    const size = opts.size ?? SIZE.small;
    const headerSize = opts.headerSize ?? size;
    const padY = opts.padY ?? 2.5;
    const lh = size * 1.28;
    const x0 = PAGE.marginX;
    const totalWidth = columns.reduce((s, c) => s + c.width, 0);
    const header = () => {
      const h = headerSize * 1.3 + 2 * padY;
      this.rect(x0, this.y, totalWidth, h, { fill: COLOR.accentSoft });
      let x = x0;
      for (const c of columns) {
        this.text(c.title, x + 3, this.y + padY, { face: "bold", size: headerSize, color: COLOR.accent, width: c.width - 6, align: c.align });
        x += c.width;
      }
      this.y += h;
    };
    this.ensure(headerSize * 1.3 + 2 * padY + lh + 2 * padY);
    header();
    let index = 0;
    for (const row of rows) {
      const prepared = row.map((cell, i) => this.prepareCell(cell, columns[i], size));
      const lines = Math.max(1, ...prepared.map((p) => p.lines.length));
      const h = lines * lh + 2 * padY;
      if (this.y + h > CONTENT_BOTTOM) {
        this.newPage();
        opts.onContinue?.();
        header();
      }
      if (opts.zebra && index % 2 === 1) this.rect(x0, this.y, totalWidth, h, { fill: COLOR.panel });
      let x = x0;
      prepared.forEach((p, i) => {
        const c = columns[i];
        if (p.status !== undefined) {
          this.status(p.status, x + 3, this.y + padY, { size: p.size, short: p.short, muted: p.muted, width: c.width - 6, align: c.align });
        } else {
          let ly = this.y + padY;
          for (const line of p.lines) {
            this.drawClean(line, x + 3, ly, p.face, p.size, p.color, c.align, c.width - 6);
            ly += lh;
          }
        }
        x += c.width;
      });
      this.y += h;
      this.line(x0, this.y, x0 + totalWidth, this.y, COLOR.rule, 0.3);
      index++;
    }
    this.y += 6;
  }

  private prepareCell(cell: Cell, column: Column, size: number) {
    const c = typeof cell === "string" ? { text: cell } : cell;
    const face = this.face(c.face ?? column.face);
    const s = c.size ?? size;
    if (c.status !== undefined) {
      return { lines: [""], face, size: s, color: COLOR.text, status: c.status, muted: c.muted, short: c.short };
    }
    const max = c.maxLines ?? column.maxLines ?? 1;
    const width = column.width - 6;
    const lines = max === 1 ? [fitLine(c.text ?? "", face, s, width)] : wrapLines(c.text ?? "", face, s, width, max);
    return { lines, face, size: s, color: c.color ?? COLOR.text, status: undefined, muted: false, short: false };
  }
}

function roundedRect(x: number, y: number, w: number, h: number, r: number): string {
  const k = 0.5523 * r;
  const x2 = x + w;
  const y2 = y + h;
  return [
    `${num(x + r)} ${num(y)} m`,
    `${num(x2 - r)} ${num(y)} l`,
    `${num(x2 - r + k)} ${num(y)} ${num(x2)} ${num(y + r - k)} ${num(x2)} ${num(y + r)} c`,
    `${num(x2)} ${num(y2 - r)} l`,
    `${num(x2)} ${num(y2 - r + k)} ${num(x2 - r + k)} ${num(y2)} ${num(x2 - r)} ${num(y2)} c`,
    `${num(x + r)} ${num(y2)} l`,
    `${num(x + r - k)} ${num(y2)} ${num(x)} ${num(y2 - r + k)} ${num(x)} ${num(y2 - r)} c`,
    `${num(x)} ${num(y + r)} l`,
    `${num(x)} ${num(y + r - k)} ${num(x + r - k)} ${num(y)} ${num(x + r)} ${num(y)} c`,
    "h",
  ].join(" ");
}
