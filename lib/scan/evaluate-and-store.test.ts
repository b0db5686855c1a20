/**
 * A scan evaluated and stored a piece at a time, against both real databases: the rows and both
 * hashes are exactly what storing the whole result gives, whatever the piece size, and a scan
 * stopped after its first piece has written no more than the pieces in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "@/lib/posture/controls";
import type { Snapshot } from "@/lib/posture/snapshot";
import { resultSha256 } from "@/lib/report/canonical";
import { readScanResult } from "@/lib/store/scans/result-read";
import { writeScanResults } from "@/lib/store/scans/results";
import { createScan, endScan, markRunning } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { clone, smallTenant, snapshotOf } from "@/lib/store/testing/fixtures";
import { runScan } from "./run-scan";
import { buildScanResult, evaluateAndStore } from "./run-scan-build";

afterAll(() => releaseDatabases());

const FINISHED = "2026-11-28T13:00:09.000Z";

/** Several subscriptions (one in another tenant), a collection error, a finding-free subscription. */
function estate(): Snapshot {
  const snap = clone(snapshotOf(smallTenant(11, 3, 5), "2026-11-28T13:00:00Z"));
  snap.subscriptions[1].tenantId = "22222222-2222-2222-2222-222222222222";
  snap.subscriptions.push({ subscriptionId: "99999999-9999-9999-9999-999999999999", displayName: "Empty" });
  snap.errors.push({
    scope: "/subscriptions/99999999-9999-9999-9999-999999999999",
    source: "resourceGraph",
    reason: "access_denied",
    code: "AuthorizationFailed",
  });
  return snap;
}

/** The same estate with one subscription listed twice (in other casing) and two left out of the list. */
function untidy(): Snapshot[] {
  const twice = estate();
  twice.subscriptions.push({ ...twice.subscriptions[0], subscriptionId: twice.subscriptions[0].subscriptionId.toUpperCase() });
  const unlisted = estate();
  unlisted.subscriptions.splice(0, 2);
  return [twice, unlisted];
}

describe.each(DATABASES)("evaluateAndStore on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
  });
  afterAll(() => tdb?.dispose());

  const running = async () => {
    const scan = await createScan(store, { source: "snapshot", startedBy: "test" });
    return { id: scan.id, startedAt: await markRunning(store, scan.id) };
  };

  /** Everything stored of a scan but its ID and row IDs, findings in evaluation order. */
  const stored = async (scanId: string) => {
    const without = <T extends { scan_id?: string; id?: unknown }>({ scan_id: _s, id: _i, ...rest }: T) => rest;
    const scan = await store.db
      .selectFrom("scans")
      .select([
        "status",
        "summary",
        "result_sha256",
        "export_sha256",
        "errors",
        "subscription_scores",
        "done",
        "total",
        "catalog_version",
        "tenant_id",
        "collected_at",
        "finished_at",
      ])
      .where("id", "=", scanId)
      .executeTakeFirstOrThrow();
    const resources = await store.db.selectFrom("resources").selectAll().where("scan_id", "=", scanId).orderBy("ord").execute();
    const findings = await store.db.selectFrom("findings").selectAll().where("scan_id", "=", scanId).orderBy("resource_ord").orderBy("control_id").execute();
    const subscriptions = await store.db.selectFrom("scan_subscriptions").selectAll().where("scan_id", "=", scanId).orderBy("subscription_key").execute();
    return { scan, resources: resources.map(without), findings: findings.map(without), subscriptions: subscriptions.map(without) };
  };

  it.each([
    ["every subscription listed once", () => estate()],
    ["a subscription listed twice", () => untidy()[0]],
    ["subscriptions missing from the list", () => untidy()[1]],
  ])("stores the rows and hashes of the whole result, in pieces of any size (%s)", async (_name, make) => {
    const snap = make();
    const whole = await running();
    await writeScanResults(store, whole.id, buildScanResult(snap, { id: whole.id, source: "snapshot", startedAt: whole.startedAt, finishedAt: FINISHED }));
    const expected = await stored(whole.id);
    expect(expected.findings).toHaveLength(11 * CATALOG.length);
    expect(expected.scan.total).toBe(expected.resources.length + expected.findings.length + expected.subscriptions.length);

    for (const accountsPerPiece of [1, 4, 500]) {
      const piecewise = await running();
      const progress: number[] = [];
      await evaluateAndStore(
        store,
        snap,
        { id: piecewise.id, source: "snapshot", startedAt: piecewise.startedAt, finishedAt: () => FINISHED },
        {
          accountsPerPiece,
          onProgress: (done) => void progress.push(done),
        },
      );
      const got = await stored(piecewise.id);
      // Both hashes cover the scan's own ID: the whole result built for this ID has them.
      const reference = buildScanResult(snap, { id: piecewise.id, source: "snapshot", startedAt: piecewise.startedAt, finishedAt: FINISHED });
      expect(got.scan.result_sha256, `pieces of ${accountsPerPiece}`).toBe(reference.resultSha256);
      expect(got.scan.export_sha256).toContain(reference.exportSha256!);
      expect(resultSha256(await readScanResult(store, piecewise.id, { exceptions: false }))).toBe(got.scan.result_sha256);
      expect({ ...got.scan, result_sha256: "", export_sha256: "" }).toEqual({ ...expected.scan, result_sha256: "", export_sha256: "" });
      expect(got.resources).toEqual(expected.resources);
      expect(got.findings).toEqual(expected.findings);
      expect(got.subscriptions).toEqual(expected.subscriptions);
      expect(progress.at(-1)).toBe(got.scan.total);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    }
  });

  it("writes each piece as it is evaluated: stopped after the first, it has stored no more than the pieces in flight", async () => {
    const scan = await running();
    const controller = new AbortController();
    const evaluation = evaluateAndStore(
      store,
      estate(),
      { id: scan.id, source: "snapshot", startedAt: scan.startedAt, finishedAt: FINISHED },
      {
        accountsPerPiece: 2,
        signal: controller.signal,
        // The first piece is 2 resource rows and their findings.
        onProgress: (done) => void (done >= 2 * (1 + CATALOG.length) && controller.abort()),
      },
    );
    await expect(evaluation).rejects.toMatchObject({ name: "AbortError" });
    const rows = await store.db.selectFrom("findings").select(["resource_ord"]).where("scan_id", "=", scan.id).execute();
    // The first piece, and at most the one written beside it (PostgreSQL loads on two connections).
    const accounts = rows.length / CATALOG.length;
    expect([2, 4]).toContain(accounts);
    expect(new Set(rows.map((r) => Number(r.resource_ord)))).toEqual(new Set(Array.from({ length: accounts }, (_, i) => i)));
    const status = await store.db.selectFrom("scans").select("status").where("id", "=", scan.id).executeTakeFirstOrThrow();
    expect(status.status).toBe("running");
  });

  it("leaves no rows behind when someone else ended the scan while it was being stored", async () => {
    const scan = await running();
    // As the recovery sweep or a dead job would, before this runner has written anything.
    expect(await endScan(store, scan.id, "failed", "ended elsewhere")).toBe(true);
    const outcome = await runScan(
      { store, openTarget: () => Promise.reject(new Error("not collected")) },
      scan.id,
      { kind: "collected", source: "emulator", snapshot: estate(), stats: {}, startedAt: scan.startedAt },
      new AbortController(),
    );
    expect(outcome.status).not.toBe("succeeded");
    const counts = await Promise.all(
      (["findings", "resources", "scan_subscriptions"] as const).map((table) =>
        store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("scan_id", "=", scan.id)
          .executeTakeFirstOrThrow(),
      ),
    );
    expect(counts.map((c) => Number(c.n))).toEqual([0, 0, 0]);
    expect(await store.db.selectFrom("scans").select(["status", "error"]).where("id", "=", scan.id).executeTakeFirstOrThrow()).toEqual({
      status: "failed",
      error: "ended elsewhere",
    });
  });
});
