/**
 * Object keys that no Azure document uses and that tamper with JavaScript objects when code
 * copies them with assignment (`Object.assign`, `obj[k] = v` merges): `__proto__`, `constructor`
 * and `prototype`. `JSON.parse` keeps them as plain own properties, so they are refused outright
 * in uploaded snapshots and request bodies rather than trusted to stay harmless downstream.
 */
import { formatPath, type PathSegment } from "@/lib/posture/input-error";

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** One container on the path from the root to the value being looked at. */
interface Level {
  container: object;
  /** The object's keys; null for an array. */
  keys: string[] | null;
  /** The index (into `keys` or the array) of the next child to visit. */
  next: number;
}

/**
 * The JSON path of the first forbidden key (depth first), or null. Iterative, and it holds only
 * the containers on the current path (not one entry per node), so neither deep nor wide input
 * costs more than its own nesting depth.
 */
export function findForbiddenKey(root: unknown): { path: string; key: string } | null {
  if (root === null || typeof root !== "object") return null;
  const path: Level[] = [];
  const enter = (container: object): string | null => {
    if (Array.isArray(container)) {
      path.push({ container, keys: null, next: 0 });
      return null;
    }
    const keys = Object.keys(container);
    for (const k of keys) if (FORBIDDEN_KEYS.has(k)) return k;
    path.push({ container, keys, next: 0 });
    return null;
  };
  let bad = enter(root);
  while (bad === null && path.length > 0) {
    const level = path[path.length - 1];
    const size = level.keys ? level.keys.length : (level.container as unknown[]).length;
    if (level.next >= size) {
      path.pop();
      continue;
    }
    const i = level.next++;
    const child = level.keys ? (level.container as Record<string, unknown>)[level.keys[i]] : (level.container as unknown[])[i];
    if (child !== null && typeof child === "object") bad = enter(child);
  }
  if (bad === null) return null;
  const segments: PathSegment[] = path.map((l) => (l.keys ? l.keys[l.next - 1] : l.next - 1));
  segments.push(bad);
  return { path: formatPath(segments), key: bad };
}

export function forbiddenKeyProblem(key: string): string {
  return `the key ${JSON.stringify(key)} is not allowed (it can tamper with objects; Azure documents never use it)`;
}
