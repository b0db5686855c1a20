/**
 * A stored scan read back as the CONTROLS.md result, with the exceptions active at `now` applied
 * (muted flags, muted counts, the active and expired rules), for reports and exports. Without
 * exceptions it is the exact result the scan stored the SHA-256 of.
 */
import { CATALOG } from "@/lib/posture/controls";
import { applyExceptions, type ExceptionRule } from "@/lib/posture/exceptions";
import { RESULT_KIND, RESULT_VERSION, type ScanResult, type SubscriptionResult } from "@/lib/posture/result";
import { summarizeScores, type Counts, type Coverage } from "@/lib/posture/score";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { ControlId, Finding, Severity, Status } from "@/lib/posture/types";
import type { Agreement } from "@/lib/posture/azure-verdicts";
import type { UnknownReason } from "@/lib/posture/snapshot";
import { decodeEvidence, decodeForResource } from "./evidence-codec";
import { listExceptions, type StoredException } from "@/lib/store/exceptions";
import { requireSucceededScan } from "./state";
import type { Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";

const EMPTY_COVERAGE: Coverage = { not_collected: 0, not_visible: 0, access_denied: 0, network_blocked: 0, collection_error: 0 };

function rule(e: StoredException): ExceptionRule {
  return {
    id: e.id,
    ...(e.controlId ? { controlId: e.controlId as ControlId } : {}),
    ...(e.subscriptionId ? { subscriptionId: e.subscriptionId } : {}),
    ...(e.resourceId ? { resourceId: e.resourceId } : {}),
    ...(e.tenantId ? { tenantId: e.tenantId } : {}),
    ...(e.tag ? { tag: e.tag } : {}),
    owner: e.owner,
    reason: e.reason,
    expiresAt: e.expiresAt,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}

export interface ReadResultOptions {
  /** Apply the stored exceptions (default true). */
  exceptions?: boolean;
  /**
   * Read only the findings and resources of one subscription or resource (the rest of the result
   * is whole, and the summary covers what was read). For a report that narrows the result to that
   * scope anyway: it skips reading and decoding the rest of a large scan.
   */
  only?: { subscriptionId?: string; resourceId?: string };
}

export async function readScanResult(store: Store, scanId: string, options: ReadResultOptions = {}): Promise<ScanResult> {
  const scan = await requireSucceededScan(store, scanId);
  const subscriptionKey = options.only?.subscriptionId === undefined ? undefined : idKey(options.only.subscriptionId);
  const resourceKey = options.only?.resourceId === undefined ? undefined : idKey(options.only.resourceId);
  let resourceQuery = store.db
    .selectFrom("resources")
    .select(["ord", "resource_id", "name", "kind", "location", "subscription_id", "resource_group", "tags", "score"])
    .where("scan_id", "=", scanId);
  let findingQuery = store.db
    .selectFrom("findings")
    .select(["resource_ord", "control_id", "resource_id", "subscription_id", "severity", "status", "reason", "message", "evidence", "azure", "agreement"])
    .where("scan_id", "=", scanId);
  if (subscriptionKey !== undefined) {
    resourceQuery = resourceQuery.where("subscription_key", "=", subscriptionKey);
    findingQuery = findingQuery.where("subscription_key", "=", subscriptionKey);
  }
  if (resourceKey !== undefined) {
    resourceQuery = resourceQuery.where("resource_key", "=", resourceKey);
    findingQuery = findingQuery.where("resource_key", "=", resourceKey);
  }
  const [row, subRows, resourceRows, findingRows] = await Promise.all([
    store.db.selectFrom("scans").select(["errors", "started_at", "subscription_scores"]).where("id", "=", scanId).executeTakeFirstOrThrow(),
    store.db.selectFrom("scan_subscriptions").selectAll().where("scan_id", "=", scanId).execute(),
    resourceQuery.orderBy("ord").execute(),
    findingQuery.execute(),
  ]);
  // Evaluation order: resources in order, controls in catalogue order (IDs do not keep it: batches are written in parallel).
  const controlOrder = new Map(CATALOG.map((c, i) => [c.id as string, i]));
  findingRows.sort(
    (a, b) => Number(a.resource_ord) - Number(b.resource_ord) || (controlOrder.get(a.control_id) ?? 99) - (controlOrder.get(b.control_id) ?? 99),
  );
  let findings: Finding[] = findingRows.map((f) => ({
    controlId: f.control_id as ControlId,
    resourceId: f.resource_id,
    subscriptionId: f.subscription_id,
    severity: f.severity as Severity,
    status: f.status as Status,
    reason: f.reason as UnknownReason | null,
    muted: false,
    message: f.message,
    evidence: decodeEvidence(f.evidence, f.resource_id) as Finding["evidence"],
    azure: f.azure === null ? null : (decodeForResource(f.azure, f.resource_id) as Finding["azure"]),
    agreement: f.agreement as Agreement,
  }));
  const resources = resourceRows.map((r) => ({
    id: r.resource_id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    subscriptionId: r.subscription_id,
    resourceGroup: r.resource_group,
    tags: JSON.parse(r.tags) as Record<string, string>,
    score: r.score === null ? null : Number(r.score),
  }));
  let applied: { active: ExceptionRule[]; expired: ExceptionRule[] } | undefined;
  if (options.exceptions !== false) {
    const list = await listExceptions(store);
    // Each subscription's own tenant, for tenant-scoped exceptions.
    const tenants = new Map(subRows.map((s) => [s.subscription_key, s.tenant_id ?? undefined]));
    const result = applyExceptions(findings, resources, [...list.active, ...list.expired].map(rule), store.now(), (id) => tenants.get(idKey(id)));
    findings = result.findings;
    applied = { active: result.active, expired: result.expired };
  }
  // Scores never change with muting; the muted counts do, so tallies are recomputed.
  const scores = summarizeScores(findings);
  // The order the result listed them in (kept in the scan row).
  const listed = (JSON.parse(row.subscription_scores ?? "[]") as [string][]).map(([id]) => idKey(id));
  const position = new Map(listed.map((k, i) => [k, i]));
  const subscriptions: SubscriptionResult[] = subRows
    .sort(
      (a, b) => (position.get(a.subscription_key) ?? 1e9) - (position.get(b.subscription_key) ?? 1e9) || a.subscription_key.localeCompare(b.subscription_key),
    )
    .map((s) => {
      const tally = scores.bySubscription.get(s.subscription_key);
      const counts: Counts = tally?.counts ?? { ...(JSON.parse(s.counts) as Omit<Counts, "muted">), muted: 0 };
      return {
        subscriptionId: s.subscription_id,
        displayName: s.display_name,
        score: s.score === null ? null : Number(s.score),
        resources: Number(s.resources),
        counts,
        coverage: tally?.coverage ?? (s.coverage ? (JSON.parse(s.coverage) as Coverage) : { ...EMPTY_COVERAGE }),
      };
    });
  return {
    kind: RESULT_KIND,
    version: RESULT_VERSION,
    scan: {
      id: scan.id,
      startedAt: row.started_at ?? scan.createdAt,
      finishedAt: scan.finishedAt!,
      source: scan.source,
      tenantId: scan.tenantId,
      // The version it was judged with, not this build's: a version-1 scan reads back as version 1.
      catalogVersion: scan.catalogVersion ?? 1,
    },
    summary: { score: scan.summary?.score ?? null, resources: resources.length, counts: scores.tenant.counts, coverage: scores.tenant.coverage },
    subscriptions,
    resources,
    findings,
    errors: JSON.parse(row.errors ?? "[]") as SnapshotError[],
    ...(applied ? { exceptions: applied } : {}),
  };
}
