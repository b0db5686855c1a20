/**
 * Running one scan end to end: queued → running (progress, heartbeat, cancellation) → evaluate →
 * store → succeeded; or failed with the error's message, or cancelled. Whatever ends a scan
 * early also removes anything it wrote.
 */
import type { CollectionSource } from "@/lib/azure/target";
import type { ScanTarget } from "@/lib/posture/targets";
import type { Snapshot } from "@/lib/posture/snapshot";
import { afterScan } from "@/lib/store/scans/maintenance";
import { deletePartsIn } from "@/lib/store/scans/parts";
import { endScan, markRunning } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { evaluateAndStore } from "./run-scan-build";
import { ProgressWriter, type Progress } from "./run-scan-progress";
import { collectForScan } from "./collect-scan";
import type { OpenedTarget } from "./sources";

export interface RunContext {
  store: Store;
  /** The source's target, or one scan target's (its tenant and credential) when one is given. */
  openTarget: (source: CollectionSource, scanTarget?: ScanTarget) => Promise<OpenedTarget>;
  progressIntervalMs?: number;
  heartbeatMs?: number;
  /** Per-resource calls in flight during collection. */
  concurrency?: number;
  onProgress?: (scanId: string, p: Progress) => void;
}

/**
 * Where a scan's snapshot comes from: a collection, an uploaded file already parsed, or what queue
 * jobs collected already (the scan is running since `startedAt`).
 */
export type ScanInput =
  | { kind: "collect"; source: CollectionSource; subscriptions?: string[] }
  | { kind: "snapshot"; snapshot: Snapshot }
  | { kind: "collected"; source: CollectionSource; snapshot: Snapshot; stats: unknown; startedAt: string };

const yieldToEventLoop = () => new Promise((r) => setImmediate(r));

export type ScanOutcome = { status: "succeeded" } | { status: "failed"; error: string } | { status: "cancelled" };

export async function runScan(ctx: RunContext, scanId: string, input: ScanInput, controller: AbortController): Promise<ScanOutcome> {
  const { store } = ctx;
  const signal = controller.signal;
  const progress = new ProgressWriter(store, scanId, {
    intervalMs: ctx.progressIntervalMs,
    heartbeatMs: ctx.heartbeatMs,
    onLocal: (p) => ctx.onProgress?.(scanId, p),
    onCancelRequested: () => controller.abort(),
  });
  let outcome: ScanOutcome;
  try {
    const startedAt = input.kind === "collected" ? input.startedAt : await markRunning(store, scanId);
    let snapshot: Snapshot;
    let stats: unknown;
    if (input.kind === "collect") {
      progress.report({ phase: "connecting", done: 0, total: 0 });
      // Without scan targets: the source's own credential; with them, each target's tenant and scope.
      const result = await collectForScan(ctx, {
        source: input.source,
        subscriptions: input.subscriptions,
        signal,
        onProgress: (p) => progress.report({ phase: p.phase, done: p.done, total: p.total }),
      });
      snapshot = result.snapshot;
      stats = result.stats;
    } else {
      snapshot = input.snapshot;
      stats = input.kind === "collected" ? input.stats : undefined;
    }
    signal.throwIfAborted();
    progress.report({ phase: "evaluating", done: 0, total: 0 });
    await yieldToEventLoop();
    const source = input.kind === "snapshot" ? "snapshot" : input.source;
    // Evaluated and stored a piece at a time: a large scan never holds all its findings at once.
    await evaluateAndStore(
      store,
      snapshot,
      { id: scanId, source, startedAt, finishedAt: () => store.now().toISOString() },
      {
        stats,
        signal,
        onProgress: (done, total) => progress.report({ phase: "storing", done, total }),
        // What queue jobs collected goes in the same step as the scan appears, so no reader sees both.
        whenStored: input.kind === "collected" ? (trx) => deletePartsIn(trx, scanId) : undefined,
      },
    );
    outcome = { status: "succeeded" };
  } catch (error) {
    await progress.stop();
    if (signal.aborted || (error as { name?: string })?.name === "AbortError") {
      await endScan(store, scanId, "cancelled", null);
      outcome = { status: "cancelled" };
    } else {
      const message = error instanceof Error ? error.message : String(error);
      await endScan(store, scanId, "failed", message);
      outcome = { status: "failed", error: message };
    }
  } finally {
    await progress.stop();
  }
  try {
    await afterScan(store);
  } catch (error) {
    console.error("speech-posture: retention or analyze after a scan failed:", error instanceof Error ? error.message : error);
  }
  return outcome;
}
