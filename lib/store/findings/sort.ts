/** Sorted orders of a findings index: each sort key's permutation, built once per index. */
import type { FindingsIndex, SortKey } from "./model";

const STATUS_RANK = [2, 0, 1, 3]; // by STATUSES index: fail, unknown, pass, not_applicable
const INDEX_SPACE = 2 ** 21;

const rankCache = new WeakMap<FindingsIndex, Uint32Array>();

/** Each resource's place in name order (then ID), computed once per index. */
function resourceRanks(ix: FindingsIndex): Uint32Array {
  const cached = rankCache.get(ix);
  if (cached) return cached;
  const order = ix.resources.map((r, ord) => ({ ord, name: r?.name.toLowerCase() ?? "", key: r?.key ?? "" }));
  order.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rank = new Uint32Array(ix.resources.length);
  order.forEach((r, i) => (rank[r.ord] = i));
  rankCache.set(ix, rank);
  return rank;
}

function rankOf(values: readonly string[]): Uint32Array {
  const sorted = values.map((v, i) => ({ v: v.toLowerCase(), i })).sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  const rank = new Uint32Array(values.length);
  sorted.forEach((x, i) => (rank[x.i] = i));
  return rank;
}

/**
 * The findings in `key` order (ties: resource name, then control), built once per index. Each
 * finding gets one number — primary × (resources × controls) + resource rank × controls +
 * control — so a native typed-array sort does the work instead of a JS comparator.
 */
export function sortedOrder(ix: FindingsIndex, key: SortKey): Uint32Array {
  let order = ix.sorted.get(key);
  if (order) return order;
  const ranks = resourceRanks(ix);
  const R = Math.max(ix.resources.length, 1);
  const C = Math.max(ix.controls.length, 1);
  const subRank = rankOf(ix.subKeys);
  const kindRank = rankOf(ix.kinds);
  const primary: Record<SortKey, (i: number) => number> = {
    severity: (i) => ix.severity[i] * 4 + STATUS_RANK[ix.status[i]],
    status: (i) => STATUS_RANK[ix.status[i]] * 3 + ix.severity[i],
    controlId: (i) => ix.control[i],
    resource: () => 0,
    subscription: (i) => subRank[ix.sub[i]],
    kind: (i) => kindRank[ix.kind[i]],
  };
  const p = primary[key];
  const n = ix.size;
  const maxPrimary = Math.max(12, C, ix.subs.length, ix.kinds.length);
  const fitsPacked = n < INDEX_SPACE && maxPrimary * R * C * INDEX_SPACE < Number.MAX_SAFE_INTEGER;
  const composite = (i: number) => (p(i) * R + ranks[ix.resource[i]]) * C + ix.control[i];
  order = new Uint32Array(n);
  if (fitsPacked) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = composite(i) * INDEX_SPACE + i;
    keys.sort();
    for (let k = 0; k < n; k++) order[k] = keys[k] % INDEX_SPACE;
  } else {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = composite(i);
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => keys[a] - keys[b] || a - b);
    order.set(idx);
  }
  ix.sorted.set(key, order);
  return order;
}
