/**
 * Object keys that no Azure document uses and that tamper with JavaScript objects when code
 * copies them with assignment (`Object.assign`, `obj[k] = v` merges): `__proto__`, `constructor`
 * and `prototype`. `JSON.parse` keeps them as plain own properties, so they are refused outright
 * in uploaded snapshots and request bodies rather than trusted to stay harmless downstream.
 */
import { formatPath, type PathSegment } from "@/lib/posture/input-error";

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

interface Frame {
  value: unknown;
  parent: Frame | null;
  key: PathSegment | null;
}

/** The JSON path of the first forbidden key (depth first), or null. Iterative: no stack overflow on deep input. */
export function findForbiddenKey(root: unknown): { path: string; key: string } | null {
  const stack: Frame[] = [{ value: root, parent: null, key: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const item = v[i];
        if (item !== null && typeof item === "object") stack.push({ value: item, parent: frame, key: i });
      }
      continue;
    }
    const keys = Object.keys(v);
    for (const k of keys) {
      if (FORBIDDEN_KEYS.has(k)) return { path: pathOf({ value: null, parent: frame, key: k }), key: k };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const item = (v as Record<string, unknown>)[keys[i]];
      if (item !== null && typeof item === "object") stack.push({ value: item, parent: frame, key: keys[i] });
    }
  }
  return null;
}

function pathOf(frame: Frame): string {
  const segments: PathSegment[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) segments.push(f.key);
  return formatPath(segments.reverse());
}

export function forbiddenKeyProblem(key: string): string {
  return `the key ${JSON.stringify(key)} is not allowed (it can tamper with objects; Azure documents never use it)`;
}
