/**
 * Resource keys are `idKey`s on both databases: an account whose ID ends with "/" is stored under
 * the same key every lookup computes, and rows written before (keys with the slash) are rewritten.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { idKey } from "@/lib/posture/ids";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { ScanJobs } from "@/lib/scan/jobs";
import { migrations } from "./db/migrations";
import { resourceDetail } from "./resource-detail";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { clone, importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";

afterAll(() => releaseDatabases());

describe.each(DATABASES)("resource keys on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  const snapshot = clone(snapshotOf(smallTenant(4, 1), "2026-11-28T09:00:00Z"));
  const account = snapshot.resources.find(isSpeechAccount)!;
  const bare = account.id;
  // As an uploaded snapshot may spell it.
  account.id = `${bare}/`;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  const keysOf = async (table: "resources" | "findings", scanId: string) =>
    new Set((await store.db.selectFrom(table).select("resource_key").where("scan_id", "=", scanId).execute()).map((r) => r.resource_key));

  it("stores an ID with a trailing slash under its idKey, found with or without the slash", async () => {
    const scan = await importAndWait(jobs, snapshot);
    expect(scan.status).toBe("succeeded");
    const resources = await keysOf("resources", scan.id);
    expect(resources).toContain(idKey(bare));
    expect([...resources].filter((k) => k.endsWith("/"))).toEqual([]);
    expect([...(await keysOf("findings", scan.id))].filter((k) => k.endsWith("/"))).toEqual([]);
    for (const id of [bare, `${bare.toUpperCase()}/`, ` ${bare}// `]) {
      const detail = await resourceDetail(store, id);
      expect(detail.resource.id).toBe(`${bare}/`);
      expect(detail.findings.length).toBeGreaterThan(0);
    }
  });

  it("rewrites keys stored with a trailing slash before keys were idKeys", async () => {
    const scan = await importAndWait(jobs, snapshot);
    // Rows as the previous version wrote them: trimmed and lower-cased, the slash kept.
    for (const table of ["resources", "findings"] as const) {
      await store.db
        .updateTable(table)
        .set({ resource_key: `${idKey(bare)}/` })
        .where("scan_id", "=", scan.id)
        .where("resource_key", "=", idKey(bare))
        .execute();
    }
    expect(await keysOf("resources", scan.id)).toContain(`${idKey(bare)}/`);
    // The migration itself, run again on those rows (the migrator would not re-run an applied one).
    await migrations(store.dialect)["0006_resource_key_idkey"].up(store.db as unknown as Kysely<unknown>);
    for (const table of ["resources", "findings"] as const) {
      const keys = await keysOf(table, scan.id);
      expect(keys).toContain(idKey(bare));
      expect([...keys].filter((k) => k.endsWith("/"))).toEqual([]);
    }
    expect((await resourceDetail(store, bare, { scanId: scan.id })).scanId).toBe(scan.id);
  });
});
