/**
 * Turns the text of an input file into a JSON value, with clear errors for the ways files go
 * wrong in practice: empty, not JSON, a byte-order mark, nesting so deep that later
 * `JSON.stringify` calls (store, reports) would overflow the stack, or (when a cap is given) more
 * values than the caller can afford to hold: millions of tiny values (`[{},{},…]`) cost far more
 * memory than their bytes suggest, so they are counted before JSON.parse allocates any of them.
 */

import { syntaxErrorPosition } from "./json-position";

/** Azure documents nest about ten levels; anything past this is not an Azure export. */
export const MAX_JSON_DEPTH = 256;

export interface JsonTextOptions {
  /** Refuse text holding more JSON values (objects, arrays, strings, numbers, literals) than this. */
  maxValues?: number;
}

export interface TextProblem {
  /** Always the whole file: a text problem has no JSON path. */
  path: "";
  problem: string;
  /** Set when the text was refused for holding more than `maxValues` values. */
  tooManyValues?: true;
}

export function parseJsonText(text: string, options: JsonTextOptions = {}): { value: unknown } | TextProblem {
  // PowerShell and some editors write a UTF-8 BOM; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return { path: "", problem: "the file is empty" };
  const structure = structureProblem(body, options.maxValues ?? Infinity);
  if (structure) return { path: "", ...structure };
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    if (e instanceof RangeError) return { path: "", problem: "the JSON is nested too deeply to read" };
    const detail = e instanceof Error ? e.message : String(e);
    const at = syntaxErrorPosition(body);
    // Line and column count from the text after a byte-order mark, as an editor shows it.
    // V8's own message quotes the text around the error; the line and column say more, once.
    if (at) return { path: "", problem: `not valid JSON at line ${at.line}, column ${at.column} (found ${at.found})` };
    return { path: "", problem: `not valid JSON (${detail})` };
  }
}

/**
 * One linear pass, no recursion and no allocation: reports nesting deeper than MAX_JSON_DEPTH and
 * more than `maxValues` values. Strings, most of a file, are skipped with native indexOf instead
 * of character by character. Values are counted without telling keys from values: the root, plus
 * one per comma, plus the first member of every non-empty container (a member is a value).
 */
function structureProblem(body: string, maxValues: number): { problem: string; tooManyValues?: true } | undefined {
  let depth = 0;
  let values = 1;
  let opened = false; // the last significant character opened a container
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (opened && c !== 93 /* ] */ && c !== 125 /* } */) values++;
    opened = false;
    if (c === 34 /* " */) {
      const end = closingQuote(body, i);
      if (end < 0) return undefined; // unterminated string: JSON.parse names the problem
      i = end;
    } else if (c === 44 /* , */) {
      values++;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      opened = true;
      if (++depth > MAX_JSON_DEPTH) {
        return { problem: `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${i + 1}); Azure documents are never this deep` };
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
    if (values > maxValues) {
      return { problem: `the JSON holds more than ${maxValues} values (at character ${i + 1}), more than this reader accepts`, tooManyValues: true };
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(body: string, open: number): number {
  for (let j = body.indexOf('"', open + 1); j >= 0; j = body.indexOf('"', j + 1)) {
    let backslashes = 0;
    for (let k = j - 1; body.charCodeAt(k) === 92 /* \ */; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
  return -1;
}
