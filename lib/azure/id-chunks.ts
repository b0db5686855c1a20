/**
 * Resource IDs spliced into a KQL `in (…)` list, in chunks that keep each query short. Resource
 * Graph documents no query-length limit we could find; QUERY_ID_CHARS is our own budget, far under
 * any request-size limit, and large enough that a chunk's rows, not its text, decide the paging.
 */
import { subscriptionOfId } from "./links";

export const QUERY_ID_CHARS = 48_000;

export interface IdChunk {
  ids: string[];
  /** Lower-cased subscriptions of the IDs: the request's scope. */
  subscriptions: string[];
}

/** Distinct IDs (case-insensitively) sorted so a chunk spans few subscriptions, cut at `budget` characters. */
export function idChunks(ids: Iterable<string>, budget = QUERY_ID_CHARS): IdChunk[] {
  const distinct = [...new Map([...ids].map((id) => [id.toLowerCase(), id])).keys()].sort();
  const chunks: IdChunk[] = [];
  let current: string[] = [];
  let size = 0;
  for (const id of distinct) {
    // Each ID costs its quotes and separator as well.
    if (current.length > 0 && size + id.length + 4 > budget) {
      chunks.push(close(current));
      current = [];
      size = 0;
    }
    current.push(id);
    size += id.length + 4;
  }
  if (current.length > 0) chunks.push(close(current));
  return chunks;
}

function close(ids: string[]): IdChunk {
  const subs = new Set<string>();
  for (const id of ids) {
    const sub = subscriptionOfId(id);
    if (sub) subs.add(sub.toLowerCase());
  }
  return { ids, subscriptions: [...subs].sort() };
}
