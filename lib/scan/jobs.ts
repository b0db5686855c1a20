/**
 * Scans as server-side jobs: start (one per scope, enforced by the database), import an uploaded
 * snapshot, cancel (here or on whichever instance runs it), and a local event stream of progress.
 * The HTTP routes and the scheduler call these; nothing here knows about HTTP.
 */
import { EventEmitter } from "node:events";
import type { CollectionSource } from "@/lib/azure/target";
import type { Snapshot } from "@/lib/posture/snapshot";
import { recordAudit } from "@/lib/store/audit";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { recoverInterrupted } from "@/lib/store/scans/recovery";
import { createScan, getScan, requestCancel, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { runScan, type RunContext, type ScanInput, type ScanOutcome } from "./run-scan";
import type { Progress } from "./run-scan-progress";
import { defaultSource, openTarget as openSourceTarget, type OpenedTarget } from "./sources";

export interface JobsOptions {
  store: Store;
  /** How to reach a source (tests point this at their emulator). */
  openTarget?: (source: CollectionSource) => Promise<OpenedTarget>;
  /** The source when a request names none. */
  defaultSource?: () => CollectionSource;
  progressIntervalMs?: number;
  heartbeatMs?: number;
  /** How often to look for scans orphaned by other instances that died (default 15 s; 0: never). */
  sweepMs?: number;
  concurrency?: number;
}

export type JobEvent = { type: "progress"; scanId: string; progress: Progress } | { type: "done"; scanId: string; scan: Scan };

export interface StartScanInput {
  source?: CollectionSource;
  subscriptions?: string[];
  actor?: string;
}

const SUBSCRIPTION_ID = /^[A-Za-z0-9._-]{1,128}$/;

export class ScanJobs {
  readonly store: Store;
  private readonly emitter = new EventEmitter();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<ScanOutcome> }>();
  private readonly ctx: RunContext;
  private readonly sweep: NodeJS.Timeout | undefined;
  private readonly pickSource: () => CollectionSource;

  constructor(options: JobsOptions) {
    this.store = options.store;
    this.emitter.setMaxListeners(0);
    this.pickSource = options.defaultSource ?? (() => defaultSource());
    this.ctx = {
      store: options.store,
      openTarget: options.openTarget ?? ((source) => openSourceTarget(source)),
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
    subscriptions?.forEach((s, i) => {
      if (!SUBSCRIPTION_ID.test(s)) throw new InvalidInputError(`subscriptions[${i}]`, `not a subscription ID: ${JSON.stringify(s)}`);
    });
    const scan = await createScan(this.store, { source, subscriptions: subscriptions?.length ? subscriptions : null, startedBy: input.actor || "local" });
    await recordAudit(this.store, { actor: input.actor, action: "scan.started", target: scan.id, details: { source, subscriptions: subscriptions ?? null } });
    this.launch(scan.id, { kind: "collect", source, subscriptions });
    return scan;
  }

  /** Evaluates and stores an uploaded snapshot as a scan of source "snapshot". */
  async importSnapshot(snapshot: Snapshot, input: { actor?: string; bytes?: number; fileName?: string } = {}): Promise<Scan> {
    const scan = await createScan(this.store, { source: "snapshot", startedBy: input.actor || "local" });
    await recordAudit(this.store, {
      actor: input.actor,
      action: "snapshot.imported",
      target: scan.id,
      details: {
        bytes: input.bytes ?? null,
        fileName: input.fileName ?? null,
        resources: snapshot.resources.length,
        subscriptions: snapshot.subscriptions.length,
      },
    });
    this.launch(scan.id, { kind: "snapshot", snapshot });
    return scan;
  }

  private launch(scanId: string, input: ScanInput): void {
    const controller = new AbortController();
    const done = runScan(this.ctx, scanId, input, controller)
      .catch((error): ScanOutcome => {
        console.error(`speech-posture: scan ${scanId} could not be finished:`, error);
        return { status: "failed", error: error instanceof Error ? error.message : String(error) };
      })
      .finally(async () => {
        this.running.delete(scanId);
        const scan = await getScan(this.store, scanId).catch(() => undefined);
        if (scan) this.emitter.emit(scanId, { type: "done", scanId, scan } satisfies JobEvent);
      });
    this.running.set(scanId, { controller, done });
  }

  /** Cancels a queued or running scan, on this instance or (through the database) on another. */
  async cancel(scanId: string, actor?: string): Promise<Scan> {
    const scan = await getScan(this.store, scanId);
    if (!scan) throw new NotFoundError("Scan", scanId);
    if (scan.status !== "queued" && scan.status !== "running") throw new StateConflictError(`Scan ${scanId} already ${scan.status}`);
    const after = await requestCancel(this.store, scanId);
    this.running.get(scanId)?.controller.abort();
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
  }
}
