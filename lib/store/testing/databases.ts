/**
 * Parameterises store tests over both real databases: SQLite in a temp file and PostgreSQL (a
 * fresh database per call on the shared test server).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type OpenStoreOptions, type Store } from "@/lib/store/store";
import { createTestDatabase, releaseTestPostgres, testPostgresUrl } from "./postgres";

export const DATABASES = ["sqlite", "postgres"] as const;
export type DatabaseKind = (typeof DATABASES)[number];

export interface TestDatabase {
  kind: DatabaseKind;
  /** What `openStore({ url })` (or DATABASE_URL in a child process) should get. */
  url: string;
  open(options?: Omit<OpenStoreOptions, "url">): Promise<Store>;
  /** Closes every store opened through `open` and removes the database. */
  dispose(): Promise<void>;
}

export async function createTestDb(kind: DatabaseKind): Promise<TestDatabase> {
  const opened: Store[] = [];
  let url: string;
  let remove: () => Promise<void>;
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "speech-posture-sqlite-"));
    url = join(dir, "test.db");
    remove = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createTestDatabase(await testPostgresUrl());
    url = db.url;
    remove = db.drop;
  }
  return {
    kind,
    url,
    async open(options = {}) {
      const store = await openStore({ ...options, url });
      opened.push(store);
      return store;
    },
    async dispose() {
      for (const s of opened.splice(0)) await s.close().catch(() => undefined);
      await remove();
    },
  };
}

/** Call from afterAll of a file that used postgres: lets the shared cluster stop after the run. */
export const releaseDatabases = releaseTestPostgres;
