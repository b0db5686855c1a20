/**
 * One Resource Graph query over many subscriptions: batches of at most 200 (the throttling
 * guidance says under 300), a denied or truncated batch split in halves until the subscription at
 * fault is found, and each one that still fails recorded as a snapshot error. Nothing is silent.
 */
import type { ErrorSource, SnapshotError } from "@/lib/posture/snapshot";
import { classifyError, isAbortError } from "./errors";
import { TruncatedResultError, type QueryOptions, type ResourceGraphReader } from "./resource-graph";

export const SUBSCRIPTION_BATCH = 200;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ScopedRows {
  rows: Record<string, unknown>[];
  /** Subscriptions whose rows could not be read (each has an `errors` entry). */
  failed: string[];
}

export class ScopedQueries {
  constructor(
    private readonly arg: ResourceGraphReader,
    private readonly errors: SnapshotError[],
    private readonly signal: AbortSignal,
  ) {}

  async run(
    query: string,
    source: ErrorSource,
    subscriptions: readonly string[],
    opts: { onPage?: (rows: Record<string, unknown>[]) => void; options?: QueryOptions } = {},
  ): Promise<ScopedRows> {
    const result: ScopedRows = { rows: [], failed: [] };
    for (const batch of chunk(subscriptions, SUBSCRIPTION_BATCH)) await this.runBatch(query, source, batch, opts, result);
    return result;
  }

  private async runBatch(
    query: string,
    source: ErrorSource,
    batch: string[],
    opts: { onPage?: (rows: Record<string, unknown>[]) => void; options?: QueryOptions },
    result: ScopedRows,
  ): Promise<void> {
    if (batch.length === 0) return;
    try {
      // Pages go to onPage as they arrive (per-resource calls start early); a batch split after a
      // late failure delivers its first pages again, so consumers keep rows by ID.
      // A loop, not push(...rows): one batch can hold more rows than a call takes arguments.
      for (const row of await this.arg.queryAll(query, batch, this.signal, opts.onPage, opts.options)) result.rows.push(row);
    } catch (error) {
      if (isAbortError(error) || this.signal.aborted) throw error;
      const truncated = error instanceof TruncatedResultError;
      const c = classifyError(error);
      if ((truncated || c.reason === "access_denied") && batch.length > 1) {
        // One subscription without access fails the whole batch, and a smaller scope may fit: split it.
        const mid = Math.ceil(batch.length / 2);
        await this.runBatch(query, source, batch.slice(0, mid), opts, result);
        await this.runBatch(query, source, batch.slice(mid), opts, result);
        return;
      }
      const code = truncated ? error.code : c.code;
      for (const s of batch) {
        this.errors.push({ scope: `/subscriptions/${s}`, source, reason: truncated ? "collection_error" : c.reason, code, message: c.message });
        result.failed.push(s);
      }
    }
  }
}
