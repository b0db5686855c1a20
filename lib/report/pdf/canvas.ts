/**
 * Layout primitives over a pdfkit document: a cursor that flows down the page and breaks to new
 * pages, single-line and wrapped text, rules, boxes, code blocks, key/value lists and tables.
 * Simple drawing (text, rectangles, lines) is buffered as content-stream operators per page and
 * written in one piece; anything drawn through pdfkit's own API must call `flush()` first.
 *
 * When the document is tagged, the canvas also builds its structure tree for screen readers:
 * headings (H1–H3), paragraphs, lists and tables (Table > TR > TH/TD) are structure elements whose
 * drawing is their marked content; text drawn outside one becomes a paragraph of its own, and lines
 * and boxes outside one, like the running header and footer, are marked as artifacts.
 */
import type { FaceName } from "./fonts";
import { BREAK_AT_SLASH, clean, encodeLine, fitLine, num, widthOf, wrapLines, type Face } from "./text";
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

/** A structure element type of the standard structure (PDF 1.7 §14.8.4). */
export type StructType = "Document" | "Sect" | "TOC" | "TOCI" | "H1" | "H2" | "H3" | "P" | "L" | "LI" | "LBody" | "Table" | "TR" | "TH" | "TD" | "Figure";

/** A row of `table`: its cells, and optionally lines spanning the whole table under them (never truncated). */
export interface TableRow {
  readonly cells: readonly Cell[];
  readonly span?: readonly SpanLine[];
}

export interface SpanLine {
  readonly text: string;
  readonly face?: FaceName;
  readonly size?: number;
  readonly color?: Rgb;
  /** Long tokens break only after "/" (resource IDs). */
  readonly slashBreaks?: boolean;
}

export class Canvas {
  y: number = PAGE.top;
  readonly destinations: Destination[] = [];
  private ops: string[] = [];
  private destCount = 0;
  /** Open structure groups, the document element first; empty when the document is not tagged. */
  private readonly groups: PDFKit.PDFStructureElement[] = [];
  /** Inside a leaf element or an artifact: drawing is already marked. */
  private marked = false;
  /** Free text drawn outside any element, gathered into one paragraph until the next element starts. */
  private loose: PDFKit.PDFStructureContent | null = null;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly faces: Readonly<Record<FaceName, Face>>,
    tagged = false,
  ) {
    if (tagged) {
      const root = doc.struct("Document");
      doc.addStructure(root);
      this.groups.push(root);
    }
  }

  get tagged(): boolean {
    return this.groups.length > 0;
  }

  // ---------------------------------------------------------------- structure

  /** A structure element holding other elements (Table, TR, L, Sect…): `draw` adds its children. */
  group<T>(type: StructType, draw: () => T, element?: PDFKit.PDFStructureElement): T {
    if (!this.tagged || this.marked) return draw();
    this.endLooseText();
    const el = element ?? this.doc.struct(type);
    if (!element) this.groups[this.groups.length - 1].add(el);
    this.groups.push(el);
    try {
      return draw();
    } finally {
      this.endLooseText();
      this.groups.pop();
      if (!element) el.end();
    }
  }

  /** An element added now, filled later with `group(type, draw, element)` (the contents page is drawn last but read second). */
  placeholder(type: StructType): PDFKit.PDFStructureElement | undefined {
    if (!this.tagged) return undefined;
    this.endLooseText();
    const el = this.doc.struct(type);
    this.groups[this.groups.length - 1].add(el);
    return el;
  }

  /** A structure element whose drawing is its content (H1, P, TD…), across page breaks. */
  leaf<T>(type: StructType, draw: () => T): T {
    if (!this.tagged || this.marked) return draw();
    this.endLooseText();
    this.flush();
    const content = this.doc.markStructureContent(type);
    this.marked = true;
    try {
      return draw();
    } finally {
      this.flush();
      this.doc.endMarkedContent();
      this.marked = false;
      // Added after drawing: a page break inside re-opens the content on the new page, and those parts must be registered too.
      this.groups[this.groups.length - 1].add(this.doc.struct(type, {}, [content]));
    }
  }

  /** Drawing that is not content (running headers, footers, decoration): marked as an artifact. */
  artifact<T>(draw: () => T): T {
    if (!this.tagged || this.marked) return draw();
    this.endLooseText();
    this.ops.push("/Artifact BMC");
    this.marked = true;
    try {
      return draw();
    } finally {
      this.ops.push("EMC");
      this.marked = false;
    }
  }

  /** Ends the paragraph gathering free text, if one is open: before another element, a page switch or the end. */
  endLooseText(): void {
    if (this.loose === null) return;
    const content = this.loose;
    this.loose = null;
    this.flush();
    this.doc.endMarkedContent();
    this.groups[this.groups.length - 1].add(this.doc.struct("P", {}, [content]));
  }

  /** Graphics outside any element: an artifact, so a reader does not meet unlabelled content. */
  private pushGraphic(op: string): void {
    this.ops.push(this.tagged && !this.marked && this.loose === null ? `/Artifact BMC ${op} EMC` : op);
  }

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
    // Marked content open across the break (a paragraph, a cell) is closed here and re-opened on the new page.
    if (this.tagged) this.doc.continueOnNewPage();
    else this.doc.addPage();
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

  /** Draws text that is already cleaned (and fitted); outside any element, into the open loose paragraph. */
  drawClean(s: string, x: number, y: number, face: Face, size: number, color: Rgb, align?: "left" | "right" | "center", width?: number): number {
    if (s.length === 0) return 0;
    if (this.tagged && !this.marked && this.loose === null) {
      this.flush();
      this.loose = this.doc.markStructureContent("P");
    }
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
    this.pushGraphic(`${op}${path} ${paint}`);
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Rgb = COLOR.rule, width = 0.5, dash?: number): void {
    this.pushGraphic(`${rgb(color)} RG ${num(width)} w ${dash ? `[${dash} ${dash}] 0 d` : "[] 0 d"} ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  /** A filled polygon (for arrow heads). */
  polygon(points: readonly (readonly [number, number])[], fill: Rgb): void {
    const [first, ...rest] = points;
    this.pushGraphic(`${rgb(fill)} rg ${num(first[0])} ${num(first[1])} m ${rest.map(([x, y]) => `${num(x)} ${num(y)} l`).join(" ")} h f`);
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
    this.leaf("P", () => {
      for (const line of lines) {
        this.ensure(lh);
        this.drawClean(line, x, this.y, face, size, opts.color ?? COLOR.text);
        this.y += lh;
      }
    });
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
    this.leaf("H1", () => this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h1, color: COLOR.accent, width: CONTENT_WIDTH }));
    this.y += SIZE.h1 * 1.35;
    this.line(PAGE.marginX, this.y, PAGE.marginX + CONTENT_WIDTH, this.y, COLOR.accent, 1);
    this.y += 12;
    return item;
  }

  h2(title: string, opts: { bookmark?: { parent?: PDFKit.PDFOutline; level: number }; keepWith?: number } = {}): PDFKit.PDFOutline | undefined {
    this.ensure(SIZE.h2 * 1.6 + (opts.keepWith ?? 40));
    const item = opts.bookmark ? this.bookmark(title, opts.bookmark.level, opts.bookmark.parent) : undefined;
    this.leaf("H2", () => this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h2, color: COLOR.ink, width: CONTENT_WIDTH }));
    this.y += SIZE.h2 * 1.5;
    return item;
  }

  h3(title: string, keepWith = 30): void {
    this.ensure(SIZE.h3 * 1.5 + keepWith);
    this.leaf("H3", () => this.text(title, PAGE.marginX, this.y, { face: "bold", size: SIZE.h3, color: COLOR.ink, width: CONTENT_WIDTH }));
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
      this.leaf("P", () => {
        this.text(label, x, this.y, { face: "bold", size, color: COLOR.muted, width: labelWidth - 6 });
        for (const line of lines) {
          this.ensure(lh);
          this.drawClean(line, x + labelWidth, this.y, this.face(opts.valueFace), size, COLOR.text);
          this.y += lh;
        }
      });
      this.y += 2;
    }
  }

  /** Numbered or bulleted list. */
  list(items: readonly string[], opts: { numbered?: boolean; size?: number; x?: number } = {}): void {
    const size = opts.size ?? SIZE.body;
    const x = opts.x ?? PAGE.marginX;
    const indent = 14;
    this.group("L", () =>
      items.forEach((item, i) => {
        const lines = this.wrap(item, PAGE.marginX + CONTENT_WIDTH - x - indent, { size });
        const lh = size * 1.32;
        this.ensure(lh * Math.min(2, lines.length));
        this.group("LI", () =>
          this.leaf("LBody", () => {
            this.text(opts.numbered ? `${i + 1}.` : "•", x, this.y, { size, color: COLOR.muted });
            for (const line of lines) {
              this.ensure(lh);
              this.drawClean(line, x + indent, this.y, this.face("regular"), size, COLOR.text);
              this.y += lh;
            }
          }),
        );
        this.y += 1.5;
      }),
    );
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
    this.leaf("P", () => this.codeLines(lines, x, width, lh, pad, size));
    this.y += 6;
  }

  private codeLines(lines: readonly string[], x: number, width: number, lh: number, pad: number, size: number): void {
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
  }

  /**
   * A table with a header row repeated on every page; cells truncate or wrap by column. A row may
   * carry lines spanning the table under its cells (full resource IDs): those wrap, never truncate.
   */
  table(columns: readonly Column[], rows: Iterable<readonly Cell[] | TableRow>, opts: TableOptions = {}): void {
    const size = opts.size ?? SIZE.small;
    const headerSize = opts.headerSize ?? size;
    const padY = opts.padY ?? 2.5;
    const lh = size * 1.28;
    const x0 = PAGE.marginX;
    const totalWidth = columns.reduce((s, c) => s + c.width, 0);
    const headerCells = () => {
      let x = x0;
      for (const c of columns) {
        const at = x;
        this.leaf("TH", () =>
          this.text(c.title, at + 3, this.y + padY, { face: "bold", size: headerSize, color: COLOR.accent, width: c.width - 6, align: c.align }),
        );
        x += c.width;
      }
    };
    const header = (repeat: boolean) => {
      const h = headerSize * 1.3 + 2 * padY;
      this.rect(x0, this.y, totalWidth, h, { fill: COLOR.accentSoft });
      // The header read once; its repetitions on later pages are artifacts.
      if (repeat) this.artifact(headerCells);
      else this.group("TR", headerCells);
      this.y += h;
    };
    this.group("Table", () => {
      this.ensure(headerSize * 1.3 + 2 * padY + lh + 2 * padY);
      header(false);
      let index = 0;
      for (const raw of rows) {
        const row: TableRow = isTableRow(raw) ? raw : { cells: raw };
        const prepared = row.cells.map((cell, i) => this.prepareCell(cell, columns[i], size));
        const span = (row.span ?? []).map((l) => {
          const face = this.face(l.face);
          const s = l.size ?? size;
          return {
            face,
            size: s,
            color: l.color ?? COLOR.text,
            lh: s * 1.3,
            lines: wrapLines(l.text, face, s, totalWidth - 6, Infinity, false, l.slashBreaks ? BREAK_AT_SLASH : undefined),
          };
        });
        const lines = Math.max(1, ...prepared.map((p) => p.lines.length));
        const spanHeight = span.reduce((sum, l) => sum + l.lines.length * l.lh, 0);
        const h = lines * lh + 2 * padY + spanHeight;
        if (this.y + h > CONTENT_BOTTOM) {
          this.newPage();
          opts.onContinue?.();
          header(true);
        }
        if (opts.zebra && index % 2 === 1) this.rect(x0, this.y, totalWidth, h, { fill: COLOR.panel });
        this.group("TR", () => {
          let x = x0;
          prepared.forEach((p, i) => {
            const c = columns[i];
            const at = x;
            this.leaf("TD", () => {
              if (p.status !== undefined) {
                this.status(p.status, at + 3, this.y + padY, { size: p.size, short: p.short, muted: p.muted, width: c.width - 6, align: c.align });
              } else {
                let ly = this.y + padY;
                for (const line of p.lines) {
                  this.drawClean(line, at + 3, ly, p.face, p.size, p.color, c.align, c.width - 6);
                  ly += lh;
                }
              }
            });
            x += c.width;
          });
        });
        if (span.length) {
          this.group("TR", () =>
            this.leaf("TD", () => {
              let ly = this.y + padY + lines * lh;
              for (const l of span) {
                for (const line of l.lines) {
                  this.drawClean(line, x0 + 3, ly, l.face, l.size, l.color);
                  ly += l.lh;
                }
              }
            }),
          );
        }
        this.y += h;
        this.line(x0, this.y, x0 + totalWidth, this.y, COLOR.rule, 0.3);
        index++;
      }
    });
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

function isTableRow(row: readonly Cell[] | TableRow): row is TableRow {
  return !Array.isArray(row);
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
