/**
 * The result format of CONTROLS.md (`speech-posture scan --format json`): scan metadata, summary,
 * per-subscription and per-resource scores, findings and collection errors, plus the exceptions
 * that were active or expired when the result was built.
 */
import { CATALOG_VERSION } from "./controls";
import type { Evaluation, ResourceSummary } from "./evaluate";
import { applyExceptions, type ExceptionRule } from "./exceptions";
import { idKey } from "./ids";
import { summarizeScores, type Counts, type Coverage, type Tally } from "./score";
import type { Snapshot, SnapshotError } from "./snapshot";
import type { Finding } from "./types";

export const RESULT_KIND = "speech-posture.result";
export const RESULT_VERSION = 1;

export type ScanSource = "live" | "emulator" | "snapshot";

export interface ScanInfo {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly source: ScanSource;
  readonly tenantId?: string | null;
}

export interface SubscriptionResult {
  readonly subscriptionId: string;
  readonly displayName: string | null;
  readonly score: number | null;
  readonly resources: number;
  readonly counts: Counts;
  readonly coverage: Coverage;
}

export interface ResourceResult extends ResourceSummary {
  readonly score: number | null;
}

export interface ScanResult {
  readonly kind: typeof RESULT_KIND;
  readonly version: typeof RESULT_VERSION;
  readonly scan: ScanInfo & { readonly tenantId: string | null; readonly catalogVersion: number };
  readonly summary: { readonly score: number | null; readonly resources: number; readonly counts: Counts; readonly coverage: Coverage };
  readonly subscriptions: SubscriptionResult[];
  readonly resources: ResourceResult[];
  readonly findings: Finding[];
  readonly errors: SnapshotError[];
  /** Present when exception rules were given. */
  readonly exceptions?: { readonly active: ExceptionRule[]; readonly expired: ExceptionRule[] };
}

export interface BuildResultInput {
  readonly snapshot: Snapshot;
  readonly evaluation: Evaluation;
  readonly scan: ScanInfo;
  readonly exceptions?: readonly ExceptionRule[];
  /** Decides which exceptions have expired; passed in so the result is reproducible. */
  readonly now: Date;
}

export function buildResult(input: BuildResultInput): ScanResult {
  const { snapshot, evaluation, scan } = input;
  // Each subscription's own tenant (else the snapshot's), for tenant-scoped exceptions.
  const tenants = new Map((snapshot.subscriptions ?? []).map((s) => [idKey(s.subscriptionId), (s.tenantId ?? snapshot.tenantId)?.toLowerCase()]));
  const tenantOf = (id: string) => (tenants.has(idKey(id)) ? tenants.get(idKey(id)) : snapshot.tenantId?.toLowerCase());
  const applied =
    input.exceptions === undefined ? undefined : applyExceptions(evaluation.findings, evaluation.resources, input.exceptions, input.now, tenantOf);
  const findings = applied ? applied.findings : evaluation.findings;
  const scores = summarizeScores(findings);

  const resources: ResourceResult[] = evaluation.resources.map((r) => ({ ...r, score: scores.byResource.get(idKey(r.id))?.score ?? null }));

  const resourcesPerSubscription = new Map<string, number>();
  for (const r of evaluation.resources) {
    const key = idKey(r.subscriptionId);
    resourcesPerSubscription.set(key, (resourcesPerSubscription.get(key) ?? 0) + 1);
  }
  // Every listed subscription (even without resources), then any subscription only findings name.
  const subscriptions: SubscriptionResult[] = [];
  const listed = new Set<string>();
  const addSubscription = (subscriptionId: string, displayName: string | null) => {
    const key = idKey(subscriptionId);
    if (listed.has(key)) return;
    listed.add(key);
    const tally = scores.bySubscription.get(key) ?? emptyTally();
    subscriptions.push({
      subscriptionId,
      displayName,
      score: tally.score,
      resources: resourcesPerSubscription.get(key) ?? 0,
      counts: tally.counts,
      coverage: tally.coverage,
    });
  };
  for (const s of snapshot.subscriptions) addSubscription(s.subscriptionId, s.displayName ?? null);
  for (const r of evaluation.resources) addSubscription(r.subscriptionId, null);

  return {
    kind: RESULT_KIND,
    version: RESULT_VERSION,
    scan: {
      id: scan.id,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      source: scan.source,
      tenantId: scan.tenantId ?? snapshot.tenantId ?? null,
      catalogVersion: CATALOG_VERSION,
    },
    summary: {
      score: scores.tenant.score,
      resources: evaluation.resources.length,
      counts: scores.tenant.counts,
      coverage: scores.tenant.coverage,
    },
    subscriptions,
    resources,
    findings,
    errors: snapshot.errors,
    ...(applied ? { exceptions: { active: applied.active, expired: applied.expired } } : {}),
  };
}

function emptyTally(): Tally {
  return {
    score: null,
    counts: { pass: 0, fail: 0, unknown: 0, not_applicable: 0, muted: 0 },
    coverage: { not_collected: 0, not_visible: 0, access_denied: 0, network_blocked: 0, collection_error: 0 },
  };
}
