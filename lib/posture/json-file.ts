/**
 * Reads a JSON file without ever holding its whole text. The top level and the containers
 * directly inside it are walked here; every value below them (one resource document, one map
 * entry, one subscription) is cut out of the read buffer and given to JSON.parse on its own.
 *
 * Why: JSON.parse on a whole 500 MB snapshot keeps the text and the parsed value alive together
 * (the text is only freed by a later full GC), and V8 cannot make a string longer than about
 * 512 MB at all. Here the peak is the parsed value plus one read buffer.
 *
 * On any problem the whole text goes through `parseJsonText`, so an error reads exactly as it
 * does for text input (files too long for one string get a byte offset instead).
 */
import { constants } from "node:buffer";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { MAX_JSON_DEPTH, parseJsonText, type TextProblem } from "./json-text";

const CHUNK = 8 * 1024 * 1024;

/** Thrown inside the reader; turned into a TextProblem by `readJsonFile`. */
class Malformed extends Error {
  constructor(readonly at: number) {
    super("malformed");
  }
}

/** Thrown inside the reader when the file holds more values than allowed. */
class TooManyValues extends Error {
  constructor(readonly at: number) {
    super("too many values");
  }
}

export interface JsonFileOptions {
  /** The first read size (tests make it tiny to cross every boundary). */
  chunkBytes?: number;
  /**
   * Refuse a file holding more JSON values than this, counted as `parseJsonText` counts them
   * (every value once, keys not included), each slice before JSON.parse allocates any of it.
   */
  maxValues?: number;
}

/** A window onto the file: `buf[pos..end)` is read and not yet consumed. */
class Window {
  buf: Buffer;
  pos = 0;
  end = 0;
  /** File offset of `buf[0]`, for error positions. */
  base = 0;
  eof = false;
  /** JSON values read so far, and how many are allowed. */
  values = 0;
  maxValues = Infinity;

  constructor(
    private readonly fd: number,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Reads more, keeping `buf[keepFrom..end)`; grows the buffer when that alone fills it. */
  more(keepFrom: number): boolean {
    if (this.eof) return false;
    const kept = this.end - keepFrom;
    let target = this.buf;
    if (kept > this.buf.length / 2) target = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(target, 0, keepFrom, this.end);
    this.buf = target;
    this.base += keepFrom;
    this.pos -= keepFrom;
    this.end = kept;
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) this.eof = true;
    this.end += n;
    return n > 0;
  }

  /** The next byte that is not JSON whitespace, without consuming it; -1 at the end of the file. */
  peek(): number {
    for (;;) {
      while (this.pos < this.end) {
        const c = this.buf[this.pos];
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
        this.pos++;
      }
      if (!this.more(this.end)) return -1;
    }
  }

  expect(byte: number): void {
    if (this.peek() !== byte) throw new Malformed(this.base + this.pos);
    this.pos++;
  }
}

/** `chunkBytes` (or `options.chunkBytes`) is the first read size (tests make it tiny to cross every boundary). */
export function readJsonFile(path: string, options: number | JsonFileOptions = {}): { value: unknown } | TextProblem {
  const { chunkBytes = CHUNK, maxValues = Infinity } = typeof options === "number" ? { chunkBytes: options } : options;
  const fd = openSync(path, "r");
  try {
    const w = new Window(fd, Math.max(4, chunkBytes));
    w.maxValues = maxValues;
    w.more(0);
    if (w.end >= 3 && w.buf[0] === 0xef && w.buf[1] === 0xbb && w.buf[2] === 0xbf) w.pos = 3; // UTF-8 byte-order mark
    if (w.peek() === -1) return { path: "", problem: "the file is empty" };
    const value = readValue(w, 0, 1);
    if (w.peek() !== -1) throw new Malformed(w.base + w.pos);
    return { value };
  } catch (error) {
    if (error instanceof TooManyValues) {
      return {
        path: "",
        problem: `the JSON holds more than ${maxValues} values (near byte ${error.at}), more than this reader accepts`,
        tooManyValues: true,
      };
    }
    if (!(error instanceof Malformed) && !(error instanceof SyntaxError)) throw error;
    return wholeTextProblem(path, error instanceof Malformed ? error.at : undefined);
  } finally {
    closeSync(fd);
  }
}

/**
 * The value at the cursor. Containers at `level` 0 and 1 are walked member by member; anything
 * deeper is one slice for JSON.parse. `depth` is the nesting depth a container here opens.
 */
function readValue(w: Window, level: number, depth: number): unknown {
  const c = w.peek();
  if (level < 2 && (c === 0x5b || c === 0x7b) && ++w.values > w.maxValues) throw new TooManyValues(w.base + w.pos);
  if (level < 2 && c === 0x5b /* [ */) {
    w.pos++;
    const out: unknown[] = [];
    if (w.peek() === 0x5d /* ] */) {
      w.pos++;
      return out;
    }
    for (;;) {
      out.push(readValue(w, level + 1, depth + 1));
      if (w.peek() === 0x2c /* , */) w.pos++;
      else {
        w.expect(0x5d);
        return out;
      }
    }
  }
  if (level < 2 && c === 0x7b /* { */) {
    w.pos++;
    const out: Record<string, unknown> = {};
    if (w.peek() === 0x7d /* } */) {
      w.pos++;
      return out;
    }
    for (;;) {
      if (w.peek() !== 0x22) throw new Malformed(w.base + w.pos);
      const key = readSlice(w, depth, false) as string;
      w.expect(0x3a /* : */);
      const value = readValue(w, level + 1, depth + 1);
      // Assignment to "__proto__" would set the prototype; JSON.parse makes an own property.
      if (key === "__proto__") Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      if (w.peek() === 0x2c) w.pos++;
      else {
        w.expect(0x7d);
        return out;
      }
    }
  }
  return readSlice(w, depth);
}

/** Parses the one value at the cursor with JSON.parse, reading more of the file as needed (`counted`: false for a key). */
function readSlice(w: Window, depth: number, counted = true): unknown {
  if (w.peek() === -1) throw new Malformed(w.base + w.pos);
  for (;;) {
    const end = valueEnd(w.buf, w.pos, w.end, depth, w.base);
    if (end >= 0 && (end < w.end || w.eof)) {
      if (counted && w.maxValues !== Infinity) {
        w.values += countValues(w.buf, w.pos, end);
        if (w.values > w.maxValues) throw new TooManyValues(w.base + w.pos);
      }
      const value: unknown = JSON.parse(w.buf.toString("utf8", w.pos, end));
      w.pos = end;
      return value;
    }
    // Incomplete (or a number that may go on): read more and scan the value again.
    if (!w.more(w.pos)) {
      if (end >= 0) continue;
      throw new Malformed(w.base + w.end);
    }
  }
}

/**
 * The end (exclusive) of the value starting at `start`, or -1 when `limit` comes first. Strings
 * are skipped with native indexOf; only brackets outside strings are counted.
 */
function valueEnd(buf: Buffer, start: number, limit: number, depth: number, base: number): number {
  const first = buf[start];
  if (first === 0x22) return stringEnd(buf, start, limit);
  if (first !== 0x5b && first !== 0x7b) {
    // A number or literal: up to the next delimiter.
    for (let i = start; i < limit; i++) {
      const c = buf[i];
      if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
    }
    return limit; // ends with the buffer: complete only at the end of the file
  }
  let open = 0;
  for (let i = start; i < limit; i++) {
    const c = buf[i];
    if (c === 0x22) {
      const end = stringEnd(buf, i, limit);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (depth + open > MAX_JSON_DEPTH) throw new Malformed(base + i);
      open++;
    } else if (c === 0x5d || c === 0x7d) {
      if (--open === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The JSON values in the complete value `buf[start..end)`, counted as `parseJsonText` counts them:
 * the value itself, plus one per comma, plus the first member of every non-empty container.
 */
function countValues(buf: Buffer, start: number, end: number): number {
  const first = buf[start];
  if (first !== 0x5b && first !== 0x7b) return 1;
  let values = 1;
  let opened = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (opened && c !== 0x5d && c !== 0x7d) values++;
    opened = false;
    if (c === 0x22) i = stringEnd(buf, i, end) - 1;
    else if (c === 0x2c) values++;
    else if (c === 0x5b || c === 0x7b) opened = true;
  }
  return values;
}

/** The end (exclusive) of the string opened at `open`, or -1 when `limit` comes first. */
function stringEnd(buf: Buffer, open: number, limit: number): number {
  for (let j = buf.indexOf(0x22, open + 1); j >= 0 && j < limit; j = buf.indexOf(0x22, j + 1)) {
    let backslashes = 0;
    for (let k = j - 1; buf[k] === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
  }
  return -1;
}

/** The error text input would get; a file too long for one string gets a byte offset. */
function wholeTextProblem(path: string, at: number | undefined): { value: unknown } | TextProblem {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_STRING_TOO_LONG") throw error;
    return {
      path: "",
      problem: `not valid JSON (near byte ${at ?? "?"}); the file is also too large to show more (over ${Math.floor(constants.MAX_STRING_LENGTH / 1048576)} MB)`,
    };
  }
  return parseJsonText(text);
}
