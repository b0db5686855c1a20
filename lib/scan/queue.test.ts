/**
 * Scans as pg-boss jobs on a real PostgreSQL, against the emulator's real HTTPS endpoints: one job
 * per tenant and a finish job that stores the same result an in-process scan stores; a large tenant
 * split into batches; jobs of one principal sharing its Resource Graph quota; cancellation; the
 * schedule kept as pg-boss cron; and a worker killed mid-job whose part another worker takes over.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate, LIGHTHOUSE_CLIENT_ID, type Estate } from "@/emulator/estate";
import { generateTenant } from "@/emulator/tenant";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { ConfigurationError, emulatorTarget } from "@/lib/azure/target";
import { emulatorTargetFor } from "@/lib/azure/target-credential";
import type { ScanTarget } from "@/lib/posture/targets";
import { listParts } from "@/lib/store/scans/parts";
import { getScan, scanErrors, type Scan } from "@/lib/store/scans/scans";
import { updateSettings } from "@/lib/store/settings";
import type { Store } from "@/lib/store/store";
import { addTarget } from "@/lib/store/targets";
import { scanTenants } from "@/lib/store/tenants";
import { createTestDb, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import type { ScanJobs } from "./jobs";
import { scanEvents } from "./jobs-events";
import { ScanQueue, queueSettings, type QueueSettings } from "./queue";
import { startScheduler } from "./scheduler";

const BROKEN = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const lower = (s: string) => s.toLowerCase();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST: QueueSettings = { ...queueSettings({}), pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, retryDelaySeconds: 1 };

let estate: Estate;
let emu: RunningEmulator;
const opened: { tdb: TestDatabase; jobs: ScanJobs[] }[] = [];

beforeAll(async () => {
  estate = generateEstate(3, { subscriptions: 2, accounts: 6, hiddenSubscriptions: 0 });
  emu = await startEmulator({ tenant: estate.home, otherTenants: estate.others, delegations: estate.delegations });
});
afterAll(async () => {
  for (const o of opened) {
    for (const j of o.jobs) await j.close().catch(() => undefined);
    await o.tdb.dispose();
  }
  await emu?.close();
  await releaseDatabases();
});

/** Opens the emulator for the default credential or a target; the "Broken" target has no secret. */
const opener = (emulator: Pick<RunningEmulator, "url" | "ca">) => async (_source: unknown, scanTarget?: ScanTarget) => {
  if (scanTarget?.tenantId === BROKEN) throw new ConfigurationError(`Target "Broken" (tenant ${BROKEN}): the environment variable NOPE is not set.`);
  return { target: scanTarget ? emulatorTargetFor(scanTarget, emulator) : emulatorTarget(emulator), close: async () => undefined };
};

/** A fresh PostgreSQL database with `workers` ScanJobs on the one queue, each working it. */
async function queueOn(workers: number, settings: QueueSettings = FAST, emulator: Pick<RunningEmulator, "url" | "ca"> = emu) {
  const tdb = await createTestDb("postgres");
  const entry = { tdb, jobs: [] as ScanJobs[] };
  opened.push(entry);
  for (let i = 0; i < workers; i++) {
    const store = await tdb.open();
    const queue = await ScanQueue.open(tdb.url, settings);
    const jobs = jobsFor(store, emulator, { queue, alerts: false, openTarget: opener(emulator) });
    await jobs.workQueue(2);
    entry.jobs.push(jobs);
  }
  return { tdb, jobs: entry.jobs, store: entry.jobs[0].store };
}

async function addEstateTargets(store: Store) {
  const sp = (clientId?: string) => (clientId ? { kind: "client-secret", clientId, secretEnv: "SP_SECRET" } : { kind: "azure-cli" });
  await addTarget(store, { tenantId: estate.home.tenantId, displayName: "Contoso", credential: sp(LIGHTHOUSE_CLIENT_ID) }, "admin");
  await addTarget(store, { tenantId: estate.others[1].tenantId, displayName: "Northwind", credential: sp() }, "admin");
  await addTarget(store, { tenantId: BROKEN, displayName: "Broken", credential: sp() }, "admin");
}

async function ended(store: Store, id: string, timeoutMs = 90_000): Promise<Scan> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(100)) {
    const scan = (await getScan(store, id))!;
    if (scan.status !== "queued" && scan.status !== "running") return scan;
  }
  throw new Error(`scan ${id} did not end`);
}

/**
 * The scan's job states once every one of its jobs has ended: pg-boss marks a job completed when
 * its handler returns, a moment after the scan the finish job stored became visible.
 */
async function settledStates(queue: ScanQueue, id: string, timeoutMs = 15_000): Promise<Record<string, number>> {
  const open = /\/(created|retry|active)$/;
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(50)) {
    const states = await queue.jobStates(id);
    if (!Object.keys(states).some((k) => open.test(k))) return states;
  }
  throw new Error(`the jobs of scan ${id} did not all end: ${JSON.stringify(await queue.jobStates(id))}`);
}

/** What a scan found, comparable across scans: control, resource and status of every finding. */
async function findingsOf(store: Store, scanId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom("findings")
    .innerJoin("resources", (j) => j.onRef("resources.scan_id", "=", "findings.scan_id").onRef("resources.ord", "=", "findings.resource_ord"))
    .select(["findings.control_id", "resources.resource_key", "findings.status"])
    .where("findings.scan_id", "=", scanId)
    .execute();
  return rows.map((r) => `${r.control_id} ${r.resource_key} ${r.status}`).sort();
}

describe("an estate scan as queue jobs", () => {
  it("runs one job per tenant on two workers and stores what an in-process scan stores", async () => {
    const { store, jobs } = await queueOn(2);
    await addEstateTargets(store);
    const scan = await jobs[1].start({ source: "emulator" });
    expect(scan.runner).toBe("queue");
    const parts = await listParts(store, scan.id);
    expect(parts.map((p) => p.part)).toEqual(
      [`tenant:${BROKEN}`, `tenant:${lower(estate.home.tenantId)}`, `tenant:${lower(estate.others[1].tenantId)}`].sort(),
    );
    const done = await ended(store, scan.id);
    expect(done.status).toBe("succeeded");
    expect(await listParts(store, scan.id)).toEqual([]); // intermediates removed once stored
    expect((await scanTenants(store, scan.id)).map((t) => t.displayName)).toEqual(["Contoso", "Northwind", null]);
    expect(await scanErrors(store, scan.id)).toContainEqual(
      expect.objectContaining({ scope: "/", message: expect.stringContaining(`Target "Broken" (tenant ${BROKEN}) could not be collected`) }),
    );
    // The same estate scanned in process (SQLite) finds exactly the same.
    const local = await createTestDb("sqlite");
    try {
      const localStore = await local.open();
      await addEstateTargets(localStore);
      const localJobs = jobsFor(localStore, emu, { alerts: false, openTarget: opener(emu) });
      const localScan = await localJobs.start({ source: "emulator" });
      await localJobs.settled(localScan.id);
      await localJobs.close();
      expect((await getScan(localStore, localScan.id))!.status).toBe("succeeded");
      expect(await findingsOf(store, scan.id)).toEqual(await findingsOf(localStore, localScan.id));
      expect(done.summary).toEqual((await getScan(localStore, localScan.id))!.summary);
    } finally {
      await local.dispose();
    }
  });

  it("splits a large tenant into batches that share its principal's Resource Graph quota without a 429", async () => {
    // One subscription per batch: the default credential's four subscriptions become four jobs of one
    // principal, whose quota (here 8 requests per second, on both sides) they must share.
    const quota = { requests: 8, windowMs: 1000 };
    const big = generateTenant({ seed: 7, subscriptions: 4, accounts: 12, hiddenSubscriptions: 0 });
    const bigEmu = await startEmulator({ tenant: big, quota });
    try {
      const { store, jobs } = await queueOn(2, { ...FAST, batchSubscriptions: 1, resourceGraphQuota: quota }, bigEmu);
      const scan = await jobs[0].start({ source: "emulator" });
      const done = await ended(store, scan.id);
      expect(done.status).toBe("succeeded");
      const states = await settledStates(jobs[0].queue!, scan.id);
      expect(states["scan-part/completed"]).toBe(1 + 4); // the tenant's listing job, then four batches
      expect(states["scan-finish/completed"]).toBeGreaterThanOrEqual(1); // parts ending together may each ask
      const stats = (await store.db.selectFrom("scans").select("stats").where("id", "=", scan.id).executeTakeFirst())!.stats!;
      const figures = JSON.parse(stats) as { argRequests: number; argThrottled: number };
      expect(figures.argRequests).toBeGreaterThan(3 * quota.requests); // several windows' worth, from four jobs at once
      expect(figures.argThrottled).toBe(0);
      expect(bigEmu.stats().arg429).toBe(0);
    } finally {
      await bigEmu.close();
    }
  });

  it("cancels a queued scan whose jobs no worker has taken, and removes its parts", async () => {
    const tdb = await createTestDb("postgres");
    const store = await tdb.open();
    const queue = await ScanQueue.open(tdb.url, FAST);
    const jobs = jobsFor(store, emu, { queue, alerts: false });
    opened.push({ tdb, jobs: [jobs] });
    const scan = await jobs.start({ source: "emulator" });
    expect(await queue.jobStates(scan.id)).toEqual({ "scan-part/created": 1 });
    // Its event stream says a worker runs it, so the page can say it waits for one.
    const events = await scanEvents(jobs, scan.id, { pollMs: 50 });
    expect((await events.next()).value).toMatchObject({ event: "progress", data: { status: "queued", runner: "queue" } });
    await events.return(undefined);
    await jobs.cancel(scan.id, "tester");
    await jobs.workQueue(1); // the finish job the cancel sent ends it
    expect((await ended(store, scan.id)).status).toBe("cancelled");
    expect(await listParts(store, scan.id)).toEqual([]);
    expect((await queue.jobStates(scan.id))["scan-part/cancelled"]).toBe(1);
  });

  it("keeps pg-boss cron equal to the saved schedule, and removes it when the schedule is cleared", async () => {
    const { store, jobs } = await queueOn(1);
    await updateSettings(store, { scheduleCron: "0 3 * * *", scheduleSource: "emulator" }, "admin");
    const scheduler = startScheduler(jobs[0], { tickMs: 60_000 });
    try {
      await scheduler.tick();
      expect(await jobs[0].queue!.scheduledCron()).toBe("0 3 * * *");
      await updateSettings(store, { scheduleCron: null }, "admin");
      await scheduler.tick();
      expect(await jobs[0].queue!.scheduledCron()).toBeNull();
    } finally {
      scheduler.stop();
    }
  });
});

describe("a worker killed mid-job", () => {
  it("leaves its part pending; the job expires and another worker collects it once, and the scan is stored whole", async () => {
    const slow = await startEmulator({ tenant: estate.home, latencyMs: 150, quota: false });
    const dir = mkdtempSync(join(tmpdir(), "queue-kill-"));
    writeFileSync(join(dir, "ca.pem"), slow.ca);
    const settings = { ...FAST, expireInSeconds: 8 };
    const tdb = await createTestDb("postgres");
    const store = await tdb.open();
    const queue = await ScanQueue.open(tdb.url, settings); // creates the queues with a short expiry
    const jobs = jobsFor(store, slow, { queue, alerts: false });
    opened.push({ tdb, jobs: [jobs] });
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "lib/scan/testing/queue-worker-child.ts"], {
        env: { ...process.env, DATABASE_URL: tdb.url, EMULATOR_URL: slow.url, EMULATOR_CA_FILE: join(dir, "ca.pem"), SPEECH_POSTURE_JOB_POLL_SECONDS: "0.5" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      for (let i = 0; i < 600 && !out.includes("ready"); i++) await sleep(50);
      expect(out).toContain("ready");
      const scan = await jobs.start({ source: "emulator" });
      // Kill the child once it is collecting the scan's one part.
      let attempts = 0;
      for (let i = 0; i < 400 && attempts === 0; i++) {
        await sleep(25);
        attempts = (await listParts(store, scan.id))[0]?.attempts ?? 0;
      }
      expect(attempts).toBe(1);
      child.kill("SIGKILL");
      await exited;
      const [part] = await listParts(store, scan.id);
      expect(part).toMatchObject({ status: "pending", attempts: 1 });
      expect((await getScan(store, scan.id))!.status).toBe("running"); // no sweep fails a queued scan

      await jobs.workQueue(1); // the surviving worker
      const done = await ended(store, scan.id);
      expect(done.status).toBe("succeeded");
      const rows = await store.db.selectFrom("resources").select("resource_key").where("scan_id", "=", scan.id).execute();
      expect(new Set(rows.map((r) => r.resource_key)).size).toBe(rows.length); // nothing twice
      const accounts = estate.home.subscriptions.filter((s) => s.visible).length;
      expect(done.summary!.resources).toBeGreaterThanOrEqual(accounts);
      const states = await settledStates(queue, scan.id);
      expect(states["scan-part/completed"]).toBe(1); // the killed attempt's job, retried
      expect(states["scan-part/failed"] ?? 0).toBe(0);
      expect(states["scan-finish/completed"]).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
