/**
 * What the queue's jobs do (on a worker, or in a dashboard that works the queue too):
 * - a part collects one tenant (or one batch of its subscriptions) and records the snapshot in one
 *   statement, then asks for the scan's finish; a large tenant's first job splits it into batches;
 * - the finish merges the parts once none is pending, then evaluates and stores the scan exactly as
 *   an in-process scan does (`runScan`); a finish that died mid-store starts the store over.
 * Transient failures are thrown, so pg-boss retries them with back-off; a target that refuses the
 * credential is recorded as that part's failure (an `errors` entry), as in-process scans do.
 */
import { collect, listScopeSubscriptions, type CollectStats } from "@/lib/azure/collect";
import { collectTarget, scopeOptions } from "@/lib/azure/collect-target";
import { classifyError, isAbortError } from "@/lib/azure/errors";
import { ConfigurationError, type CollectionSource } from "@/lib/azure/target";
import { mergeSnapshots } from "@/lib/posture/merge-snapshots";
import type { Snapshot, SnapshotError } from "@/lib/posture/snapshot";
import type { ScanTarget } from "@/lib/posture/targets";
import { sharedQuotaGate } from "./shared-quota";
import { addParts, collectedParts, countParts, deleteParts, finishPart, getPart, listParts, splitPart, startPart, type NewPart } from "@/lib/store/scans/parts";
import { deleteScanChildren } from "@/lib/store/scans/rows";
import { endScan, getScan, markRunning, touchScan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { getTarget, listTargets } from "@/lib/store/targets";
import { alertsAfterScan, type AlertOptions } from "./alerts";
import { failedTarget, partsFor } from "./collect-scan";
import type { FinishJob, PartJob, ScanQueue } from "./queue";
import { runScan, type RunContext } from "./run-scan";
import type { OpenedTarget } from "./sources";

export interface QueueJobContext {
  store: Store;
  queue: ScanQueue;
  openTarget: (source: CollectionSource, scanTarget?: ScanTarget) => Promise<OpenedTarget>;
  concurrency?: number;
  heartbeatMs?: number;
  progressIntervalMs?: number;
  alerts: AlertOptions | false;
}

const DEFAULT_PART = "default";
const partName = (tenantId: string) => `tenant:${tenantId}`;

function batches(part: NewPart, subscriptions: string[], size: number): NewPart[] {
  const out: NewPart[] = [];
  for (let i = 0; i * size < subscriptions.length; i++) {
    out.push({ ...part, part: `${part.part}#${String(i).padStart(4, "0")}`, subscriptions: subscriptions.slice(i * size, (i + 1) * size) });
  }
  return out;
}

/**
 * The parts a queued scan starts with: one per scan target (the requested subscriptions of its
 * tenant), or one for the source's own credential; a known list longer than a batch is split now.
 */
export async function planParts(store: Store, requested: string[] | undefined, batchSize: number): Promise<NewPart[]> {
  const targets = await listTargets(store);
  const whole: NewPart[] =
    targets.length === 0
      ? [{ part: DEFAULT_PART, targetTenant: null, subscriptions: requested?.length ? requested : null }]
      : (await partsFor(store, targets, requested)).map((p) => ({
          part: partName(p.target.tenantId),
          targetTenant: p.target.tenantId,
          subscriptions: p.subscriptions ?? null,
        }));
  return whole.flatMap((p) => (p.subscriptions && p.subscriptions.length > batchSize ? batches(p, p.subscriptions, batchSize) : [p]));
}

/** Writes the scan's heartbeat with how many parts are done, and says whether it was cancelled. */
async function partsProgress(store: Store, scanId: string): Promise<boolean> {
  const { ended, total } = await countParts(store, scanId);
  return (await touchScan(store, scanId, { phase: "tenants", done: ended, total })).cancelRequested;
}

/** Whether a failure may pass if tried again (a refused credential or a missing secret will not). */
function isPermanent(error: unknown): boolean {
  if (error instanceof ConfigurationError) return true;
  const name = (error as { name?: string })?.name ?? "";
  if (/CredentialUnavailableError|AuthenticationError/.test(name)) return true;
  const status = classifyError(error).status;
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

interface PartFailure {
  message: string;
  entry: SnapshotError | null;
}

export async function runPartJob(ctx: QueueJobContext, job: PartJob, attempt: { retryCount: number; retryLimit: number }): Promise<void> {
  const { store } = ctx;
  const scan = await getScan(store, job.scanId);
  if (!scan || (scan.status !== "queued" && scan.status !== "running") || scan.cancelRequested) return ctx.queue.sendFinish(job.scanId);
  // Running from the first part a worker takes (before that part counts as started).
  if (scan.status === "queued") await markRunning(store, scan.id);
  if (!(await startPart(store, job.scanId, job.part))) return; // an earlier attempt recorded it
  const part = (await getPart(store, job.scanId, job.part))!;
  const controller = new AbortController();
  const heartbeat = setInterval(() => {
    partsProgress(store, job.scanId)
      .then((cancelled) => cancelled && controller.abort())
      .catch(() => undefined);
  }, ctx.heartbeatMs ?? 2000);
  const source = scan.source === "snapshot" ? "emulator" : scan.source;
  let target: ScanTarget | undefined;
  try {
    await partsProgress(store, job.scanId);
    target = part.targetTenant ? await getTarget(store, part.targetTenant) : undefined;
    if (part.targetTenant && !target) throw new ConfigurationError(`The scan target for tenant ${part.targetTenant} was removed before its part ran.`);
    const opened = await ctx.openTarget(source, target);
    try {
      opened.target.quotaGate = sharedQuotaGate(store, principalOf(source, target), ctx.queue.settings.resourceGraphQuota);
      const signal = controller.signal;
      if (!part.subscriptions && !part.part.includes("#")) {
        // A whole tenant: list it first, and hand a large one to several jobs in batches.
        const listed = await listScopeSubscriptions(opened.target, { ...(target ? scopeOptions(target) : {}), signal });
        if (listed && listed.length > ctx.queue.settings.batchSubscriptions) {
          const parts = batches(part, listed, ctx.queue.settings.batchSubscriptions);
          if (await splitPart(store, job.scanId, job.part, parts))
            await ctx.queue.sendParts(
              job.scanId,
              parts.map((p) => p.part),
            );
          return;
        }
      }
      const subscriptions = part.subscriptions ?? undefined;
      const result = target
        ? await collectTarget(subscriptions ? { ...target, scope: { kind: "subscriptions", subscriptions } } : target, opened.target, {
            signal,
            concurrency: ctx.concurrency,
          })
        : await collect(opened.target, { subscriptions, signal, concurrency: ctx.concurrency });
      await finishPart(store, job.scanId, job.part, { status: "done", snapshot: result.snapshot, stats: result.stats });
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (controller.signal.aborted || isAbortError(error)) {
      // Cancelled: the finish job ends the scan.
    } else if (!isPermanent(error) && attempt.retryCount < attempt.retryLimit) {
      throw error; // pg-boss tries again after a back-off; the part is still pending
    } else {
      const failure: PartFailure = {
        message: error instanceof Error ? error.message : String(error),
        entry: target ? failedTarget(target, error) : null,
      };
      await finishPart(store, job.scanId, job.part, { status: "failed", error: JSON.stringify(failure) });
    }
  } finally {
    clearInterval(heartbeat);
  }
  await partsProgress(store, job.scanId).catch(() => undefined);
  await ctx.queue.sendFinish(job.scanId);
}

/** The principal a part signs in as: what Resource Graph counts its quota against. */
export function principalOf(source: CollectionSource, target: ScanTarget | undefined): string {
  if (target) return `${source}:${target.tenantId}:${target.credential.kind}:${target.credential.clientId ?? ""}`;
  return `${source}:default:${process.env.AZURE_TENANT_ID ?? ""}:${process.env.AZURE_CLIENT_ID ?? ""}`;
}

/** A job out of retries: its part fails (the scan goes on with the others), or its scan fails. */
export async function runDeadJob(ctx: QueueJobContext, job: PartJob | FinishJob): Promise<void> {
  if ("part" in job) {
    const failure: PartFailure = { message: `The job collecting part ${job.part} failed or was interrupted on every try.`, entry: null };
    const part = await getPart(ctx.store, job.scanId, job.part);
    if (part?.targetTenant) {
      const target = await getTarget(ctx.store, part.targetTenant);
      if (target) failure.entry = failedTarget(target, new Error(failure.message));
    }
    await finishPart(ctx.store, job.scanId, job.part, { status: "failed", error: JSON.stringify(failure) });
    await ctx.queue.sendFinish(job.scanId);
    return;
  }
  await endScan(ctx.store, job.scanId, "failed", "The scan's results could not be stored: the job failed or was interrupted on every try.");
  await deleteParts(ctx.store, job.scanId);
}

/** Each part's collection figures and tries, and their sum (a failed part counts as one failed call, as in-process). */
export interface QueuedScanStats extends CollectStats {
  parts: (CollectStats & { part: string; attempts: number })[];
}

function sumStats(done: { part: string; attempts: number; stats: CollectStats }[], failed: { part: string; attempts: number }[]): QueuedScanStats {
  const total: QueuedScanStats = { argRequests: 0, argThrottled: 0, perResourceCalls: 0, failedCalls: failed.length, parts: [] };
  for (const { part, attempts, stats: s } of done) {
    total.argRequests += s.argRequests;
    total.argThrottled += s.argThrottled;
    total.perResourceCalls += s.perResourceCalls;
    total.failedCalls += s.failedCalls;
    total.parts.push({ part, attempts, ...s });
  }
  for (const { part, attempts } of failed) total.parts.push({ part, attempts, argRequests: 0, argThrottled: 0, perResourceCalls: 0, failedCalls: 1 });
  return total;
}

export async function runFinishJob(ctx: QueueJobContext, job: FinishJob): Promise<void> {
  const { store } = ctx;
  const scan = await getScan(store, job.scanId);
  if (!scan) return;
  if (scan.status !== "queued" && scan.status !== "running") return deleteParts(store, job.scanId);
  if (scan.cancelRequested) {
    await ctx.queue.cancelWaiting(job.scanId);
    await endScan(store, job.scanId, "cancelled", null);
    await deleteParts(store, job.scanId);
    return;
  }
  const parts = await listParts(store, job.scanId);
  if (parts.some((p) => p.status === "pending")) return; // the last part to end sends the finish again
  // A finish that died while storing left rows under the still-running scan: store it over.
  await deleteScanChildren(store.db, job.scanId);
  const { done, failed } = await collectedParts(store, job.scanId);
  const failures = failed.map((p) => JSON.parse(p.error ?? "{}") as PartFailure);
  if (done.length === 0) {
    await endScan(store, job.scanId, "failed", failures[0]?.message ?? "Nothing was collected.");
  } else {
    const single = done.length === 1 && done[0].part === DEFAULT_PART;
    const snapshot: Snapshot = single ? done[0].snapshot : mergeSnapshots(done.map((d) => d.snapshot));
    for (const f of failures) if (f.entry) snapshot.errors.push(f.entry);
    const stats = sumStats(done, failed);
    const runCtx: RunContext = { store, openTarget: ctx.openTarget, heartbeatMs: ctx.heartbeatMs, progressIntervalMs: ctx.progressIntervalMs };
    const source = scan.source === "snapshot" ? "emulator" : scan.source;
    await runScan(runCtx, job.scanId, { kind: "collected", source, snapshot, stats, startedAt: scan.startedAt ?? scan.createdAt }, new AbortController());
  }
  await deleteParts(store, job.scanId);
  if (ctx.alerts !== false) {
    await alertsAfterScan(store, job.scanId, ctx.alerts).catch((error) =>
      console.error(`speech-posture: alerts after scan ${job.scanId}:`, error instanceof Error ? error.message : error),
    );
  }
}

/** A queued collection: its scan row exists; its parts are recorded and sent to the workers. */
export async function enqueueScan(store: Store, queue: ScanQueue, scanId: string, parts: NewPart[]): Promise<void> {
  await addParts(store, scanId, parts);
  await queue.sendParts(
    scanId,
    parts.map((p) => p.part),
  );
}
