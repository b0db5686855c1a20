/**
 * Kusto value semantics over JSON values: string conversion, null handling (a comparison with
 * null is null, and `where` keeps only true), ordering, term matching for `has`.
 */

export type Value = unknown;

export const isNull = (v: Value): v is null | undefined => v === null || v === undefined;

/** `tostring()`: null → "", JSON for arrays and objects. */
export function toStr(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export function toBool(v: Value): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
    if (/^-?\d+$/.test(s)) return Number(s) !== 0;
  }
  return null;
}

export function toLong(v: Value): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v));
  return null;
}

export function toReal(v: Value): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** `==`: same type compares by value; a string on either side compares the other as a string. */
export function equals(a: Value, b: Value): boolean | null {
  if (isNull(a) || isNull(b)) return null;
  if (typeof a === "string" || typeof b === "string") return toStr(a) === toStr(b);
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b;
  if (typeof a === "object" && typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Ordering for `<`, `>`: numbers numerically, strings ordinally; anything else is null. */
export function compare(a: Value, b: Value): number | null {
  if (isNull(a) || isNull(b)) return null;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return null;
}

const RANK: Record<string, number> = { boolean: 1, number: 2, string: 3, object: 4 };

/** Total order for sorting (nulls are placed by the caller). */
export function sortCompare(a: Value, b: Value): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return (RANK[ta] ?? 5) - (RANK[tb] ?? 5);
  if (ta === "object") {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

const isAlnum = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;

/** `has`: the needle occurs as a whole term (bounded by non-alphanumeric characters). */
export function hasTerm(hay: string, needle: string): boolean {
  if (needle === "") return true;
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 || !isAlnum(hay.charCodeAt(at - 1)) || !isAlnum(needle.charCodeAt(0));
    const endAt = at + needle.length;
    const after = endAt >= hay.length || !isAlnum(hay.charCodeAt(endAt)) || !isAlnum(needle.charCodeAt(needle.length - 1));
    if (before && after) return true;
    from = at + 1;
  }
}

/** A key for hashing (join, distinct): values equal under `==` of one type share a key. */
export function hashKey(v: Value): string | undefined {
  if (isNull(v)) return undefined;
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "number":
      return `n${v}`;
    case "boolean":
      return `b${v}`;
    default:
      return `o${JSON.stringify(v)}`;
  }
}
