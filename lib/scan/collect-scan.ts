/**
 * What a collecting scan collects: without scan targets, the source's one credential over what it
 * sees (as before); with targets, each target's tenant and scope in turn, merged into one estate
 * snapshot in which every subscription keeps its own tenant. A target that cannot be collected
 * (no credential, refused sign-in) becomes an `errors` entry naming it, and the others still
 * count; only when every target fails does the scan fail. Cancellation aborts at once.
 */
import { collectTarget } from "@/lib/azure/collect-target";
import type { CollectProgress, CollectResult, CollectStats } from "@/lib/azure/collect";
import { collect } from "@/lib/azure/collect";
import { classifyError, isAbortError } from "@/lib/azure/errors";
import type { CollectionSource } from "@/lib/azure/target";
import { idKey } from "@/lib/posture/ids";
import { mergeSnapshots } from "@/lib/posture/merge-snapshots";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { ScanTarget } from "@/lib/posture/targets";
import { latestSucceededScan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { listTargets } from "@/lib/store/targets";
import { subscriptionTenants } from "@/lib/store/tenants";
import type { OpenedTarget } from "./sources";

export interface CollectScanContext {
  store: Store;
  openTarget: (source: CollectionSource, scanTarget?: ScanTarget) => Promise<OpenedTarget>;
  concurrency?: number;
}

export interface CollectScanOptions {
  source: CollectionSource;
  subscriptions?: string[];
  signal: AbortSignal;
  onProgress?: (p: CollectProgress) => void;
}

/** One target's part of a scan: its tenant's subscriptions among those requested (all, when none were). */
export interface TargetPart {
  target: ScanTarget;
  subscriptions?: string[];
}

/**
 * Requested subscriptions go to the target of the tenant the latest scan recorded for them; one
 * whose tenant has no target (or was never scanned) is tried by every target.
 */
export async function partsFor(store: Store, targets: ScanTarget[], requested: string[] | undefined): Promise<TargetPart[]> {
  if (!requested?.length) return targets.map((target) => ({ target }));
  const latest = await latestSucceededScan(store);
  const known = latest ? await subscriptionTenants(store, latest.id) : new Map<string, string>();
  const byTenant = new Map(targets.map((t) => [t.tenantId, [] as string[]]));
  const everywhere: string[] = [];
  for (const s of requested) {
    const list = byTenant.get(known.get(idKey(s)) ?? "");
    (list ?? everywhere).push(s);
  }
  return targets
    .map((target) => ({ target, subscriptions: [...byTenant.get(target.tenantId)!, ...everywhere] }))
    .filter((p) => p.subscriptions.length > 0)
    .map((p) => ({ target: p.target, subscriptions: p.subscriptions.filter((s) => !p.target.exclude.includes(s.toLowerCase())) }))
    .filter((p) => p.subscriptions.length > 0);
}

export function failedTarget(target: ScanTarget, error: unknown): SnapshotError {
  const c = classifyError(error);
  return {
    scope: "/",
    source: "resourceGraph",
    reason: c.reason,
    code: c.code,
    message: `Target "${target.displayName}" (tenant ${target.tenantId}) could not be collected: ${c.message}`,
  };
}

export async function collectForScan(ctx: CollectScanContext, options: CollectScanOptions): Promise<CollectResult> {
  const { signal, onProgress, source } = options;
  const targets = await listTargets(ctx.store);
  if (targets.length === 0) {
    const opened = await ctx.openTarget(source);
    try {
      return await collect(opened.target, { subscriptions: options.subscriptions, signal, concurrency: ctx.concurrency, onProgress });
    } finally {
      await opened.close();
    }
  }
  const parts = await partsFor(ctx.store, targets, options.subscriptions);
  if (parts.length === 0) throw new Error("Every requested subscription is excluded by its scan target.");
  return collectTargets(parts, (target) => ctx.openTarget(source, target), { signal, concurrency: ctx.concurrency, onProgress });
}

/**
 * Collects each target (restricted to its `subscriptions` when given) in turn and merges the
 * snapshots; a target that fails becomes an `errors` entry naming it, unless every one fails.
 * The CLI calls this with the targets of a config file; a scan, with the store's.
 */
export async function collectTargets(
  parts: readonly { target: ScanTarget; subscriptions?: string[] }[],
  open: (target: ScanTarget) => Promise<OpenedTarget>,
  options: { signal?: AbortSignal; concurrency?: number; onProgress?: (p: CollectProgress) => void } = {},
): Promise<CollectResult> {
  const { signal } = options;
  const results: CollectResult[] = [];
  const failures: { target: ScanTarget; error: unknown }[] = [];
  for (const part of parts) {
    signal?.throwIfAborted();
    try {
      const opened = await open(part.target);
      try {
        const scope: ScanTarget = part.subscriptions ? { ...part.target, scope: { kind: "subscriptions", subscriptions: part.subscriptions } } : part.target;
        results.push(await collectTarget(scope, opened.target, options));
      } finally {
        await opened.close();
      }
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw error;
      failures.push({ target: part.target, error });
    }
  }
  if (results.length === 0) throw failures[0].error;
  const snapshot = mergeSnapshots(results.map((r) => r.snapshot));
  for (const f of failures) snapshot.errors.push(failedTarget(f.target, f.error));
  const stats: CollectStats = { argRequests: 0, argThrottled: 0, perResourceCalls: 0, failedCalls: failures.length };
  for (const r of results) {
    stats.argRequests += r.stats.argRequests;
    stats.argThrottled += r.stats.argThrottled;
    stats.perResourceCalls += r.stats.perResourceCalls;
    stats.failedCalls += r.stats.failedCalls;
  }
  return { snapshot, stats };
}
