/**
 * The server's one ScanJobs (and its store) per process, opened on first use: SQLite at
 * ./data/speech-posture.db or DATABASE_URL. Kept on globalThis so Next's module reloads in dev
 * do not open a second store. Tests install their own with `setServerJobs`.
 */
import { openStore } from "../store/store";
import { ScanJobs } from "./jobs";
import { startScheduler, type Scheduler } from "./scheduler";

interface ServerState {
  jobs?: Promise<ScanJobs>;
  scheduler?: Scheduler;
}

const g = globalThis as unknown as { __speechPostureJobs?: ServerState };
const state = (g.__speechPostureJobs ??= {});

export function serverJobs(): Promise<ScanJobs> {
  if (!state.jobs) {
    state.jobs = openStore().then((store) => new ScanJobs({ store }));
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
  return jobs;
}

/** Replaces the process's jobs (tests; or an embedding server). */
export function setServerJobs(jobs: ScanJobs | undefined): void {
  state.scheduler?.stop();
  state.scheduler = undefined;
  state.jobs = jobs ? Promise.resolve(jobs) : undefined;
}
