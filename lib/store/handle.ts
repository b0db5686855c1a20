/**
 * What an open store is, apart from how it is opened: the handle every store function takes, and
 * the instance IDs of the stores open in this process. Kept apart from `store.ts` so recovery,
 * which `openStore` runs, can use them without importing its caller.
 */
import type { Kysely } from "kysely";
import type { Dialect, EachRow } from "./db/connect";
import type { BulkInsert } from "./db/pg-copy";
import type { Database } from "./db/schema";
import type { ReadCache } from "./read-cache";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** `host:pid:uuid`: written as a running scan's owner, so a restart can tell its scans died. */
  readonly instanceId: string;
  readonly description: string;
  /** PostgreSQL only: the URL it was opened with (the job queue opens its own pool on it). */
  readonly url?: string;
  /** The clock every store function uses (tests may pin it). */
  now(): Date;
  /** A running scan whose heartbeat is older than this is taken as interrupted. */
  readonly staleAfterMs: number;
  close(): Promise<void>;
  /** A faster loader for many rows, where the database has one (PostgreSQL COPY). */
  readonly bulkInsert?: BulkInsert;
  /** A query's rows as value arrays, one at a time where the database allows: for reads of a whole large scan. */
  readonly eachRow: EachRow;
  /** What was derived from succeeded scans (findings indexes, aggregates, diffs), kept for reuse. */
  readonly cache: ReadCache;
}

/** Instance IDs of the stores open in this process (several may be: tests, embedding). */
export const LIVE_INSTANCES: Set<string> = ((globalThis as unknown as { __speechPostureInstances?: Set<string> }).__speechPostureInstances ??= new Set());
