/**
 * Compact finding rows (migration 0016): a finding row keeps its resource's ord and not what its
 * resource row holds (ID, key, name, kind, subscription), except an ID it spells otherwise. Reads
 * put it all back; rows an older version wrote are migrated without changing what reads return.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import type { ScanJobs } from "@/lib/scan/jobs";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { migrations } from "./db/migrations";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import { resourceDetail } from "./resource-detail";
import { readScanResult } from "./scans/result-read";
import { writeScanResults } from "./scans/results";
import { createScan, endScan, markRunning } from "./scans/scans";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import { restoreOldFindingsLayout } from "./testing/old-findings";

afterAll(() => releaseDatabases());

const COMPACT_COLUMNS = [
  "agreement",
  "azure",
  "control_id",
  "evidence",
  "id",
  "message",
  "reason",
  "resource_id",
  "resource_ord",
  "scan_id",
  "severity",
  "status",
  "subscription_id",
];

describe.each(DATABASES)("compact finding rows on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  const snapshot = snapshotOf(smallTenant(4, 2), "2026-11-28T09:00:00Z");
  const all = new URLSearchParams("pageSize=500");

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  const rowsOf = (scanId: string) =>
    sql<Record<string, unknown>>`select * from findings where scan_id = ${scanId} order by id`.execute(store.db).then((r) => r.rows);

  /** A scan stored from `snapshot` with one account's findings spelled in upper case (ID and subscription). */
  async function storeSpelledOtherwise() {
    const scan = await createScan(store, { source: "emulator", startedBy: "test" });
    const startedAt = await markRunning(store, scan.id);
    const data = buildScanResult(snapshot, { id: scan.id, source: "emulator", startedAt, finishedAt: () => new Date().toISOString() });
    const accountId = snapshot.resources.find(isSpeechAccount)!.id;
    const findings = data.findings.map((f) =>
      f.resourceId === accountId ? { ...f, resourceId: accountId.toUpperCase(), subscriptionId: f.subscriptionId.toUpperCase() } : f,
    );
    await writeScanResults(store, scan.id, { ...data, findings });
    return { scanId: scan.id, accountId, written: findings };
  }

  it("keeps only the ord, and an ID only where the finding spells it otherwise; reads give every field back", async () => {
    const { scanId, accountId, written } = await storeSpelledOtherwise();
    const rows = await rowsOf(scanId);
    expect(Object.keys(rows[0]).sort()).toEqual(COMPACT_COLUMNS);
    const own = rows.filter((r) => r.resource_id !== null);
    expect(own).toHaveLength(18);
    expect(new Set(own.map((r) => r.resource_id))).toEqual(new Set([accountId.toUpperCase()]));
    expect(rows.filter((r) => r.subscription_id !== null)).toEqual(own);

    const result = await readScanResult(store, scanId, { exceptions: false });
    const spelled = result.findings.filter((f) => f.resourceId === accountId.toUpperCase());
    expect(spelled).toHaveLength(18);
    expect(spelled.every((f) => f.subscriptionId === f.subscriptionId.toUpperCase())).toBe(true);
    // Evidence is stored relative to the finding's own ID and comes back as written.
    expect(spelled.map((f) => f.evidence)).toEqual(written.filter((f) => f.resourceId === accountId.toUpperCase()).map((f) => f.evidence));
    const others = result.findings.filter((f) => f.resourceId !== accountId.toUpperCase());
    expect(others).toHaveLength(result.findings.length - 18);
    const resourceOf = new Map(result.resources.map((r) => [r.id, r]));
    expect(others.every((f) => resourceOf.get(f.resourceId)?.subscriptionId === f.subscriptionId)).toBe(true);

    // The findings page names each finding's resource, kind and subscription from its resource row.
    const page = await queryFindings(store, scanId, parseFindingsQuery(all));
    expect(page.total).toBe(result.findings.length);
    for (const item of page.items) {
      const resource = resourceOf.get(item.resourceId) ?? resourceOf.get(accountId)!;
      expect([item.resourceName, item.kind]).toEqual([resource.name, resource.kind]);
    }
    expect(page.items.filter((i) => i.resourceId === accountId.toUpperCase())).toHaveLength(18);
    const detail = await resourceDetail(store, accountId, { scanId });
    expect(detail.findings).toHaveLength(18);
    expect(detail.findings.map((f) => f.evidence)).toEqual(spelled.map((f) => f.evidence));
  });

  it("refuses a finding that names another subscription than its resource, naming both", async () => {
    const scan = await createScan(store, { source: "emulator", startedBy: "test" });
    const startedAt = await markRunning(store, scan.id);
    const data = buildScanResult(snapshot, { id: scan.id, source: "emulator", startedAt, finishedAt: () => new Date().toISOString() });
    const other = "00000000-0000-0000-0000-00000000abcd";
    const findings = data.findings.map((f, i) => (i === 5 ? { ...f, subscriptionId: other } : f));
    await expect(writeScanResults(store, scan.id, { ...data, findings })).rejects.toThrow(
      new RegExp(`names subscription ${other}, but its resource is in ${data.findings[5].subscriptionId}`),
    );
    // Its runner ends a scan whose results could not be stored, which removes the rows written before.
    expect(await endScan(store, scan.id, "failed", "refused")).toBe(true);
    expect(await rowsOf(scan.id)).toEqual([]);
  });

  it("migrates rows an older version wrote: reads return what they returned, and later scans store on", async () => {
    const imported = await importAndWait(jobs, snapshot);
    const spelled = await storeSpelledOtherwise();
    const before = {
      imported: await readScanResult(store, imported.id, { exceptions: false }),
      spelled: await readScanResult(store, spelled.scanId, { exceptions: false }),
      page: (await queryFindings(store, imported.id, parseFindingsQuery(all))).items,
    };
    await restoreOldFindingsLayout(store);
    const old = await rowsOf(imported.id);
    expect(old[0]).toMatchObject({ resource_key: expect.any(String), resource_name: expect.any(String), kind: expect.any(String) });
    expect(old.every((r) => r.resource_id !== null && r.subscription_id !== null)).toBe(true);

    await migrations(store.dialect)["0016_compact_findings"].up(store.db as unknown as Kysely<unknown>);
    store.cache.forgetScans([imported.id, spelled.scanId]);

    const rows = await rowsOf(imported.id);
    expect(Object.keys(rows[0]).sort()).toEqual(COMPACT_COLUMNS);
    expect(rows.map((r) => r.id)).toEqual(old.map((r) => r.id));
    expect(rows.every((r) => r.resource_id === null && r.subscription_id === null)).toBe(true);
    expect((await rowsOf(spelled.scanId)).filter((r) => r.resource_id !== null)).toHaveLength(18);
    expect(await readScanResult(store, imported.id, { exceptions: false })).toEqual(before.imported);
    expect(await readScanResult(store, spelled.scanId, { exceptions: false })).toEqual(before.spelled);
    expect((await queryFindings(store, imported.id, parseFindingsQuery(all))).items).toEqual(before.page);

    // New rows take IDs after the migrated ones.
    const later = await importAndWait(jobs, snapshot);
    expect(later.status).toBe("succeeded");
    const laterIds = (await rowsOf(later.id)).map((r) => Number(r.id));
    expect(Math.min(...laterIds)).toBeGreaterThan(Math.max(...old.map((r) => Number(r.id))));
    expect((await readScanResult(store, later.id, { exceptions: false })).findings).toEqual(before.imported.findings);
  });
});
