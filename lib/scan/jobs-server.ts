/**
 * The server's one ScanJobs (and its store) per process, opened on first use: SQLite at
 * ./data/speech-posture.db or DATABASE_URL. On PostgreSQL collections go through the job queue,
 * which the dashboard also works (SPEECH_POSTURE_DASHBOARD_JOBS parts at once, default 2; 0 when
 * `speech-posture worker`s do it all). Kept on globalThis so Next's module reloads in dev do not
 * open a second store. Tests install their own with `setServerJobs`.
 */
import { keepSignInStateIn } from "@/lib/auth/revocation";
import { openStore, type Store } from "@/lib/store/store";
import { ScanJobs } from "./jobs";
import { ScanQueue } from "./queue";
import { startScheduler, type Scheduler } from "./scheduler";
import { startExpiryAlerts } from "./alert-schedule";
import { listScans } from "@/lib/store/scans/scans";

interface ServerState {
  jobs?: Promise<ScanJobs>;
  scheduler?: Scheduler;
  expiryAlerts?: { stop(): void };
}

const g = globalThis as unknown as { __speechPostureJobs?: ServerState };
const state = (g.__speechPostureJobs ??= {});

export function serverJobs(): Promise<ScanJobs> {
  if (!state.jobs) {
    state.jobs = openStore().then(async (store) => {
      keepSignInStateIn(store); // sign-outs and exchanged tokens are remembered in the store
      const jobs = await jobsFor(store);
      const parts = dashboardJobs();
      if (jobs.queue && parts > 0) await jobs.workQueue(parts);
      return jobs;
    });
    state.jobs.catch(() => {
      state.jobs = undefined; // a failed open is retried by the next request
    });
  }
  return state.jobs;
}

type Env = Record<string, string | undefined>;

/** Whether scans on this store go through the job queue: PostgreSQL, unless SPEECH_POSTURE_SCAN_RUNNER=local. */
export function usesQueue(store: Store, env: Env = process.env): boolean {
  return store.dialect === "postgres" && !!store.url && env.SPEECH_POSTURE_SCAN_RUNNER !== "local";
}

/** A process's ScanJobs on a store: with the job queue where the store has one. */
export async function jobsFor(store: Store, env: Env = process.env): Promise<ScanJobs> {
  return new ScanJobs({ store, queue: usesQueue(store, env) ? await ScanQueue.open(store.url!) : undefined });
}

/** Part jobs the dashboard itself runs at once (SPEECH_POSTURE_DASHBOARD_JOBS, default 2; 0: none). */
export function dashboardJobs(env: Env = process.env): number {
  const n = Number(env.SPEECH_POSTURE_DASHBOARD_JOBS ?? 2);
  return Number.isInteger(n) && n >= 0 ? n : 2;
}

/** Opens the store (migrations, recovery of interrupted scans) and starts the scheduler. */
export async function startServer(): Promise<ScanJobs> {
  const jobs = await serverJobs();
  state.scheduler ??= startScheduler(jobs);
  state.expiryAlerts ??= startExpiryAlerts(jobs.store);
  if (process.env.SPEECH_POSTURE_DEMO_FIRST_SCAN === "1") await startDemoScanIfEmpty(jobs);
  return jobs;
}

/**
 * `npm start` on the demo tenant: a store with no scan at all gets its first emulator scan at once,
 * so a new user sees the tenant instead of an empty page.
 */
export async function startDemoScanIfEmpty(jobs: ScanJobs): Promise<void> {
  try {
    if ((await listScans(jobs.store, { limit: 1 })).length > 0) return;
    await jobs.start({ source: "emulator", actor: "demo start" });
  } catch (error) {
    console.error("speech-posture: the first demo scan did not start:", error instanceof Error ? error.message : error);
  }
}

/** Replaces the process's jobs (tests; or an embedding server). */
export function setServerJobs(jobs: ScanJobs | undefined): void {
  state.scheduler?.stop();
  state.scheduler = undefined;
  state.expiryAlerts?.stop();
  state.expiryAlerts = undefined;
  state.jobs = jobs ? Promise.resolve(jobs) : undefined;
  keepSignInStateIn(jobs?.store);
}
