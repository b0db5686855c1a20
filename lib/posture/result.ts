/**
 * The result format of CONTROLS.md (`speech-posture scan --format json`): scan metadata, summary,
 * per-subscription and per-resource scores, findings and collection errors, plus the exceptions
 * that were active or expired when the result was built.
 */
import { CATALOG_VERSION } from "./controls";
import type { Evaluation, ResourceSummary } from "./evaluate";
import { applyExceptions, type ExceptionRule } from "./exceptions";
import { idKey } from "./ids";
import { ScoreTally, tallyFindings, type Counts, type Coverage, type Tally } from "./score";
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
  const applied =
    input.exceptions === undefined
      ? undefined
      : applyExceptions(evaluation.findings, evaluation.resources, input.exceptions, input.now, subscriptionTenants(snapshot));
  const tally = new ResultTally(snapshot);
  const { resources, findings } = tally.add({ resources: evaluation.resources, findings: applied ? applied.findings : evaluation.findings });
  const { kind, version, scan: info, summary, subscriptions, errors } = tally.finish(scan);
  // The member order CONTROLS.md shows (the CLI writes the result as it is).
  return {
    kind,
    version,
    scan: info,
    summary,
    subscriptions,
    resources,
    findings,
    errors,
    ...(applied ? { exceptions: { active: applied.active, expired: applied.expired } } : {}),
  };
}

/** Each subscription's own tenant (lower-cased; else the snapshot's), for tenant-scoped exceptions. */
function subscriptionTenants(snapshot: Snapshot): (subscriptionId: string) => string | undefined {
  const tenants = new Map((snapshot.subscriptions ?? []).map((s) => [idKey(s.subscriptionId), (s.tenantId ?? snapshot.tenantId)?.toLowerCase()]));
  return (id) => (tenants.has(idKey(id)) ? tenants.get(idKey(id)) : snapshot.tenantId?.toLowerCase());
}

/** A piece of an evaluation as the result lists it: its resources with their scores, and its findings. */
export interface ScoredPiece {
  readonly resources: ResourceResult[];
  readonly findings: Finding[];
}

/** A result without its resources and findings: what is known only once every finding was counted. */
export type ResultTotals = Omit<ScanResult, "resources" | "findings" | "exceptions">;

/**
 * A result built from its evaluation piece by piece (`evaluateInPieces`): each piece's resources
 * get their scores at once (a resource's findings are all in its piece), the tenant and
 * subscriptions are counted on the way and summed up by `finish`. One piece holding the whole
 * evaluation is `buildResult`.
 */
export class ResultTally {
  private readonly tenant = new ScoreTally();
  private readonly bySubscription = new Map<string, ScoreTally>();
  private readonly resourcesPerSubscription = new Map<string, number>();
  /** Subscriptions only resources name, in the order they were first seen. */
  private readonly resourceSubscriptions: string[] = [];
  private resourceCount = 0;

  constructor(private readonly snapshot: Snapshot) {}

  /** The piece's resources with their scores and its findings, as the result lists them. */
  add(piece: Evaluation): ScoredPiece {
    const byResource = new Map<string, ScoreTally>();
    tallyFindings(piece.findings, this.tenant, this.bySubscription, byResource);
    for (const r of piece.resources) {
      const key = idKey(r.subscriptionId);
      const seen = this.resourcesPerSubscription.get(key);
      if (seen === undefined) this.resourceSubscriptions.push(r.subscriptionId);
      this.resourcesPerSubscription.set(key, (seen ?? 0) + 1);
    }
    this.resourceCount += piece.resources.length;
    return {
      resources: piece.resources.map((r) => ({ ...r, score: byResource.get(idKey(r.id))?.score ?? null })),
      findings: piece.findings,
    };
  }

  /** Everything else the result holds, once every piece was added (the scan's finish time may be known only then). */
  finish(scan: ScanInfo): ResultTotals {
    const { snapshot } = this;
    // Every listed subscription (even without resources), then any subscription only resources name.
    const subscriptions: SubscriptionResult[] = [];
    const listed = new Set<string>();
    const addSubscription = (subscriptionId: string, displayName: string | null) => {
      const key = idKey(subscriptionId);
      if (listed.has(key)) return;
      listed.add(key);
      const tally = this.bySubscription.get(key)?.result() ?? emptyTally();
      subscriptions.push({
        subscriptionId,
        displayName,
        score: tally.score,
        resources: this.resourcesPerSubscription.get(key) ?? 0,
        counts: tally.counts,
        coverage: tally.coverage,
      });
    };
    for (const s of snapshot.subscriptions) addSubscription(s.subscriptionId, s.displayName ?? null);
    for (const id of this.resourceSubscriptions) addSubscription(id, null);
    const tenant = this.tenant.result();
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
      summary: { score: tenant.score, resources: this.resourceCount, counts: tenant.counts, coverage: tenant.coverage },
      subscriptions,
      errors: snapshot.errors,
    };
  }
}

function emptyTally(): Tally {
  return {
    score: null,
    counts: { pass: 0, fail: 0, unknown: 0, not_applicable: 0, muted: 0 },
    coverage: { not_collected: 0, not_visible: 0, access_denied: 0, network_blocked: 0, collection_error: 0 },
  };
}
