/**
 * A queued scan's parts against both real databases: the progress count (ended of all, split parts
 * left out) agrees with what listing the parts says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/posture/snapshot";
import { addParts, countParts, finishPart, listParts, splitPart } from "./scans/parts";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";

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
});
