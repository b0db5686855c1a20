/**
 * Resource keys are `idKey`s on both databases: an account whose ID ends with "/" is stored under
 * the same key every lookup computes, and rows written before (keys with the slash) are rewritten.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { idKey } from "@/lib/posture/ids";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { ScanJobs } from "@/lib/scan/jobs";
import { migrations } from "./db/migrations";
import { resourceDetail } from "./resource-detail";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { clone, importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import { restoreOldFindingsLayout } from "./testing/old-findings";

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
    new Set(
      (await sql<{ resource_key: string }>`select resource_key from ${sql.table(table)} where scan_id = ${scanId}`.execute(store.db)).rows.map(
        (r) => r.resource_key,
      ),
    );

  it("stores an ID with a trailing slash under its idKey, found with or without the slash", async () => {
    const scan = await importAndWait(jobs, snapshot);
    expect(scan.status).toBe("succeeded");
    const resources = await keysOf("resources", scan.id);
    expect(resources).toContain(idKey(bare));
    expect([...resources].filter((k) => k.endsWith("/"))).toEqual([]);
    // Findings carry no key of their own: theirs is their resource row's.
    for (const id of [bare, `${bare.toUpperCase()}/`, ` ${bare}// `]) {
      const detail = await resourceDetail(store, id);
      expect(detail.resource.id).toBe(`${bare}/`);
      expect(detail.findings.length).toBeGreaterThan(0);
    }
  });

  it("rewrites keys stored with a trailing slash before keys were idKeys", async () => {
    const scan = await importAndWait(jobs, snapshot);
    // Rows as the version before keys were idKeys wrote them: findings repeating their resource's
    // key, trimmed and lower-cased with the slash kept.
    await restoreOldFindingsLayout(store);
    for (const table of ["resources", "findings"] as const) {
      await sql`update ${sql.table(table)} set resource_key = ${`${idKey(bare)}/`} where scan_id = ${scan.id} and resource_key = ${idKey(bare)}`.execute(
        store.db,
      );
    }
    expect(await keysOf("resources", scan.id)).toContain(`${idKey(bare)}/`);
    expect(await keysOf("findings", scan.id)).toContain(`${idKey(bare)}/`);
    // The migrations since, run again on those rows (the migrator would not re-run an applied one).
    const db = store.db as unknown as Kysely<unknown>;
    await migrations(store.dialect)["0006_resource_key_idkey"].up(db);
    for (const table of ["resources", "findings"] as const) {
      const keys = await keysOf(table, scan.id);
      expect(keys).toContain(idKey(bare));
      expect([...keys].filter((k) => k.endsWith("/"))).toEqual([]);
    }
    await migrations(store.dialect)["0016_compact_findings"].up(db);
    expect((await resourceDetail(store, bare, { scanId: scan.id })).scanId).toBe(scan.id);
  });
});
