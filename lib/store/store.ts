/**
 * A Store: one open database (migrated, interrupted scans recovered) plus who this process is.
 * Every store function takes a Store, so tests can open as many independent ones as they like.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { connect, type Dialect } from "./db/connect";
import { migrate } from "./db/migrations";
import { recoverInterrupted } from "./scans/recovery";
import type { BulkInsert } from "./db/pg-copy";
import type { Database } from "./db/schema";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** `host:pid:uuid`: written as a running scan's owner, so a restart can tell its scans died. */
  readonly instanceId: string;
  readonly description: string;
  /** The clock every store function uses (tests may pin it). */
  now(): Date;
  /** A running scan whose heartbeat is older than this is taken as interrupted. */
  readonly staleAfterMs: number;
  close(): Promise<void>;
  /** A faster loader for many rows, where the database has one (PostgreSQL COPY). */
  readonly bulkInsert?: BulkInsert;
}

export interface OpenStoreOptions {
  /** postgres:// URL, SQLite file path, or undefined: `DATABASE_URL`, else ./data/speech-posture.db. */
  url?: string;
  now?: () => Date;
  staleAfterMs?: number;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;

/** Instance IDs of the stores open in this process (several may be: tests, embedding). */
export const LIVE_INSTANCES: Set<string> = ((globalThis as unknown as { __speechPostureInstances?: Set<string> }).__speechPostureInstances ??= new Set());

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = options.url ?? process.env.DATABASE_URL;
  const conn = await connect(url);
  try {
    await migrate(conn.db, conn.dialect);
  } catch (error) {
    await conn.close();
    throw error;
  }
  const store: Store = {
    db: conn.db,
    dialect: conn.dialect,
    description: conn.description,
    instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
    now: options.now ?? (() => new Date()),
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    bulkInsert: conn.bulkInsert,
    close: async () => {
      LIVE_INSTANCES.delete(store.instanceId);
      await conn.close();
    },
  };
  LIVE_INSTANCES.add(store.instanceId);
  await recoverInterrupted(store);
  return store;
}

export function nowIso(store: Store): string {
  return store.now().toISOString();
}
