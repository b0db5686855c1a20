/**
 * The server's one ScanJobs (and its store) per process, opened on first use: SQLite at
 * ./data/speech-posture.db or DATABASE_URL. Kept on globalThis so Next's module reloads in dev
 * do not open a second store. Tests install their own with `setServerJobs`.
 */
import { keepSignInStateIn } from "@/lib/auth/revocation";
import { openStore } from "@/lib/store/store";
import { ScanJobs } from "./jobs";
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
    state.jobs = openStore().then((store) => {
      keepSignInStateIn(store); // sign-outs and exchanged tokens are remembered in the store
      return new ScanJobs({ store });
    });
    state.jobs.catch(() => {
      state.jobs = undefined; // a failed open is retried by the next request
    });
  }
  return state.jobs;
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
