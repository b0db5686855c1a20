/**
 * Where a scan's posture came from, on both databases: an uploaded snapshot is an import, kept apart
 * from the latest posture (overview, trend, previous scan) unless it was uploaded to replace it;
 * migration 0012 marks imports stored before it as imports that keep the role they had.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import type { ScanJobs } from "@/lib/scan/jobs";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import { migrations } from "./db/migrations";
import { scoreTrend } from "./history/trend";
import { previousSucceededScan } from "./reads";
import { writeScanResults } from "./scans/results";
import { createScan, getScan, latestSucceededScan, listScans, markRunning } from "./scans/scans";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";

afterAll(() => releaseDatabases());

describe.each(DATABASES)("scan origin on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  let clock = new Date("2026-11-29T10:00:00Z");
  const tick = () => (clock = new Date(clock.getTime() + 60_000));
  const snapshot = snapshotOf(smallTenant(3, 1, 5), "2026-11-29T09:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => clock });
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  /** A collection, stored as a scan job stores it. */
  const collected = async () => {
    tick();
    const scan = await createScan(store, { source: "emulator", startedBy: "test" });
    const startedAt = await markRunning(store, scan.id);
    await writeScanResults(
      store,
      scan.id,
      buildScanResult(snapshot, { id: scan.id, source: "emulator", startedAt, finishedAt: () => store.now().toISOString() }),
    );
    return (await getScan(store, scan.id))!;
  };

  it("keeps an import apart from the latest posture unless it replaces it; a collection always counts", async () => {
    const first = await collected();
    expect(first).toMatchObject({ origin: "collected", inPosture: true });
    tick();
    const kept = await importAndWait(jobs, snapshot, { replacesLatest: false });
    expect(kept).toMatchObject({ status: "succeeded", source: "snapshot", origin: "import", inPosture: false });
    // Not the latest, nobody's previous, not on the trend; still listed, and still comparable.
    expect((await latestSucceededScan(store))?.id).toBe(first.id);
    const second = await collected();
    expect((await previousSucceededScan(store, second))?.id).toBe(first.id);
    expect((await scoreTrend(store)).tenant.map((p) => p.scanId)).toEqual([first.id, second.id]);
    expect((await listScans(store)).map((s) => s.id)).toContain(kept.id);
    expect((await listScans(store, { postureOnly: true })).map((s) => s.id)).not.toContain(kept.id);

    tick();
    const replacing = await importAndWait(jobs, snapshot, { replacesLatest: true });
    expect(replacing).toMatchObject({ origin: "import", inPosture: true });
    expect((await latestSucceededScan(store))?.id).toBe(replacing.id);
    expect((await scoreTrend(store)).tenant.map((p) => p.scanId)).toEqual([first.id, second.id, replacing.id]);
    expect((await previousSucceededScan(store, replacing))?.id).toBe(second.id);
  });

  it("migration 0012 marks imports stored before it as imports that stay in the posture, collections as collected", async () => {
    const older = await collected();
    tick();
    const upload = await importAndWait(jobs, snapshot);
    // Rows as the previous version wrote them: no origin, no in_posture.
    await sql`drop index scans_posture_finished`.execute(store.db);
    await store.db.schema.alterTable("scans").dropColumn("origin").execute();
    await store.db.schema.alterTable("scans").dropColumn("in_posture").execute();
    await migrations(store.dialect)["0012_scan_origin"].up(store.db as unknown as Kysely<unknown>);
    expect(await getScan(store, older.id)).toMatchObject({ origin: "collected", inPosture: true });
    expect(await getScan(store, upload.id)).toMatchObject({ origin: "import", inPosture: true });
  });
});
