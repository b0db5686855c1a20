/**
 * Scans as server-side jobs: start (one per scope, enforced by the database), import an uploaded
 * snapshot, cancel (here or on whichever instance runs it), and a local event stream of progress.
 * At most SPEECH_POSTURE_MAX_CONCURRENT_SCANS (default 4) run at once in this process; the rest
 * wait, queued, up to SPEECH_POSTURE_MAX_QUEUED_SCANS (default 20), then new scans are refused;
 * a scan names at most SPEECH_POSTURE_MAX_SCAN_SUBSCRIPTIONS (default 1,000) subscriptions.
 * The HTTP routes and the scheduler call these; nothing here knows about HTTP.
 */
import { EventEmitter } from "node:events";
import type { CollectionSource } from "@/lib/azure/target";
import type { Snapshot } from "@/lib/posture/snapshot";
import { recordAudit } from "@/lib/store/audit";
import { InvalidInputError, NotFoundError, sharedAcrossBundles, StateConflictError } from "@/lib/store/errors";
import { recoverInterrupted } from "@/lib/store/scans/recovery";
import { createScan, endScan, getScan, requestCancel, touchScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { alertsAfterScan, type AlertOptions } from "./alerts";
import { runScan, type RunContext, type ScanInput, type ScanOutcome } from "./run-scan";
import type { Progress } from "./run-scan-progress";
import { defaultSource, openTarget as openSourceTarget, type OpenedTarget } from "./sources";
import type { ScanTarget } from "@/lib/posture/targets";
import { getSettings } from "@/lib/store/settings";
import { ScanConflictError } from "@/lib/store/errors";
import type { ScanQueue } from "./queue";
import { enqueueScan, planParts, runDeadJob, runFinishJob, runPartJob, type QueueJobContext } from "./queue-jobs";

export interface JobsOptions {
  store: Store;
  /** How to reach a source (tests point this at their emulator). */
  openTarget?: (source: CollectionSource, scanTarget?: ScanTarget) => Promise<OpenedTarget>;
  /** The source when a request names none. */
  defaultSource?: () => CollectionSource;
  progressIntervalMs?: number;
  heartbeatMs?: number;
  /** How often to look for scans orphaned by other instances that died (default 15 s; 0: never). */
  sweepMs?: number;
  concurrency?: number;
  /** Scans running at once here (default: scanLimits()). */
  maxConcurrentScans?: number;
  /** Scans waiting for a turn before new ones are refused (default: scanLimits()). */
  maxQueuedScans?: number;
  /** Alert delivery settings (tests shorten retries); false: no alerts after scans. */
  alerts?: AlertOptions | false;
  /**
   * PostgreSQL's job queue: collections become pg-boss jobs that any worker runs (imports stay
   * here: the upload is in this process). Without it, scans run in this process (SQLite).
   */
  queue?: ScanQueue;
}

type Env = Record<string, string | undefined>;
const positive = (env: Env, name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export function scanLimits(env: Env = process.env): { concurrent: number; queued: number; subscriptions: number } {
  return {
    concurrent: positive(env, "SPEECH_POSTURE_MAX_CONCURRENT_SCANS", 4),
    queued: positive(env, "SPEECH_POSTURE_MAX_QUEUED_SCANS", 20),
    subscriptions: positive(env, "SPEECH_POSTURE_MAX_SCAN_SUBSCRIPTIONS", 1000),
  };
}

/** Too many scans running and waiting already (503). */
export class ScanCapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScanCapacityError";
  }
}
sharedAcrossBundles(ScanCapacityError, "ScanCapacityError");

export type JobEvent = { type: "progress"; scanId: string; progress: Progress } | { type: "done"; scanId: string; scan: Scan };

export interface StartScanInput {
  source?: CollectionSource;
  subscriptions?: string[];
  actor?: string;
}

const SUBSCRIPTION_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Who the scans a schedule starts are started by. */
export const SCHEDULER_ACTOR = "scheduler";

export class ScanJobs {
  readonly store: Store;
  private readonly emitter = new EventEmitter();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<ScanOutcome> }>();
  private readonly ctx: RunContext;
  private readonly sweep: NodeJS.Timeout | undefined;
  private readonly pickSource: () => CollectionSource;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly heartbeatMs: number;
  private runningScans = 0;
  private readonly waiting: { scanId: string; go: () => void }[] = [];
  private readonly alertOptions: AlertOptions | false;
  /** Alert evaluations and deliveries under way (they run after the scan's outcome is stored). */
  private readonly alerting = new Set<Promise<void>>();
  readonly queue: ScanQueue | undefined;

  constructor(options: JobsOptions) {
    this.store = options.store;
    this.queue = options.queue;
    this.emitter.setMaxListeners(0);
    this.pickSource = options.defaultSource ?? (() => defaultSource());
    const limits = scanLimits();
    this.maxConcurrent = options.maxConcurrentScans ?? limits.concurrent;
    this.maxQueued = options.maxQueuedScans ?? limits.queued;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.alertOptions = options.alerts ?? {};
    this.ctx = {
      store: options.store,
      openTarget: options.openTarget ?? ((source, scanTarget) => openSourceTarget(source, { scanTarget })),
      progressIntervalMs: options.progressIntervalMs,
      heartbeatMs: options.heartbeatMs,
      concurrency: options.concurrency,
      onProgress: (scanId, progress) => this.emitter.emit(scanId, { type: "progress", scanId, progress } satisfies JobEvent),
    };
    const sweepMs = options.sweepMs ?? 15_000;
    if (sweepMs > 0) {
      this.sweep = setInterval(() => {
        recoverInterrupted(this.store).catch(() => undefined);
      }, sweepMs);
      this.sweep.unref();
    }
  }

  /** Starts a collection. Throws ScanConflictError (with the running scan's ID) if its scope is busy. */
  async start(input: StartScanInput = {}): Promise<Scan> {
    const source = input.source ?? this.pickSource();
    if (source !== "live" && source !== "emulator") throw new InvalidInputError("source", 'expected "live" or "emulator"');
    const subscriptions = input.subscriptions?.map((s) => s.trim()).filter((s) => s !== "");
    const most = scanLimits().subscriptions;
    if (subscriptions && subscriptions.length > most) {
      throw new InvalidInputError(
        "subscriptions",
        `at most ${most} subscription IDs in one scan (got ${subscriptions.length}; SPEECH_POSTURE_MAX_SCAN_SUBSCRIPTIONS)`,
      );
    }
    this.assertCapacity();
    subscriptions?.forEach((s, i) => {
      if (!SUBSCRIPTION_ID.test(s)) throw new InvalidInputError(`subscriptions[${i}]`, `not a subscription ID: ${JSON.stringify(s)}`);
    });
    if (this.queue) return this.enqueue(source, subscriptions, input.actor);
    const scan = await createScan(this.store, { source, subscriptions: subscriptions?.length ? subscriptions : null, startedBy: input.actor || "local" });
    await recordAudit(this.store, { actor: input.actor, action: "scan.started", target: scan.id, details: { source, subscriptions: subscriptions ?? null } });
    this.launch(scan.id, { kind: "collect", source, subscriptions });
    return scan;
  }

  /** A collection as queue jobs: its parts are planned, recorded and sent before this returns. */
  private async enqueue(source: CollectionSource, subscriptions: string[] | undefined, actor: string | undefined): Promise<Scan> {
    const queue = this.queue!;
    const parts = await planParts(this.store, subscriptions, queue.settings.batchSubscriptions);
    if (parts.length === 0) throw new InvalidInputError("subscriptions", "every requested subscription is excluded by its scan target");
    const scan = await createScan(this.store, {
      source,
      subscriptions: subscriptions?.length ? subscriptions : null,
      startedBy: actor || "local",
      runner: "queue",
    });
    await recordAudit(this.store, {
      actor,
      action: "scan.started",
      target: scan.id,
      details: { source, subscriptions: subscriptions ?? null, parts: parts.length },
    });
    try {
      await enqueueScan(this.store, queue, scan.id, parts);
    } catch (error) {
      await endScan(this.store, scan.id, "failed", `The scan could not be queued: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    return (await getScan(this.store, scan.id)) ?? scan;
  }

  /** What this instance's queue jobs need. */
  private queueContext(): QueueJobContext {
    return {
      store: this.store,
      queue: this.queue!,
      openTarget: this.ctx.openTarget,
      concurrency: this.ctx.concurrency,
      heartbeatMs: this.ctx.heartbeatMs,
      progressIntervalMs: this.ctx.progressIntervalMs,
      alerts: this.alertOptions,
    };
  }

  /** Works the queue in this process: `jobs` parts at once (a worker, or a dashboard without one). */
  async workQueue(jobs: number): Promise<void> {
    if (!this.queue) throw new Error("workQueue needs the PostgreSQL job queue");
    const ctx = this.queueContext();
    await this.queue.work(
      {
        part: (job, attempt) => runPartJob(ctx, job, attempt),
        finish: (job) => runFinishJob(ctx, job),
        dead: (job) => runDeadJob(ctx, job),
        scheduled: () => this.startScheduled(),
      },
      { jobs },
    );
  }

  /** A schedule's occurrence (pg-boss cron sends one job per occurrence for every instance). */
  private async startScheduled(): Promise<void> {
    const settings = await getSettings(this.store);
    if (!settings.scheduleCron) return;
    try {
      await this.start({ source: settings.scheduleSource ?? undefined, actor: SCHEDULER_ACTOR });
    } catch (error) {
      if (!(error instanceof ScanConflictError)) throw error;
    }
  }

  /**
   * Evaluates an uploaded snapshot as a scan of origin "import". It stays apart (to compare) unless
   * `replacesLatest`: then it becomes the latest posture, as a collection would. The audit trail
   * keeps the file's SHA-256, so the file evaluated can be told from any other.
   */
  async importSnapshot(
    snapshot: Snapshot,
    input: { actor?: string; bytes?: number; fileName?: string; sha256?: string; replacesLatest?: boolean } = {},
  ): Promise<Scan> {
    this.assertCapacity();
    const replacesLatest = input.replacesLatest === true;
    const scan = await createScan(this.store, { source: "snapshot", startedBy: input.actor || "local", replacesLatest });
    await recordAudit(this.store, {
      actor: input.actor,
      action: "snapshot.imported",
      target: scan.id,
      details: {
        bytes: input.bytes ?? null,
        fileName: input.fileName ?? null,
        sha256: input.sha256 ?? null,
        replacesLatest,
        resources: snapshot.resources.length,
        subscriptions: snapshot.subscriptions.length,
      },
    });
    this.launch(scan.id, { kind: "snapshot", snapshot });
    return scan;
  }

  private assertCapacity(): void {
    if (this.waiting.length >= this.maxQueued) {
      throw new ScanCapacityError(
        `${this.runningScans} scans are running and ${this.waiting.length} are waiting (the limits are ${this.maxConcurrent} and ${this.maxQueued}); try again when some have finished.`,
      );
    }
  }

  /**
   * Resolves true when the scan may run (it then holds one of the running slots), or false when
   * it was cancelled while waiting. A waiting scan keeps its heartbeat, so other instances do not
   * take it for abandoned, and learns of cancels made on them.
   */
  private waitForTurn(scanId: string, signal: AbortSignal): Promise<boolean> {
    if (this.runningScans < this.maxConcurrent) {
      this.runningScans++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const stop = () => {
        clearInterval(heartbeat);
        signal.removeEventListener("abort", cancelled);
      };
      const entry = {
        scanId,
        go: () => {
          stop();
          resolve(true);
        },
      };
      const cancelled = () => {
        const i = this.waiting.indexOf(entry);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        stop();
        resolve(false);
      };
      const heartbeat = setInterval(() => {
        touchScan(this.store, scanId)
          .then((r) => r.cancelRequested && cancelled())
          .catch(() => undefined);
      }, this.heartbeatMs);
      signal.addEventListener("abort", cancelled);
      this.waiting.push(entry);
    });
  }

  /** Hands the finished scan's slot to the next waiting one. */
  private endTurn(): void {
    const next = this.waiting.shift();
    if (next) next.go();
    else this.runningScans--;
  }

  private launch(scanId: string, input: ScanInput): void {
    const controller = new AbortController();
    const done = this.waitForTurn(scanId, controller.signal)
      .then(async (go): Promise<ScanOutcome> => {
        if (!go) {
          await endScan(this.store, scanId, "cancelled", null);
          return { status: "cancelled" };
        }
        try {
          return await runScan(this.ctx, scanId, input, controller);
        } finally {
          this.endTurn();
        }
      })
      .catch((error): ScanOutcome => {
        console.error(`speech-posture: scan ${scanId} could not be finished:`, error);
        return { status: "failed", error: error instanceof Error ? error.message : String(error) };
      })
      .then((outcome) => {
        this.alertAfter(scanId);
        return outcome;
      })
      .finally(async () => {
        this.running.delete(scanId);
        const scan = await getScan(this.store, scanId).catch(() => undefined);
        if (scan) this.emitter.emit(scanId, { type: "done", scanId, scan } satisfies JobEvent);
      });
    this.running.set(scanId, { controller, done });
  }

  /** Evaluates the alert rules on the ended scan, in the background: a slow receiver never holds a scan open. */
  private alertAfter(scanId: string): void {
    if (this.alertOptions === false) return;
    const run = alertsAfterScan(this.store, scanId, this.alertOptions)
      .then(() => undefined)
      .catch((error) => console.error(`speech-posture: alerts after scan ${scanId}:`, error instanceof Error ? error.message : error))
      .finally(() => this.alerting.delete(run));
    this.alerting.add(run);
  }

  /** Resolves when the alerts of every ended scan have been sent (or given up on). */
  async alertsSettled(): Promise<void> {
    while (this.alerting.size > 0) await Promise.all([...this.alerting]);
  }

  /** Cancels a queued or running scan, on this instance or (through the database) on another. */
  async cancel(scanId: string, actor?: string): Promise<Scan> {
    const scan = await getScan(this.store, scanId);
    if (!scan) throw new NotFoundError("Scan", scanId);
    if (scan.status !== "queued" && scan.status !== "running") throw new StateConflictError(`Scan ${scanId} already ${scan.status}`);
    const after = await requestCancel(this.store, scanId);
    this.running.get(scanId)?.controller.abort();
    if (scan.runner === "queue" && this.queue) {
      // Jobs not started are dropped; running ones see the request; the finish job ends the scan.
      await this.queue.cancelWaiting(scanId);
      await this.queue.sendFinish(scanId);
    }
    await recordAudit(this.store, { actor, action: "scan.cancelled", target: scanId });
    return after;
  }

  /** Local progress and completion of one scan; returns the unsubscribe function. */
  subscribe(scanId: string, listener: (event: JobEvent) => void): () => void {
    this.emitter.on(scanId, listener);
    return () => this.emitter.off(scanId, listener);
  }

  isLocal(scanId: string): boolean {
    return this.running.has(scanId);
  }

  /** Resolves when the scan (if it runs here) has ended. */
  async settled(scanId: string): Promise<ScanOutcome | undefined> {
    return this.running.get(scanId)?.done;
  }

  /** Resolves when every scan running here has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops background timers and cancels local scans (their rows are removed). */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    for (const r of this.running.values()) r.controller.abort();
    await this.idle();
    await this.alertsSettled();
    await this.queue?.stop();
  }
}
