/**
 * Readers for values inside Azure documents. Documents are validated by `parse.ts` for the
 * fields the controls read, but evaluation may also receive a Snapshot built in code, so the
 * readers never trust a type: a wrong type reads as absent.
 */

export type Json = Record<string, unknown>;

/** Shared empty object for absent `properties` and the like (never mutated). */
export const EMPTY_OBJECT: Json = Object.freeze(Object.create(null)) as Json;
export const EMPTY_ARRAY: readonly never[] = Object.freeze([]);

/** A plain (non-array) object, or undefined. */
export function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** An object property that must itself be an object; `EMPTY_OBJECT` when absent or mistyped. */
export function child(parent: Json | undefined, name: string): Json {
  return (parent && obj(parent[name])) || EMPTY_OBJECT;
}

/** Like `child`, trying the all-lower-case spelling too (storage spells `keyvaultproperties`). */
export function childEither(parent: Json, name: string, lower: string): Json {
  return obj(parent[name]) ?? obj(parent[lower]) ?? EMPTY_OBJECT;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY_ARRAY;
}

/** A string with visible content, or undefined: blank strings count as absent. */
export function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  for (let i = 0; i < value.length; i++) if (!isSpace(value.charCodeAt(i))) return value;
  return undefined;
}

/** `text` of either spelling of a property (`keyVaultUri` / `keyvaulturi`). */
export function textEither(parent: Json, name: string, lower: string): string | undefined {
  return text(parent[name]) ?? text(parent[lower]);
}

/**
 * Case-insensitive comparison with an expected ASCII value given in lower case, ignoring
 * surrounding white space (enum values). Compares characters in place: it runs for every account.
 */
export function eqCi(value: unknown, expectedLower: string): boolean {
  if (typeof value !== "string") return false;
  let start = 0;
  let end = value.length;
  while (start < end && isSpace(value.charCodeAt(start))) start++;
  while (end > start && isSpace(value.charCodeAt(end - 1))) end--;
  return sameCiAt(value, start, end, expectedLower);
}

/** Like `eqCi` without trimming (for a slice already cut to size). */
export function sameCi(value: unknown, expectedLower: string): boolean {
  return typeof value === "string" && sameCiAt(value, 0, value.length, expectedLower);
}

function sameCiAt(value: string, start: number, end: number, expectedLower: string): boolean {
  if (end - start !== expectedLower.length) return false;
  for (let i = 0; i < expectedLower.length; i++) {
    const c = value.charCodeAt(start + i);
    const e = expectedLower.charCodeAt(i);
    if (c !== e && !(c >= 65 && c <= 90 && c + 32 === e)) return false;
  }
  return true;
}

/** The characters `String.prototype.trim` removes. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * The value to show as `actual` in evidence. Absent becomes null so JSON keeps the key; a
 * mistyped object is named, never copied, so evidence never carries arbitrarily deep data.
 */
export function shown(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return Array.isArray(value) ? "(an array)" : `(${typeof value === "object" ? "an object" : typeof value})`;
}

/**
 * The value at a dotted path, matching each property name case-insensitively (an exact spelling
 * wins). For display code reading documents whose casing varies between API versions.
 */
export function readPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split(".")) {
    const o = obj(cur);
    if (o === undefined) return undefined;
    if (part in o) {
      cur = o[part];
      continue;
    }
    const lower = part.toLowerCase();
    const hit = Object.keys(o).find((k) => k.toLowerCase() === lower);
    cur = hit === undefined ? undefined : o[hit];
  }
  return cur;
}
