/**
 * Text for the PDFs: cleaning hostile strings, measuring, wrapping, truncating and writing glyphs.
 *
 * Every string from a scan (resource names, tags, messages, evidence) goes through `clean`: control,
 * format (bidi overrides, zero-width), surrogate and private-use characters, and characters the
 * embedded font lacks, are printed as visible code points, e.g. `[U+202E]` or `[U+4E2D U+6587]`,
 * so nothing is hidden, reordered or drawn as an empty box. Text is only ever drawn as glyphs:
 * markup, scripts and spreadsheet formulas stay literal text.
 *
 * Glyphs are written straight into the page's content stream through pdfkit's embedded font (its
 * subset, widths and ToUnicode map), without pdfkit's per-call text layout: a 10,000-resource
 * report draws over 100,000 strings, and pdfkit's `text()` with full OpenType shaping costs ~100 µs
 * and several small buffers per call. Latin, Greek and Cyrillic text is laid out from the cmap and
 * advance widths (no kerning, no ligatures); runs with combining marks or right-to-left scripts
 * are shaped by fontkit, as pdfkit would.
 */
import type { FaceName } from "./fonts";

/** The parts of pdfkit's embedded (TrueType) font object that are read here. */
interface FontkitGlyph {
  readonly id: number;
  readonly advanceWidth: number;
  readonly codePoints: number[];
}
interface FontkitRun {
  readonly glyphs: FontkitGlyph[];
  readonly positions: { xAdvance: number }[];
}
interface FontkitFont {
  readonly unitsPerEm: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): FontkitGlyph;
  layout(text: string): FontkitRun;
}
export interface EmbeddedFont {
  readonly id: string;
  readonly font: FontkitFont;
  readonly subset: { includeGlyph(glyph: number): number };
  readonly widths: number[];
  readonly unicode: number[][];
  readonly scale: number;
  readonly ascender: number;
  readonly descender: number;
  ref(): unknown;
}

export function isEmbeddedFont(value: unknown): value is EmbeddedFont {
  const f = value as Partial<EmbeddedFont> | null;
  return (
    !!f &&
    typeof f.id === "string" &&
    !!f.font &&
    typeof f.font.glyphForCodePoint === "function" &&
    typeof f.font.hasGlyphForCodePoint === "function" &&
    typeof f.font.layout === "function" &&
    !!f.subset &&
    typeof f.subset.includeGlyph === "function" &&
    Array.isArray(f.widths) &&
    Array.isArray(f.unicode) &&
    typeof f.scale === "number"
  );
}

interface Glyph {
  readonly hex: string;
  /** Advance in thousandths of an em. */
  readonly w: number;
}

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;
/**
 * Characters never drawn as themselves: controls, format characters (bidi, zero-width), other
 * default-ignorable (invisible) characters such as variation selectors, surrogates, private use
 * and unassigned code points.
 */
const NEVER_DRAWN = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]$/u;
const WHITESPACE_CONTROL = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
/** Runs that need shaping: combining marks and right-to-left scripts. */
const NEEDS_SHAPING = /[\p{M}\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/** Short strings repeat (status labels, scores, IDs of controls): their cleaned and encoded forms are kept. */
const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 40;

export class Face {
  readonly id: string;
  /** Cleaned text of short strings. */
  readonly cleanCache = new Map<string, string>();
  /** Encoded (TJ operand, advance) of short cleaned strings. */
  readonly encodeCache = new Map<string, { ops: string; w: number }>();
  /** Ascent and descent in thousandths of an em (descender is negative). */
  readonly ascender: number;
  readonly descender: number;
  private readonly glyphs = new Map<number, Glyph | null>();

  constructor(
    readonly name: FaceName,
    private readonly font: EmbeddedFont,
  ) {
    this.id = font.id;
    this.ascender = font.ascender;
    this.descender = font.descender;
  }

  /** The pdfkit font object, to register on a page's resources. */
  get pdfFont(): EmbeddedFont {
    return this.font;
  }

  has(cp: number): boolean {
    return this.glyph(cp) !== null;
  }

  /** The glyph for a code point, added to the subset; null when the font lacks it. */
  glyph(cp: number): Glyph | null {
    let g = this.glyphs.get(cp);
    if (g !== undefined) return g;
    g = null;
    if (this.font.font.hasGlyphForCodePoint(cp)) {
      const fk = this.font.font.glyphForCodePoint(cp);
      if (fk.id !== 0) g = this.include(fk);
    }
    this.glyphs.set(cp, g);
    return g;
  }

  /** Shapes a run with fontkit: hex glyph codes and the TJ adjustments after each glyph. */
  shape(run: string): { ops: string; w: number } {
    const laid = this.font.font.layout(run);
    const scale = this.font.scale;
    let ops = "";
    let hex = "";
    let w = 0;
    for (let i = 0; i < laid.glyphs.length; i++) {
      const glyph = laid.glyphs[i];
      const g = this.include(glyph);
      hex += g.hex;
      const advance = laid.positions[i].xAdvance * scale;
      w += advance;
      const adjust = g.w - advance;
      if (Math.abs(adjust) > 0.01) {
        ops += `<${hex}> ${num(adjust)} `;
        hex = "";
      }
    }
    if (hex) ops += `<${hex}> `;
    return { ops, w };
  }

  private include(glyph: FontkitGlyph): Glyph {
    const f = this.font;
    const gid = f.subset.includeGlyph(glyph.id);
    if (f.widths[gid] == null) f.widths[gid] = glyph.advanceWidth * f.scale;
    if (f.unicode[gid] == null) f.unicode[gid] = glyph.codePoints;
    return { hex: gid.toString(16).padStart(4, "0"), w: glyph.advanceWidth * f.scale };
  }
}

/** `[U+XXXX …]` for characters that are not drawn as themselves. */
function codePointsMarker(cps: number[]): string {
  return `[${cps.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`).join(" ")}]`;
}

/**
 * The text as it will be printed with this face: white space controls become spaces; every
 * character that cannot or must not be drawn becomes a visible `[U+XXXX]` marker (consecutive
 * ones grouped). The result only holds characters the face has.
 */
export function clean(text: unknown, face: Face): string {
  const s = typeof text === "string" ? text : text == null ? "" : String(text);
  if (s.length <= CACHEABLE_LENGTH) {
    let c = face.cleanCache.get(s);
    if (c === undefined) {
      c = ASCII_PRINTABLE.test(s) ? s : cleanSlow(s, face);
      if (face.cleanCache.size >= CACHE_LIMIT) face.cleanCache.clear();
      face.cleanCache.set(s, c);
    }
    return c;
  }
  if (ASCII_PRINTABLE.test(s)) return s;
  return cleanSlow(s, face);
}

function cleanSlow(s: string, face: Face): string {
  let out = "";
  let pending: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (WHITESPACE_CONTROL.has(cp)) {
      if (pending.length) {
        out += codePointsMarker(pending);
        pending = [];
      }
      out += " ";
      continue;
    }
    const drawable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && NEVER_DRAWN.test(ch)) && face.has(cp);
    if (drawable) {
      if (pending.length) {
        out += codePointsMarker(pending);
        pending = [];
      }
      out += ch;
    } else {
      pending.push(cp);
      if (pending.length === 8) {
        out += codePointsMarker(pending);
        pending = [];
      }
    }
  }
  if (pending.length) out += codePointsMarker(pending);
  return out;
}

/** Width in points of already-cleaned text. */
export function widthOf(text: string, face: Face, size: number): number {
  if (text.length === 0) return 0;
  if (NEEDS_SHAPING.test(text)) return encodeLine(text, face).w * (size / 1000);
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let cp = code;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      cp = text.codePointAt(i) as number;
      i++;
    }
    w += face.glyph(cp)?.w ?? 0;
  }
  return w * (size / 1000);
}

/**
 * The TJ operand for already-cleaned text (without the `TJ`) and its advance in thousandths of
 * an em. Right-to-left runs are shaped and placed in order from left to right.
 */
export function encodeLine(text: string, face: Face): { ops: string; w: number } {
  if (text.length <= CACHEABLE_LENGTH) {
    let e = face.encodeCache.get(text);
    if (e === undefined) {
      e = encodeUncached(text, face);
      if (face.encodeCache.size >= CACHE_LIMIT) face.encodeCache.clear();
      face.encodeCache.set(text, e);
    }
    return e;
  }
  return encodeUncached(text, face);
}

function encodeUncached(text: string, face: Face): { ops: string; w: number } {
  if (!NEEDS_SHAPING.test(text)) {
    let hex = "";
    let w = 0;
    for (const ch of text) {
      const g = face.glyph(ch.codePointAt(0) as number);
      if (!g) continue;
      hex += g.hex;
      w += g.w;
    }
    return { ops: hex ? `<${hex}> ` : "", w };
  }
  let ops = "";
  let w = 0;
  for (const run of shapingRuns(text)) {
    if (run.shape) {
      const shaped = face.shape(run.text);
      ops += shaped.ops;
      w += shaped.w;
    } else {
      const plain = encodeLine(run.text, face);
      ops += plain.ops;
      w += plain.w;
    }
  }
  return { ops, w };
}

/** Splits text into runs that need shaping (RTL script or marks, with the spaces between) and plain runs. */
function shapingRuns(text: string): { text: string; shape: boolean }[] {
  const runs: { text: string; shape: boolean }[] = [];
  for (const ch of text) {
    const shape = NEEDS_SHAPING.test(ch) || RTL.test(ch);
    const last = runs[runs.length - 1];
    if (last && (last.shape === shape || (ch === " " && last.shape))) last.text += ch;
    else if (last && !shape && /\p{M}/u.test(ch)) last.text += ch;
    else runs.push({ text: ch, shape });
  }
  // A base letter followed by combining marks must be shaped together with them.
  for (let i = 1; i < runs.length; i++) {
    if (runs[i].shape && /^\p{M}/u.test(runs[i].text) && !runs[i - 1].shape) {
      const prev = [...runs[i - 1].text];
      const base = prev.pop() ?? "";
      runs[i - 1].text = prev.join("");
      runs[i].text = base + runs[i].text;
    }
  }
  return runs.filter((r) => r.text.length > 0);
}

/** Cleaned text cut to fit `width`, ending with "…" when cut. */
export function fitLine(text: unknown, face: Face, size: number, width: number): string {
  const s = clean(text, face);
  if (widthOf(s, face, size) <= width) return s;
  const ellipsis = "…";
  const budget = width - widthOf(ellipsis, face, size);
  const cps = [...s];
  let lo = 0;
  let hi = cps.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (widthOf(cps.slice(0, mid).join(""), face, size) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return cps.slice(0, lo).join("").trimEnd() + ellipsis;
}

/**
 * Where a long token may break. Not after "-": text extractors (pdftotext) take a line-final
 * hyphen for hyphenation and drop it, which would corrupt IDs and GUIDs when copied.
 */
const BREAK_AFTER: ReadonlySet<string> = new Set(["/", "_", ".", ":", ",", ";", "=", "&", "?", "|", "\\", ")", "]", "}"]);
/** Resource IDs break only after a slash, between path segments, never inside a name. */
export const BREAK_AT_SLASH: ReadonlySet<string> = new Set(["/"]);

/**
 * Word-wraps text into lines no wider than `width`. Explicit newlines are kept as line breaks; a
 * token longer than a line is broken after a separator (`/`, `-`, `.`…) when one fits, else
 * between characters, so very long names and IDs never overflow. `maxLines` truncates with "…".
 */
export function wrapLines(
  text: unknown,
  face: Face,
  size: number,
  width: number,
  maxLines = Infinity,
  keepIndent = false,
  breakAfter: ReadonlySet<string> = BREAK_AFTER,
): string[] {
  const raw = typeof text === "string" ? text : text == null ? "" : String(text);
  const lines: string[] = [];
  for (const paragraph of raw.split(/\r\n|\r|\n/)) {
    const cleaned = clean(paragraph, face);
    const indent = keepIndent ? (/^ */.exec(cleaned)?.[0] ?? "") : "";
    if (indent && indent.length < cleaned.length) {
      const indentWidth = widthOf(indent, face, size);
      const start = lines.length;
      wrapParagraph(cleaned.slice(indent.length), face, size, Math.max(width / 2, width - indentWidth), lines, breakAfter);
      for (let i = start; i < lines.length; i++) lines[i] = indent + lines[i];
    } else wrapParagraph(cleaned, face, size, width, lines, breakAfter);
    if (lines.length >= maxLines) break;
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = fitLine(`${kept[maxLines - 1]} ${lines[maxLines]}`, face, size, width);
    if (!kept[maxLines - 1].endsWith("…")) kept[maxLines - 1] = fitLine(`${kept[maxLines - 1]}…`, face, size, width);
    return kept;
  }
  return lines;
}

function wrapParagraph(text: string, face: Face, size: number, width: number, out: string[], breakAfter: ReadonlySet<string>): void {
  const words = text.split(/ +/).filter((w) => w.length > 0);
  if (words.length === 0) {
    out.push("");
    return;
  }
  const space = widthOf(" ", face, size);
  let line = "";
  let lineW = 0;
  for (const word of words) {
    const w = widthOf(word, face, size);
    if (line && lineW + space + w <= width) {
      line += ` ${word}`;
      lineW += space + w;
      continue;
    }
    if (w <= width) {
      if (line) out.push(line);
      line = word;
      lineW = w;
      continue;
    }
    // Too long for any line: fill the current line's rest, then whole lines.
    let rest = word;
    let avail = line ? width - lineW - space : width;
    if (line && avail < width * 0.25) {
      out.push(line);
      line = "";
      lineW = 0;
      avail = width;
    }
    while (rest) {
      const [head, tail] = breakToken(rest, face, size, avail, line === "", breakAfter);
      if (head) {
        line = line ? `${line} ${head}` : head;
      }
      if (!tail) {
        lineW = widthOf(line, face, size);
        rest = "";
        break;
      }
      out.push(line);
      line = "";
      lineW = 0;
      rest = tail;
      avail = width;
      if (widthOf(rest, face, size) <= width) {
        line = rest;
        lineW = widthOf(rest, face, size);
        rest = "";
      }
    }
  }
  if (line) out.push(line);
}

/** The longest head of `token` that fits `avail`, preferring a break after a separator. */
function breakToken(token: string, face: Face, size: number, avail: number, mustTake: boolean, breakAfter: ReadonlySet<string>): [string, string] {
  const cps = [...token];
  let fit = 0;
  let w = 0;
  for (; fit < cps.length; fit++) {
    const cw = widthOf(cps[fit], face, size);
    if (w + cw > avail) break;
    w += cw;
  }
  if (fit === 0) return mustTake ? [cps[0], cps.slice(1).join("")] : ["", token];
  let cut = fit;
  // Prefer a separator, as long as at least 40% of the line stays filled.
  for (let i = fit; i > Math.max(0, Math.floor(fit * 0.4)); i--) {
    if (breakAfter.has(cps[i - 1])) {
      cut = i;
      break;
    }
  }
  while (cut > 1 && cut < cps.length && cps[cut - 1] === "-") cut--;
  return [cps.slice(0, cut).join(""), cps.slice(cut).join("")];
}

/** A number for a content stream: at most two decimals, no exponent. */
export function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const r = Math.round(n * 100) / 100;
  return String(r);
}
