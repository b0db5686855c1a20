/**
 * A Store: one open database (migrated, interrupted scans recovered) plus who this process is.
 * Every store function takes a Store, so tests can open as many independent ones as they like.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { connect } from "./db/connect";
import { migrate } from "./db/migrations";
import { LIVE_INSTANCES, type Store } from "./handle";
import { ReadCache } from "./read-cache";
import { recoverInterrupted } from "./scans/recovery";

export { LIVE_INSTANCES, type Store } from "./handle";

export interface OpenStoreOptions {
  /** postgres:// URL, SQLite file path, or undefined: `DATABASE_URL`, else ./data/speech-posture.db. */
  url?: string;
  now?: () => Date;
  staleAfterMs?: number;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;

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
    ...(conn.dialect === "postgres" ? { url } : {}),
    instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
    now: options.now ?? (() => new Date()),
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    bulkInsert: conn.bulkInsert,
    eachRow: conn.eachRow,
    cache: new ReadCache(),
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
