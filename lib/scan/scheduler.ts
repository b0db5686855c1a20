/**
 * Scheduled scans. In process (SQLite): every instance watches the cron expression in settings; at
 * each occurrence they all try to claim it in the database and only the one that inserted the claim
 * starts the scan. Occurrences missed while no instance ran are not caught up. With the job queue
 * (PostgreSQL) the schedule is pg-boss cron instead: each instance keeps it equal to the settings,
 * and pg-boss sends one `scan-scheduled` job per occurrence, whichever worker takes it.
 */
import { Cron } from "croner";
import { isUniqueViolation } from "@/lib/store/errors";
import { getSettings, scheduleChangedAt } from "@/lib/store/settings";
import { nowIso } from "@/lib/store/store";
import { ScanConflictError } from "@/lib/store/errors";
import { SCHEDULER_ACTOR, type ScanJobs } from "./jobs";
import type { ScanQueue } from "./queue";

export { SCHEDULER_ACTOR };

export interface Scheduler {
  /** Checks now for due occurrences (the timer calls it; tests may too). Returns a started scan ID. */
  tick(): Promise<string | undefined>;
  stop(): void;
}

/** Claims the occurrence for this instance; false if another instance did first. */
export async function claimOccurrence(jobs: ScanJobs, occurrence: string): Promise<boolean> {
  try {
    await jobs.store.db
      .insertInto("schedule_claims")
      .values({ occurrence, claimed_by: jobs.store.instanceId, claimed_at: nowIso(jobs.store), scan_id: null })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export function startScheduler(jobs: ScanJobs, options: { tickMs?: number; now?: () => Date } = {}): Scheduler {
  if (jobs.queue) return keepQueueSchedule(jobs, jobs.queue, options.tickMs ?? 15_000);
  const now = options.now ?? (() => jobs.store.now());
  const tickMs = options.tickMs ?? 15_000;
  let since = now();

  const tick = async (): Promise<string | undefined> => {
    const [settings, changedAt] = await Promise.all([getSettings(jobs.store), scheduleChangedAt(jobs.store)]);
    const current = now();
    // An occurrence that passed before the schedule was saved belongs to no schedule anyone set.
    const from = changedAt && changedAt > since ? changedAt : since;
    since = current;
    if (!settings.scheduleCron) return undefined;
    const cron = new Cron(settings.scheduleCron, { timezone: "UTC", paused: true });
    // The latest occurrence in (from, current]; earlier ones in the window are skipped.
    let due: Date | null = null;
    for (let next = cron.nextRun(from); next && next <= current; next = cron.nextRun(next)) due = next;
    cron.stop();
    if (!due) return undefined;
    const occurrence = `${settings.scheduleCron}@${due.toISOString()}`;
    if (!(await claimOccurrence(jobs, occurrence))) return undefined;
    try {
      const scan = await jobs.start({ source: settings.scheduleSource ?? undefined, actor: SCHEDULER_ACTOR });
      await jobs.store.db.updateTable("schedule_claims").set({ scan_id: scan.id }).where("occurrence", "=", occurrence).execute();
      return scan.id;
    } catch (error) {
      if (!(error instanceof ScanConflictError))
        console.error("speech-posture: scheduled scan failed to start:", error instanceof Error ? error.message : error);
      return undefined;
    }
  };

  // Wake at the next occurrence if it is sooner than the regular tick.
  const nextWait = async () => {
    const s = await getSettings(jobs.store);
    if (!s.scheduleCron) return tickMs;
    const next = new Cron(s.scheduleCron, { timezone: "UTC", paused: true }).nextRun(now());
    return next ? Math.max(250, Math.min(tickMs, next.getTime() - now().getTime() + 50)) : tickMs;
  };
  return ticking(tick, nextWait, tickMs, "scheduler");
}

/** Runs `tick` now (well, within a second) and then after each wait, until stopped; a failed tick is logged. */
function ticking(tick: () => Promise<string | undefined>, nextWait: () => Promise<number>, tickMs: number, label: string): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = async () => {
    if (stopped) return;
    await tick().catch((error) => console.error(`speech-posture: ${label}:`, error instanceof Error ? error.message : error));
    if (stopped) return;
    const wait = await nextWait().catch(() => tickMs); // keep the regular tick
    timer = setTimeout(loop, wait);
    timer.unref();
  };
  timer = setTimeout(loop, Math.min(tickMs, 1000));
  timer.unref();
  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Keeps pg-boss's cron equal to the saved schedule; its jobs start the scans (tick returns no scan ID). */
function keepQueueSchedule(jobs: ScanJobs, queue: ScanQueue, tickMs: number): Scheduler {
  const tick = async (): Promise<undefined> => {
    const wanted = (await getSettings(jobs.store)).scheduleCron ?? null;
    if (wanted !== (await queue.scheduledCron())) await queue.schedule(wanted);
    return undefined;
  };
  return ticking(tick, async () => tickMs, tickMs, "schedule");
}
