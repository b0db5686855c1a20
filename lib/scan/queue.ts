/**
 * The job queue on PostgreSQL: pg-boss in the store's own database (schema `pgboss`). A collecting
 * scan is one `scan-part` job per tenant (or per batch of a large tenant's subscriptions) and a
 * `scan-finish` job that merges the parts, evaluates and stores the scan. Jobs are retried with
 * back-off; a job whose worker died expires and is retried elsewhere. Scheduled scans are pg-boss
 * cron (`scan-scheduled`). Any number of workers (`speech-posture worker`) and dashboards share it.
 * Nothing here knows what a job does: the handlers are in `queue-jobs.ts`.
 */
import PgBoss from "pg-boss";
import { RESOURCE_GRAPH_QUOTA, type QuotaLimits } from "./shared-quota";

export const QUEUES = { part: "scan-part", finish: "scan-finish", scheduled: "scan-scheduled", dead: "scan-dead" } as const;

export interface PartJob {
  scanId: string;
  part: string;
}
export interface FinishJob {
  scanId: string;
}

export interface QueueSettings {
  /** A job running longer than this is taken for dead and retried (default 900 s). */
  expireInSeconds: number;
  /** Retries after the first attempt (default 3), with exponential back-off from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** How often expired jobs are looked for (default 30 s). */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker asks for a job (default 1 s). */
  pollingIntervalSeconds: number;
  /** A tenant with more subscriptions than this is collected in batches of this many (default 100). */
  batchSubscriptions: number;
  /** Resource Graph's quota per principal, shared by its jobs (default 15 per 5,000 ms; Azure may change it). */
  resourceGraphQuota: QuotaLimits;
}

/** `SPEECH_POSTURE_ARG_QUOTA=<requests>/<ms>` as the emulator's `--quota` takes it; else Azure's documented 15/5000. */
function quotaFrom(value: string | undefined): QuotaLimits {
  const m = /^(\d+)\/(\d+)$/.exec(value?.trim() ?? "");
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 100) return RESOURCE_GRAPH_QUOTA;
  return { requests: Number(m[1]), windowMs: Number(m[2]) };
}

type Env = Record<string, string | undefined>;
const positive = (env: Env, name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export function queueSettings(env: Env = process.env): QueueSettings {
  return {
    expireInSeconds: Math.floor(positive(env, "SPEECH_POSTURE_JOB_EXPIRE_SECONDS", 900)),
    retryLimit: Math.floor(positive(env, "SPEECH_POSTURE_JOB_RETRIES", 3)),
    retryDelaySeconds: Math.floor(positive(env, "SPEECH_POSTURE_JOB_RETRY_DELAY_SECONDS", 5)),
    maintenanceIntervalSeconds: Math.floor(positive(env, "SPEECH_POSTURE_JOB_MAINTENANCE_SECONDS", 30)),
    pollingIntervalSeconds: Math.max(0.5, positive(env, "SPEECH_POSTURE_JOB_POLL_SECONDS", 1)),
    batchSubscriptions: Math.floor(positive(env, "SPEECH_POSTURE_SCAN_BATCH_SUBSCRIPTIONS", 100)),
    resourceGraphQuota: quotaFrom(env.SPEECH_POSTURE_ARG_QUOTA),
  };
}

export interface QueueHandlers {
  part(job: PartJob, attempt: { retryCount: number; retryLimit: number }): Promise<void>;
  finish(job: FinishJob): Promise<void>;
  scheduled(): Promise<void>;
  /** A part or finish job that failed its last retry (its data as sent). */
  dead(job: PartJob | FinishJob): Promise<void>;
}

export class ScanQueue {
  private constructor(
    private readonly boss: PgBoss,
    readonly settings: QueueSettings,
  ) {}

  /** Starts pg-boss on the database (installing its schema on first use) and creates the queues. */
  static async open(url: string, settings: QueueSettings = queueSettings()): Promise<ScanQueue> {
    const boss = new PgBoss({
      connectionString: url,
      schema: "pgboss",
      max: 4,
      application_name: "speech-posture-queue",
      maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
    });
    boss.on("error", (error) => console.error("speech-posture: job queue:", error.message));
    await boss.start();
    const common = {
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: settings.expireInSeconds,
    };
    // A job out of retries lands in the dead-letter queue, whose handler ends its part or scan.
    if (!(await boss.getQueue(QUEUES.dead))) await boss.createQueue(QUEUES.dead, { name: QUEUES.dead, ...common });
    // "stately": at most one waiting and one running job per key, so a part or a scan's finish
    // sent twice is one job, and a retried part never runs beside its earlier attempt.
    for (const name of [QUEUES.part, QUEUES.finish]) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: "stately", deadLetter: QUEUES.dead, ...common });
    }
    if (!(await boss.getQueue(QUEUES.scheduled))) await boss.createQueue(QUEUES.scheduled, { name: QUEUES.scheduled, policy: "stately", retryLimit: 0 });
    return new ScanQueue(boss, settings);
  }

  async sendParts(scanId: string, parts: readonly string[]): Promise<void> {
    for (const part of parts) await this.boss.send(QUEUES.part, { scanId, part } satisfies PartJob, { singletonKey: `${scanId}:${part}` });
  }

  async sendFinish(scanId: string): Promise<void> {
    await this.boss.send(QUEUES.finish, { scanId } satisfies FinishJob, { singletonKey: scanId });
  }

  /** Cancels a scan's jobs that no worker has started. */
  async cancelWaiting(scanId: string): Promise<void> {
    for (const name of [QUEUES.part, QUEUES.finish]) {
      const ids = await this.waitingJobs(name, scanId);
      if (ids.length) await this.boss.cancel(name, ids);
    }
  }

  private async waitingJobs(name: string, scanId: string): Promise<string[]> {
    const db = this.boss.getDb() as PgBoss.Db;
    const { rows } = await db.executeSql(`SELECT id FROM pgboss.job WHERE name = $1 AND data->>'scanId' = $2 AND state IN ('created', 'retry')`, [
      name,
      scanId,
    ]);
    return rows.map((r: { id: string }) => r.id);
  }

  /** Works the queues here: `jobs` parts at once, one finish and one scheduled scan at a time. */
  async work(handlers: QueueHandlers, options: { jobs: number }): Promise<void> {
    const polling = { pollingIntervalSeconds: this.settings.pollingIntervalSeconds, batchSize: 1, includeMetadata: true as const };
    for (let i = 0; i < options.jobs; i++) {
      await this.boss.work<PartJob>(QUEUES.part, polling, async ([job]) => {
        await handlers.part(job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      });
    }
    await this.boss.work<FinishJob>(QUEUES.finish, polling, async ([job]) => handlers.finish(job.data));
    await this.boss.work(QUEUES.scheduled, polling, async () => handlers.scheduled());
    await this.boss.work<PartJob | FinishJob>(QUEUES.dead, polling, async ([job]) => handlers.dead(job.data));
  }

  /** The schedule as pg-boss cron (UTC); null removes it. Every instance may call it: it is one row. */
  async schedule(cron: string | null): Promise<void> {
    if (cron) await this.boss.schedule(QUEUES.scheduled, cron, {}, { tz: "UTC" });
    else await this.boss.unschedule(QUEUES.scheduled);
  }

  async scheduledCron(): Promise<string | null> {
    const schedules = await this.boss.getSchedules();
    return schedules.find((s) => s.name === QUEUES.scheduled)?.cron ?? null;
  }

  /** A scan's jobs by queue and state, as `queue/state` (tests and benchmarks). */
  async jobStates(scanId: string): Promise<Record<string, number>> {
    const db = this.boss.getDb() as PgBoss.Db;
    const { rows } = await db.executeSql(
      `SELECT name, state, count(*)::int AS n FROM (SELECT name, state, data FROM pgboss.job UNION ALL SELECT name, state, data FROM pgboss.archive) j
       WHERE data->>'scanId' = $1 GROUP BY name, state`,
      [scanId],
    );
    return Object.fromEntries(rows.map((r: { name: string; state: string; n: number }) => [`${r.name}/${r.state}`, r.n]));
  }

  /** Stops working; running jobs get `graceMs` to end, then are left to expire and be retried. */
  async stop(graceMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: graceMs });
  }
}
