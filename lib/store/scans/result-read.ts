/**
 * A stored scan read back as the CONTROLS.md result, with the exceptions active at `now` applied
 * (muted flags, muted counts, the active and expired rules), for reports and exports. Without
 * exceptions it is the exact result the scan stored the SHA-256 of.
 */
import { CATALOG } from "@/lib/posture/controls";
import { applyExceptions, type AppliedExceptions, type ExceptionRule, type ExceptionTarget } from "@/lib/posture/exceptions";
import { RESULT_KIND, RESULT_VERSION, type ScanResult, type SubscriptionResult } from "@/lib/posture/result";
import { summarizeScores, type Counts, type Coverage, type Tally } from "@/lib/posture/score";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { ControlId, Finding, Severity, Status } from "@/lib/posture/types";
import type { Agreement } from "@/lib/posture/azure-verdicts";
import type { UnknownReason } from "@/lib/posture/snapshot";
import { decodeEvidence, decodeForResource } from "./evidence-codec";
import { listExceptions, type StoredException } from "@/lib/store/exceptions";
import { requireSucceededScan } from "./state";
import type { Store } from "@/lib/store/store";
import type { Selectable } from "kysely";
import type { ResourcesTable, ScanSubscriptionsTable } from "@/lib/store/db/schema";
import type { Scan } from "./scans";
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
  let resourceQuery = store.db.selectFrom("resources").select(RESOURCE_COLUMNS).where("scan_id", "=", scanId);
  if (subscriptionKey !== undefined) {
    resourceQuery = resourceQuery.where("subscription_key", "=", subscriptionKey);
  }
  if (resourceKey !== undefined) {
    resourceQuery = resourceQuery.where("resource_key", "=", resourceKey);
  }
  const [head, resourceRows, findingRows] = await Promise.all([
    readResultHead(store, scan),
    resourceQuery.orderBy("ord").execute(),
    readFindingRows(store, scanId, (q) => {
      if (subscriptionKey !== undefined) q = q.where("resource_ord", "in", resourceOrds(store, scanId, "subscription_key", subscriptionKey));
      return resourceKey === undefined ? q : q.where("resource_ord", "in", resourceOrds(store, scanId, "resource_key", resourceKey));
    }),
  ]);
  let findings: Finding[] = findingsFromRows(findingRows, resourceRows);
  const resources = resourceRows.map(resourceFromRow);
  let applied: { active: ExceptionRule[]; expired: ExceptionRule[] } | undefined;
  if (options.exceptions !== false) {
    const muting = await exceptionMuting(store, head.subRows);
    const result = muting.apply(findings, resources);
    findings = result.findings;
    applied = { active: result.active, expired: result.expired };
  }
  // Scores never change with muting; the muted counts do, so tallies are recomputed.
  const scores = summarizeScores(findings);
  return {
    kind: RESULT_KIND,
    version: RESULT_VERSION,
    scan: head.scan,
    summary: { score: head.storedScore, resources: resources.length, counts: scores.tenant.counts, coverage: scores.tenant.coverage },
    subscriptions: head.subscriptions(scores.bySubscription),
    resources,
    findings,
    errors: head.errors,
    ...(applied ? { exceptions: applied } : {}),
  };
}

/** The columns a result's resources and findings are read back from. */
export const RESOURCE_COLUMNS = ["ord", "resource_id", "name", "kind", "location", "subscription_id", "resource_group", "tags", "score"] as const;
const FINDING_COLUMNS = [
  "resource_ord",
  "control_id",
  "resource_id",
  "subscription_id",
  "severity",
  "status",
  "reason",
  "message",
  "evidence",
  "azure",
  "agreement",
] as const;

type ResourceRow = Pick<Selectable<ResourcesTable>, (typeof RESOURCE_COLUMNS)[number]>;
/** A finding row as `store.eachRow` gives it: FINDING_COLUMNS' values in that order (IDs null: its resource row's). */
export type FindingValues = [
  resourceOrd: number,
  controlId: string,
  resourceId: string | null,
  subscriptionId: string | null,
  severity: string,
  status: string,
  reason: string | null,
  message: string,
  evidence: string,
  azure: string | null,
  agreement: string,
];

/** A scan's findings, selected as `readFindingRows` reads them (the select is fixed, so its columns match FindingValues). */
const findingsQuery = (store: Store, scanId: string) => store.db.selectFrom("findings").select(FINDING_COLUMNS).where("scan_id", "=", scanId);
type FindingsQuery = ReturnType<typeof findingsQuery>;

/** The ords of a scan's resources with this key or subscription key: a finding's own are its resource's. */
export const resourceOrds = (store: Store, scanId: string, column: "resource_key" | "subscription_key", key: string) =>
  store.db.selectFrom("resources").select("ord").where("scan_id", "=", scanId).where(column, "=", key);

/** Evaluation order: resources in order, controls in catalogue order (IDs do not keep it: batches are written in parallel). */
const CONTROL_ORDER = new Map(CATALOG.map((c, i) => [c.id as string, i]));
const byEvaluationOrder = (a: FindingValues, b: FindingValues) =>
  Number(a[0]) - Number(b[0]) || (CONTROL_ORDER.get(a[1]) ?? 99) - (CONTROL_ORDER.get(b[1]) ?? 99);

/**
 * A scan's finding rows (those `narrow` keeps), in evaluation order. Rows come as value arrays (no
 * object per row on the way): a large scan's export reads 1.8M of them.
 */
export async function readFindingRows(store: Store, scanId: string, narrow: (query: FindingsQuery) => FindingsQuery = (q) => q): Promise<FindingValues[]> {
  const rows: FindingValues[] = [];
  await store.eachRow(narrow(findingsQuery(store, scanId)).compile(), (values) => rows.push(values as FindingValues));
  return rows.sort(byEvaluationOrder);
}

/** Findings from their rows and their resources' rows (which give the IDs a finding row leaves null). */
export function findingsFromRows(
  rows: readonly FindingValues[],
  resources: readonly Pick<ResourceRow, "ord" | "resource_id" | "subscription_id">[],
): Finding[] {
  const byOrd = new Map(resources.map((r) => [Number(r.ord), r]));
  return rows.map((values) => {
    const resource = byOrd.get(Number(values[0]));
    if (resource === undefined) throw new Error(`A finding of ${values[1]} points at resource #${values[0]}, which its scan does not hold.`);
    return findingFromValues(values, resource.resource_id, resource.subscription_id);
  });
}

function findingFromValues(
  [, controlId, ownResourceId, ownSubscriptionId, severity, status, reason, message, evidence, azure, agreement]: FindingValues,
  resourceIdOfRow: string,
  subscriptionIdOfRow: string,
): Finding {
  const resourceId = ownResourceId ?? resourceIdOfRow;
  return {
    controlId: controlId as ControlId,
    resourceId,
    subscriptionId: ownSubscriptionId ?? subscriptionIdOfRow,
    severity: severity as Severity,
    status: status as Status,
    reason: reason as UnknownReason | null,
    muted: false,
    message,
    evidence: decodeEvidence(evidence, resourceId) as Finding["evidence"],
    azure: azure === null ? null : (decodeForResource(azure, resourceId) as Finding["azure"]),
    agreement: agreement as Agreement,
  };
}

export function resourceFromRow(r: ResourceRow): ScanResult["resources"][number] {
  return {
    id: r.resource_id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    subscriptionId: r.subscription_id,
    resourceGroup: r.resource_group,
    tags: JSON.parse(r.tags) as Record<string, string>,
    score: r.score === null ? null : Number(r.score),
  };
}

type SubscriptionRow = Selectable<ScanSubscriptionsTable>;

/** What a result holds besides its resources and findings, read once. */
export interface ResultHead {
  scan: ScanResult["scan"];
  /** The tenant score the scan stored (muting never changes a score). */
  storedScore: number | null;
  errors: SnapshotError[];
  subRows: SubscriptionRow[];
  /** The subscriptions in the order the result listed them, counted by `bySubscription` (by subscription key) where it has them. */
  subscriptions(bySubscription: ReadonlyMap<string, Tally>): SubscriptionResult[];
}

export async function readResultHead(store: Store, scan: Scan): Promise<ResultHead> {
  const [row, subRows] = await Promise.all([
    store.db.selectFrom("scans").select(["errors", "started_at", "subscription_scores"]).where("id", "=", scan.id).executeTakeFirstOrThrow(),
    store.db.selectFrom("scan_subscriptions").selectAll().where("scan_id", "=", scan.id).execute(),
  ]);
  // The order the result listed them in (kept in the scan row).
  const listed = (JSON.parse(row.subscription_scores ?? "[]") as [string][]).map(([id]) => idKey(id));
  const position = new Map(listed.map((k, i) => [k, i]));
  subRows.sort(
    (a, b) => (position.get(a.subscription_key) ?? 1e9) - (position.get(b.subscription_key) ?? 1e9) || a.subscription_key.localeCompare(b.subscription_key),
  );
  return {
    scan: {
      id: scan.id,
      startedAt: row.started_at ?? scan.createdAt,
      finishedAt: scan.finishedAt!,
      source: scan.source,
      tenantId: scan.tenantId,
      // The version it was judged with, not this build's: a version-1 scan reads back as version 1.
      catalogVersion: scan.catalogVersion ?? 1,
    },
    storedScore: scan.summary?.score ?? null,
    errors: JSON.parse(row.errors ?? "[]") as SnapshotError[],
    subRows,
    subscriptions: (bySubscription) =>
      subRows.map((s) => {
        const tally = bySubscription.get(s.subscription_key);
        const counts: Counts = tally?.counts ?? { ...(JSON.parse(s.counts) as Omit<Counts, "muted">), muted: 0 };
        return {
          subscriptionId: s.subscription_id,
          displayName: s.display_name,
          score: s.score === null ? null : Number(s.score),
          resources: Number(s.resources),
          counts,
          coverage: tally?.coverage ?? (s.coverage ? (JSON.parse(s.coverage) as Coverage) : { ...EMPTY_COVERAGE }),
        };
      }),
  };
}

/**
 * The stored exceptions, read once, as a muting that applies to findings a resource group at a
 * time: the same rules and the same `now` for every batch, so batches mute exactly as the whole.
 */
export interface ExceptionMuting {
  apply(findings: readonly Finding[], resources: readonly ExceptionTarget[]): AppliedExceptions;
}

export async function exceptionMuting(store: Store, subRows: readonly SubscriptionRow[]): Promise<ExceptionMuting> {
  const list = await listExceptions(store);
  const rules = [...list.active, ...list.expired].map(rule);
  const now = store.now();
  // Each subscription's own tenant, for tenant-scoped exceptions.
  const tenants = new Map(subRows.map((s) => [s.subscription_key, s.tenant_id ?? undefined]));
  return { apply: (findings, resources) => applyExceptions(findings, resources, rules, now, (id) => tenants.get(idKey(id))) };
}
