/**
 * Turns the text of an input file into a JSON value, with clear errors for the ways files go
 * wrong in practice: empty, not JSON, a byte-order mark, or nesting so deep that later
 * `JSON.stringify` calls (store, reports) would overflow the stack.
 */

/** Azure documents nest about ten levels; anything past this is not an Azure export. */
export const MAX_JSON_DEPTH = 256;

export interface TextProblem {
  /** Always the whole file: a text problem has no JSON path. */
  path: "";
  problem: string;
}

export function parseJsonText(text: string): { value: unknown } | TextProblem {
  // PowerShell and some editors write a UTF-8 BOM; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return { path: "", problem: "the file is empty" };
  const depthProblem = nestingProblem(body);
  if (depthProblem) return { path: "", problem: depthProblem };
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    if (e instanceof RangeError) return { path: "", problem: "the JSON is nested too deeply to read" };
    const detail = e instanceof Error ? e.message : String(e);
    return { path: "", problem: `not valid JSON (${detail})` };
  }
}

/**
 * One linear pass, no recursion: reports nesting deeper than MAX_JSON_DEPTH. Strings, most of a
 * file, are skipped with native indexOf instead of character by character.
 */
function nestingProblem(body: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = closingQuote(body, i);
      if (end < 0) return undefined; // unterminated string: JSON.parse names the problem
      i = end;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_JSON_DEPTH) {
        return `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${i + 1}); Azure documents are never this deep`;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
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
