/**
 * KQL tokens: identifiers (including `mv-expand`-style operator names and `$left`), string
 * literals ('…', "…" with backslash escapes; @'…' verbatim), numbers and punctuation. Negated and
 * case-insensitive string operators (`!in~`, `!contains`) are single tokens.
 */
import { KqlError } from "./errors";

export type TokenKind = "ident" | "string" | "number" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  value: string;
  pos: number;
}

const HYPHENATED = new Set(["mv", "project", "make", "top", "parse"]);
const OPERATORS = [
  "==",
  "!=",
  "=~",
  "!~",
  "<=",
  ">=",
  "<>",
  "=>",
  "<",
  ">",
  "=",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  "|",
  ".",
  "+",
  "-",
  "*",
  "/",
  "%",
  ";",
  ":",
];
const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c);
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const start = i;
    if (c === "@" && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const quote = text[i + 1];
      const end = text.indexOf(quote, i + 2);
      if (end < 0) throw new KqlError("Unterminated verbatim string literal", start);
      tokens.push({ kind: "string", value: text.slice(i + 2, end), pos: start });
      i = end + 1;
      continue;
    }
    if ((c === "h" || c === "H") && (text[i + 1] === "'" || text[i + 1] === '"')) i++; // obfuscated string: same value
    if (text[i] === "'" || text[i] === '"') {
      const [value, next] = readString(text, i);
      tokens.push({ kind: "string", value, pos: start });
      i = next;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?)/.exec(text.slice(i))!;
      const after = text[i + m[0].length];
      if (after !== undefined && isIdentPart(after)) {
        throw new KqlError(`Literal '${text.slice(i, i + m[0].length + 1)}…' (timespan, datetime or typed literal) is not supported by the emulator`, start);
      }
      tokens.push({ kind: "number", value: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (c === "!" && isIdentStart(text[i + 1] ?? "")) {
      // `!in`, `!in~`, `!contains`, `!has_cs`, …: one operator token.
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      if (text[j] === "~") j++;
      tokens.push({ kind: "op", value: text.slice(i, j), pos: start });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      let word = text.slice(i, j);
      if (word === "in" && text[j] === "~") {
        word = "in~";
        j++;
      }
      while (HYPHENATED.has(word) && text[j] === "-" && /[A-Za-z]/.test(text[j + 1] ?? "")) {
        let k = j + 1;
        while (k < text.length && isIdentPart(text[k])) k++;
        word = text.slice(i, k);
        j = k;
      }
      tokens.push({ kind: "ident", value: word, pos: start });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new KqlError(`Unexpected character '${c}'`, start);
    tokens.push({ kind: "op", value: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: "eof", value: "", pos: text.length });
  return tokens;
}

function readString(text: string, start: number): [string, number] {
  const quote = text[start];
  let out = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === quote) return [out, i + 1];
    if (c === "\n") break;
    if (c === "\\") {
      const e = text[i + 1];
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (e === undefined || !(e in ESCAPES)) throw new KqlError(`Unsupported escape sequence '\\${e ?? ""}' in string literal`, i);
      out += ESCAPES[e];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new KqlError("Unterminated string literal", start);
}
