/**
 * The store's one cache: what is derived from a succeeded scan (its findings index, aggregates,
 * the diff against the scan before it). A succeeded scan never changes, so nothing here goes
 * stale; entries leave when the LRU needs room or their scan is deleted. Entries are weighed by
 * how many values they hold, so a few large findings indexes bound its memory, not a count.
 */
import { LRUCache } from "lru-cache";

/**
 * Two million values: the findings indexes of ten scans of the 180,000-finding benchmark tenant
 * (about 10 MB each). One entry heavier than this (a scan of over 110,000 accounts) is not kept.
 */
export const DEFAULT_MAX_WEIGHT = 2_000_000;

/** `[kind, ...scan IDs]`: the scan IDs say which deletions drop the entry. */
export type CacheKey = readonly [kind: string, ...scanIds: string[]];

type Loader = () => Promise<object>;

export class ReadCache {
  private readonly lru: LRUCache<string, object, Loader>;

  constructor(maxWeight = DEFAULT_MAX_WEIGHT) {
    this.lru = new LRUCache<string, object, Loader>({
      maxSize: maxWeight,
      // The loader travels as the fetch context; concurrent callers of one key share one load,
      // and a failed load is not kept.
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  /** The value under `key`, loaded once by `load` and weighed by `weight` (at least 1). */
  async get<T extends object>(key: CacheKey, load: () => Promise<T>, weight: (value: T) => number): Promise<T> {
    const value = await this.lru.fetch(key.join("|"), {
      context: load,
      sizeCalculation: (v) => Math.max(1, Math.ceil(weight(v as T))),
    });
    return value as T;
  }

  /** Drops every entry derived from one of these scans (they were deleted). */
  forgetScans(scanIds: readonly string[]): void {
    if (scanIds.length === 0) return;
    const gone = new Set(scanIds);
    for (const key of [...this.lru.keys()])
      if (
        key
          .split("|")
          .slice(1)
          .some((id) => gone.has(id))
      )
        this.lru.delete(key);
  }

  /** How many entries are held (for tests). */
  get size(): number {
    return this.lru.size;
  }
}
