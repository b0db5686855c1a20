/**
 * Where broken JSON breaks: JSON.parse's message names no position for many errors on Node 20
 * ("Unexpected token '}', … is not valid JSON"), so a file's first syntax error is found again
 * here, by a small scanner run only after JSON.parse has refused the text, and given as a line
 * and a column a person can jump to. Nesting is already bounded (json-text.ts) before this runs.
 */

export interface SyntaxPosition {
  /** 1-based line and column (in UTF-16 code units, as editors count most characters). */
  line: number;
  column: number;
  /** What was found there: `"}"`, or "the end of the file". */
  found: string;
}

class Broken {
  constructor(readonly at: number) {}
}

/** The position of the first syntax error in `text`, or undefined when it is valid JSON. */
export function syntaxErrorPosition(text: string): SyntaxPosition | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) throw new Broken(i);
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Broken(i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Broken(i);
      } else i++;
    }
    throw new Broken(i);
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Broken(i);
        string();
        ws();
        if (text[i] !== ":") throw new Broken(i);
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else throw new Broken(i);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else throw new Broken(i);
      }
    }
    if (c === '"') return string();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    throw new Broken(i);
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Broken(i);
    return undefined;
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    return positionOf(text, error.at);
  }
}

function positionOf(text: string, at: number): SyntaxPosition {
  let line = 1;
  let lineStart = 0;
  for (let j = text.indexOf("\n"); j >= 0 && j < at; j = text.indexOf("\n", j + 1)) {
    line++;
    lineStart = j + 1;
  }
  const ch = text[at];
  return { line, column: at - lineStart + 1, found: ch === undefined ? "the end of the file" : JSON.stringify(ch) };
}
