/**
 * Capacity under attack: progress streams are capped per user and in all, and the streams that
 * follow one scan share one database poller; scans beyond the concurrency cap wait queued (and
 * can be cancelled while waiting), beyond the queue they are refused, and a scan names at most so
 * many subscriptions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { InvalidInputError } from "@/lib/store/errors";
import { createScan, endScan, getScan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { createTestDb, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import { ScanCapacityError, type ScanJobs } from "./jobs";
import { TooManyStreamsError, openStreams, rowPollers, scanEvents, type ScanStreamEvent } from "./jobs-events";

let emulator: RunningEmulator;
let tdb: TestDatabase;
let store: Store;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: 4, subscriptions: 2, seed: 5, quota: false });
  tdb = await createTestDb("sqlite");
  store = await tdb.open();
});
afterAll(async () => {
  await tdb?.dispose();
  await emulator?.close();
});
afterEach(() => {
  process.env = { ...saved };
});

async function drain(events: AsyncGenerator<ScanStreamEvent>): Promise<ScanStreamEvent[]> {
  const seen: ScanStreamEvent[] = [];
  for await (const e of events) seen.push(e);
  return seen;
}

describe("progress streams", () => {
  it("share one database poller per scan however many follow it", async () => {
    const jobs = jobsFor(store, emulator);
    // A scan running "elsewhere": its row is active but no job here runs it, so streams poll the row.
    const scan = await createScan(store, { source: "emulator", subscriptions: ["remote-a"], startedBy: "test" });
    const streams = await Promise.all(Array.from({ length: 25 }, () => scanEvents(jobs, scan.id, { pollMs: 20 })));
    const all = Promise.all(streams.map(drain));
    await new Promise((r) => setTimeout(r, 100));
    expect(rowPollers(jobs)).toBe(1);
    await endScan(store, scan.id, "cancelled", null);
    const seen = await all;
    for (const events of seen) expect(events.at(-1)).toMatchObject({ event: "done", data: { id: scan.id, status: "cancelled" } });
    expect(rowPollers(jobs)).toBe(0);
    await jobs.close();
  });

  it("are capped per user and in all, and a closed stream frees its place", async () => {
    process.env.SPEECH_POSTURE_MAX_STREAMS_PER_USER = "3";
    process.env.SPEECH_POSTURE_MAX_STREAMS = "5";
    const jobs = jobsFor(store, emulator);
    const scan = await createScan(store, { source: "emulator", subscriptions: ["remote-b"], startedBy: "test" });
    const aborts: AbortController[] = [];
    const open = async (user: string) => {
      const c = new AbortController();
      aborts.push(c);
      const events = await scanEvents(jobs, scan.id, { pollMs: 20, user, signal: c.signal });
      void drain(events);
      return c;
    };
    const alice = [await open("alice"), await open("alice"), await open("alice")];
    await expect(open("alice")).rejects.toThrow(TooManyStreamsError);
    await expect(open("alice")).rejects.toThrow(/limit is 3/);
    await open("bob");
    await open("bob");
    await expect(open("bob")).rejects.toThrow(/already serves 5 progress streams/);
    expect(openStreams()).toBe(5);
    expect(openStreams("alice")).toBe(3);
    alice[0].abort();
    await open("bob");
    expect(openStreams("bob")).toBe(3);
    for (const c of aborts) c.abort();
    expect(openStreams()).toBe(0);
    // An unknown scan takes no place.
    await expect(scanEvents(jobs, "nope", { user: "carol" })).rejects.toThrow(/not found|nope/i);
    expect(openStreams("carol")).toBe(0);
    await endScan(store, scan.id, "cancelled", null);
    await jobs.close();
  });
});

describe("concurrent scans", () => {
  async function statuses(jobs: ScanJobs, ids: string[]) {
    return Promise.all(ids.map(async (id) => (await getScan(jobs.store, id))!.status));
  }

  it("run at most the cap at once; the rest wait queued, may be cancelled while waiting, and past the queue are refused", async () => {
    emulator.setFaults({ latencyMs: 150 });
    const jobs = jobsFor(store, emulator, { maxConcurrentScans: 1, maxQueuedScans: 2 });
    try {
      const subs = emulator.tenant.subscriptions.map((s) => s.subscriptionId);
      const a = await jobs.start({ source: "emulator", subscriptions: [subs[0]] });
      const b = await jobs.start({ source: "emulator", subscriptions: [subs[1]] });
      const c = await jobs.start({ source: "emulator" });
      await expect(jobs.start({ source: "emulator", subscriptions: [subs[0], subs[1]] })).rejects.toThrow(ScanCapacityError);
      const ids = [a.id, b.id, c.id];
      let mostRunning = 0;
      let sawWaiting = false;
      await jobs.cancel(b.id);
      while (jobs.isLocal(a.id) || jobs.isLocal(c.id)) {
        const now = await statuses(jobs, ids);
        mostRunning = Math.max(mostRunning, now.filter((s) => s === "running").length);
        if (now[0] === "running" && now[2] === "queued") sawWaiting = true;
        await new Promise((r) => setTimeout(r, 10));
      }
      await jobs.idle();
      expect(mostRunning).toBe(1);
      expect(sawWaiting).toBe(true);
      expect(await statuses(jobs, ids)).toEqual(["succeeded", "cancelled", "succeeded"]);
      // The cancelled one never ran.
      expect((await getScan(store, b.id))!.startedAt).toBeNull();
    } finally {
      emulator.setFaults({});
      await jobs.close();
    }
  });

  it("name at most the cap of subscriptions", async () => {
    process.env.SPEECH_POSTURE_MAX_SCAN_SUBSCRIPTIONS = "50";
    const jobs = jobsFor(store, emulator);
    const many = Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const error = await jobs.start({ source: "emulator", subscriptions: many }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/at most 50 subscription IDs/);
    await jobs.close();
  });
});
