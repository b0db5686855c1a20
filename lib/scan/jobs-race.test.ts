/**
 * Several instances sharing one database: two racing starts of the same scope give exactly one
 * scan (the other gets the running ID), a cancel made on another instance stops the scan, and a
 * scheduled occurrence runs once however many instances see it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { ScanConflictError } from "@/lib/store/errors";
import { getScan, listScans } from "@/lib/store/scans/scans";
import { updateSettings } from "@/lib/store/settings";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import { scanEvents } from "./jobs-events";
import { startScheduler, SCHEDULER_ACTOR } from "./scheduler";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: 6, subscriptions: 2, seed: 3, quota: false });
});
afterAll(async () => {
  await emulator?.close();
  await releaseDatabases();
});

describe.each(DATABASES)("instances sharing %s", (kind) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDb(kind);
  });
  afterAll(() => tdb?.dispose());

  it("lets exactly one of two racing instances start a scope; the other learns the running scan's ID", async () => {
    // Two stores = two independent connections/pools, as two app instances have.
    const a = jobsFor(await tdb.open(), emulator);
    const b = jobsFor(await tdb.open(), emulator);
    emulator.setFaults({ latencyMs: 50 });
    try {
      for (let round = 0; round < 3; round++) {
        const results = await Promise.allSettled([a.start({ source: "emulator" }), b.start({ source: "emulator" })]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
        expect(lost[0].reason).toBeInstanceOf(ScanConflictError);
        expect((lost[0].reason as ScanConflictError).runningScanId).toBe(winner);
        await a.idle();
        await b.idle();
        expect((await getScan(a.store, winner))?.status).toBe("succeeded");
      }
    } finally {
      emulator.setFaults({});
      await a.close();
      await b.close();
    }
  });

  it("stops a scan cancelled from another instance, and that instance's SSE stream sees it end", async () => {
    const owner = jobsFor(await tdb.open(), emulator);
    const other = jobsFor(await tdb.open(), emulator);
    emulator.setFaults({ latencyMs: 300 });
    try {
      const scan = await owner.start({ source: "emulator" });
      const events = await scanEvents(other, scan.id, { pollMs: 50 });
      const first = await events.next();
      expect(first.value).toMatchObject({ event: "progress" });
      await other.cancel(scan.id);
      const seen = [];
      for await (const e of events) seen.push(e);
      expect(seen.at(-1)).toMatchObject({ event: "done", data: { id: scan.id, status: "cancelled" } });
      // The owner ends its job too: its outcome (if its clean-up has not run yet) is the cancellation.
      const outcome = await owner.settled(scan.id);
      if (outcome !== undefined) expect(outcome.status).toBe("cancelled");
      expect(owner.isLocal(scan.id)).toBe(false);
      expect((await getScan(owner.store, scan.id))?.status).toBe("cancelled");
    } finally {
      emulator.setFaults({});
      await owner.close();
      await other.close();
    }
  });

  it("runs each scheduled occurrence once across instances", async () => {
    const one = jobsFor(await tdb.open(), emulator);
    const two = jobsFor(await tdb.open(), emulator);
    await updateSettings(one.store, { scheduleCron: "*/5 * * * *", scheduleSource: "emulator" });
    let now = new Date("2030-01-01T00:04:00Z");
    const s1 = startScheduler(one, { tickMs: 3_600_000, now: () => now });
    const s2 = startScheduler(two, { tickMs: 3_600_000, now: () => now });
    try {
      expect(await Promise.all([s1.tick(), s2.tick()])).toEqual([undefined, undefined]); // nothing due yet
      now = new Date("2030-01-01T00:05:01Z");
      const started = (await Promise.all([s1.tick(), s2.tick()])).filter(Boolean);
      expect(started).toHaveLength(1);
      await one.idle();
      await two.idle();
      const scheduled = (await listScans(one.store)).filter((s) => s.startedBy === SCHEDULER_ACTOR);
      expect(scheduled.map((s) => [s.id, s.status])).toEqual([[started[0], "succeeded"]]);
      now = new Date("2030-01-01T00:10:30Z");
      expect((await Promise.all([s2.tick(), s1.tick()])).filter(Boolean)).toHaveLength(1);
      await updateSettings(one.store, { scheduleCron: null });
      now = new Date("2030-01-01T00:20:30Z");
      expect((await Promise.all([s1.tick(), s2.tick()])).filter(Boolean)).toHaveLength(0);
    } finally {
      s1.stop();
      s2.stop();
      await one.close();
      await two.close();
    }
  });

  it("does not run an occurrence that passed before the schedule was saved", async () => {
    let now = new Date("2031-03-03T00:04:00Z");
    const jobs = jobsFor(await tdb.open({ now: () => now }), emulator);
    const scheduler = startScheduler(jobs, { tickMs: 3_600_000, now: () => now });
    try {
      expect(await scheduler.tick()).toBeUndefined();
      now = new Date("2031-03-03T00:05:00.500Z"); // just after the 00:05 occurrence
      await updateSettings(jobs.store, { scheduleCron: "*/5 * * * *", scheduleSource: "emulator" });
      now = new Date("2031-03-03T00:05:01Z");
      expect(await scheduler.tick()).toBeUndefined();
      now = new Date("2031-03-03T00:10:01Z");
      expect(await scheduler.tick()).toBeTypeOf("string");
      await jobs.idle();
    } finally {
      scheduler.stop();
      await updateSettings(jobs.store, { scheduleCron: null });
      await jobs.close();
    }
  });
});
