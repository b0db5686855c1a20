/**
 * A queued scan's parts against both real databases: the progress count (ended of all, split parts
 * left out) agrees with what listing the parts says, and the parts go in the step that stores the scan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/posture/snapshot";
import { runScan } from "@/lib/scan/run-scan";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import { addParts, countParts, deletePartsIn, finishPart, listParts, splitPart } from "./scans/parts";
import { ScanNoLongerRunningError, writeScanResults } from "./scans/results";
import { createScan, endScan, getScan, markRunning } from "./scans/scans";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { smallTenant, snapshotOf } from "./testing/fixtures";

afterAll(() => releaseDatabases());

const part = (name: string) => ({ part: name, targetTenant: null, subscriptions: null });

/** What the heartbeat counted before it asked the database for the numbers alone. */
async function fromList(store: Store, scanId: string): Promise<{ ended: number; total: number }> {
  const parts = (await listParts(store, scanId)).filter((p) => p.status !== "split");
  return { ended: parts.filter((p) => p.status !== "pending").length, total: parts.length };
}

describe.each(DATABASES)("scan parts on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
  });
  afterAll(() => tdb?.dispose());

  it("counts ended parts of all, leaving a split part out for its batches", async () => {
    expect(await countParts(store, "scan-1")).toEqual({ ended: 0, total: 0 });
    await addParts(store, "scan-1", ["a", "b", "c", "d"].map(part));
    await addParts(store, "scan-2", [part("other")]);
    expect(await countParts(store, "scan-1")).toEqual({ ended: 0, total: 4 });

    await splitPart(store, "scan-1", "d", [part("d#0000"), part("d#0001"), part("d#0002")]);
    await finishPart(store, "scan-1", "a", {
      status: "done",
      snapshot: {} as Snapshot,
      stats: { argRequests: 0, argThrottled: 0, perResourceCalls: 0, failedCalls: 0 },
    });
    await finishPart(store, "scan-1", "b", { status: "failed", error: "{}" });
    await finishPart(store, "scan-1", "d#0001", { status: "failed", error: "{}" });

    expect(await countParts(store, "scan-1")).toEqual({ ended: 3, total: 6 });
    expect(await countParts(store, "scan-1")).toEqual(await fromList(store, "scan-1"));
    expect(await countParts(store, "scan-2")).toEqual({ ended: 0, total: 1 });
  });
  it("removes a scan's parts in the transaction that makes it visible, and keeps them when the scan ended meanwhile", async () => {
    const snap = snapshotOf(smallTenant(4, 2, 5), "2026-11-28T13:00:00Z");
    const running = async () => {
      const scan = await createScan(store, { source: "emulator", startedBy: "test" });
      const startedAt = await markRunning(store, scan.id);
      await addParts(store, scan.id, [part("tenant:a"), part("tenant:b")]);
      return { id: scan.id, data: buildScanResult(snap, { id: scan.id, source: "emulator", startedAt, finishedAt: () => store.now().toISOString() }) };
    };
    const stored = await running();
    let statusInside: string | undefined;
    await writeScanResults(store, stored.id, stored.data, {
      whenStored: async (trx) => {
        statusInside = (await trx.selectFrom("scans").select("status").where("id", "=", stored.id).executeTakeFirstOrThrow()).status;
        await deletePartsIn(trx, stored.id);
      },
    });
    expect(statusInside).toBe("succeeded");
    expect(await listParts(store, stored.id)).toEqual([]);

    // Whatever the step that stores the scan does goes with it: a failure in it leaves the parts and the scan as they were.
    const failing = await running();
    await expect(
      writeScanResults(store, failing.id, failing.data, {
        whenStored: async (trx) => {
          await deletePartsIn(trx, failing.id);
          throw new Error("fails after deleting");
        },
      }),
    ).rejects.toThrow("fails after deleting");
    expect(await listParts(store, failing.id)).toHaveLength(2);
    expect((await getScan(store, failing.id))?.status).toBe("running");
    await endScan(store, failing.id, "failed", "test"); // frees its scope for the next scan

    const ended = await running();
    await endScan(store, ended.id, "cancelled", null);
    await expect(writeScanResults(store, ended.id, ended.data, { whenStored: (trx) => deletePartsIn(trx, ended.id) })).rejects.toBeInstanceOf(
      ScanNoLongerRunningError,
    );
    expect(await listParts(store, ended.id)).toHaveLength(2);
  });

  it("stores what queue jobs collected with their parts gone, without the finish job's own clean-up", async () => {
    const scan = await createScan(store, { source: "emulator", startedBy: "test" });
    const startedAt = await markRunning(store, scan.id);
    await addParts(store, scan.id, [part("tenant:a")]);
    const snapshot = snapshotOf(smallTenant(3, 1, 9), "2026-11-28T13:00:00Z");
    const outcome = await runScan(
      { store, openTarget: () => Promise.reject(new Error("a collected scan opens no target")) },
      scan.id,
      { kind: "collected", source: "emulator", snapshot, stats: {}, startedAt },
      new AbortController(),
    );
    expect(outcome).toEqual({ status: "succeeded" });
    expect((await getScan(store, scan.id))?.status).toBe("succeeded");
    expect(await listParts(store, scan.id)).toEqual([]);
  });
});
