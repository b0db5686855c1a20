/**
 * Computed Resource Graph results kept for their skip tokens, so paging through a large result
 * does not re-run the query for every page. Bounded by entries and by total rows (LRU).
 */
import type { QueryResult } from "@/emulator/kql";

export class ResultCache {
  private readonly entries = new Map<string, QueryResult>();
  private rows = 0;

  constructor(
    private readonly maxEntries = 32,
    private readonly maxRows = 500_000,
  ) {}

  get(key: string): QueryResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, result: QueryResult): void {
    if (result.rows.length > this.maxRows) return;
    this.delete(key);
    this.entries.set(key, result);
    this.rows += result.rows.length;
    for (const [k] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.rows <= this.maxRows) break;
      this.delete(k);
    }
  }

  clear(): void {
    this.entries.clear();
    this.rows = 0;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.rows -= old.rows.length;
    this.entries.delete(key);
  }
}
