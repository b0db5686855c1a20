/**
 * Everything the overview shows, from the store: the latest succeeded scan (score, coverage,
 * source), a running scan to attach to, the score trend, one page of subscriptions with failures
 * by severity, the subscription × control heat map for that page, what changed since the
 * previous scan, and the latest scan's collection errors.
 */
import { CATALOG } from "@/lib/posture/controls";
import type { ScanDiff } from "@/lib/store/history/diff";
import { scoreTrend, type TrendPoint } from "@/lib/store/history/trend";
import { scanView } from "@/lib/store/scans/view";
import { getScan, latestSucceededScan, listScans, scanErrors, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { scanAggregate, type StatusCounts } from "@/lib/store/findings/aggregate";
import { azureSummary, type AzureSummary } from "@/lib/store/findings/azure-summary";
import { summarizeErrors, type ErrorSummary } from "./scan-errors";
import { activeScan, previousSucceededScan, recentChanges, scanSubscriptions, type SubscriptionRow } from "@/lib/store/reads";
import { scanTenants, UNKNOWN_TENANT, type TenantSummary } from "@/lib/store/tenants";

export interface OverviewSubscription extends SubscriptionRow {
  failBySeverity: [number, number, number];
  /** Per control in catalogue order. */
  byControl: StatusCounts[];
}

export interface OverviewData {
  latest: Scan | null;
  previous: Scan | null;
  active: Scan | null;
  /** The newest succeeded scan when it is an import kept apart (not the posture shown), to point at it. */
  newerImport: Scan | null;
  /** The newest scan of any status, when it did not succeed (so the page can say what failed). */
  lastFailed: Scan | null;
  trend: (TrendPoint & { resources: number })[];
  subscriptions: { items: OverviewSubscription[]; total: number; page: number; pageSize: number; scanned: number };
  controls: { id: string; title: string; severity: string; family: string }[];
  diff: ScanDiff | null;
  errors: ErrorSummary | null;
  /** Failing findings across the tenant by severity: [high, medium, low]. */
  failBySeverity: [number, number, number];
  /** Share of applicable checks that could be judged (pass or fail) rather than unknown. */
  coverage: { judged: number; unknown: number; notApplicable: number } | null;
  /** Azure Policy and Defender for Cloud beside us, for the latest scan. */
  azure: AzureSummary | null;
  /** Set when the URL pinned a scan (`scan=<id>`): `latest` is that scan, `newestId` the newest succeeded one. */
  pinned?: { newestId: string | null };
  /** Why the pinned scan cannot be shown. */
  problem?: string;
  /** The latest scan's tenants, each scored on its own ("all tenants, then one"). */
  tenants: TenantSummary[];
  /** The tenant chosen (`?tenant=`): the subscriptions, heat map and failures below are its own. */
  tenant: TenantSummary | null;
  /** A `tenant=` the latest scan does not have. */
  unknownTenant: string | null;
}

export const OVERVIEW_PAGE_SIZE = 25;
/** `scanId`: a scan pinned by a shared link, shown instead of the latest succeeded one. */
export async function loadOverview(store: Store, options: { page: number; scanId?: string; tenant?: string }): Promise<OverviewData> {
  const [newest, active, recent, named, newestSucceeded] = await Promise.all([
    latestSucceededScan(store),
    activeScan(store),
    listScans(store, { limit: 1 }),
    options.scanId ? getScan(store, options.scanId) : Promise.resolve(undefined),
    listScans(store, { limit: 1, status: ["succeeded"] }),
  ]);
  let problem: string | undefined;
  if (options.scanId && !named) problem = `Scan ${options.scanId} does not exist (it may have been removed by retention).`;
  else if (named && named.status !== "succeeded") problem = `Scan ${options.scanId} is ${named.status}; only a succeeded scan has an overview.`;
  const latestRaw = options.scanId ? (problem ? undefined : named) : newest;
  const pinned = options.scanId ? { pinned: { newestId: newest?.id ?? null }, ...(problem ? { problem } : {}) } : {};
  const newerImport = newestSucceeded[0] && !newestSucceeded[0].inPosture ? newestSucceeded[0] : null;
  const lastFailed = recent[0] && recent[0].status !== "succeeded" && recent[0].status !== "queued" && recent[0].status !== "running" ? recent[0] : null;
  const controls = CATALOG.map((c) => ({ id: c.id, title: c.title, severity: c.severity, family: c.family }));
  if (!latestRaw) {
    return {
      latest: null,
      previous: null,
      newerImport,
      active: active ?? null,
      lastFailed,
      trend: [],
      subscriptions: { items: [], total: 0, page: 1, pageSize: OVERVIEW_PAGE_SIZE, scanned: 0 },
      controls,
      diff: null,
      errors: null,
      failBySeverity: [0, 0, 0],
      coverage: null,
      azure: null,
      ...pinned,
      tenants: [],
      tenant: null,
      unknownTenant: null,
    };
  }
  const [latest, previous, trend, allSubs, errors, agg, azure, tenants] = await Promise.all([
    scanView(store, latestRaw),
    previousSucceededScan(store, latestRaw),
    // One tenant chosen: its own score in each scan.
    scoreTrend(store, { limit: 30, ...(options.tenant ? { tenant: options.tenant } : {}) }),
    scanSubscriptions(store, latestRaw.id),
    scanErrors(store, latestRaw.id),
    scanAggregate(store, latestRaw.id),
    azureSummary(store, latestRaw.id),
    scanTenants(store, latestRaw.id),
  ]);
  const tenant = options.tenant ? (tenants.find((t) => t.tenantId === options.tenant) ?? null) : null;
  // One tenant chosen: its subscriptions only (an unknown one shows none, and says so).
  const subs = options.tenant ? allSubs.filter((s) => (s.tenantId ?? UNKNOWN_TENANT) === options.tenant) : allSubs;
  const diff = previous ? await recentChanges(store, latestRaw.id, previous.id, options.tenant) : null;
  const names = new Map(allSubs.map((s) => [s.key, s.displayName]));
  const errorSummary = summarizeErrors(errors, names);
  const unread = new Set(errorSummary.subscriptionsUnread.map((e) => e.scope.split("/")[2]?.toLowerCase()));
  const order = new Map(agg.controls.map((c, i) => [c, i]));
  const sorted = subs
    .map((s): OverviewSubscription => {
      const a = agg.subscriptions.get(s.key);
      return {
        ...s,
        failBySeverity: a?.failBySeverity ?? [0, 0, 0],
        byControl: controls.map((c) => (a ? a.byControl[order.get(c.id) ?? 0] : ([0, 0, 0, 0] as StatusCounts))),
      };
    })
    // Worst first: lowest score, then most high-severity failures; nothing-to-judge last.
    .sort(
      (a, b) =>
        (a.score === null ? 1 : 0) - (b.score === null ? 1 : 0) ||
        (a.score ?? 0) - (b.score ?? 0) ||
        b.failBySeverity[0] - a.failBySeverity[0] ||
        (a.displayName ?? a.subscriptionId).localeCompare(b.displayName ?? b.subscriptionId),
    );
  const pages = Math.max(1, Math.ceil(sorted.length / OVERVIEW_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pages);
  const c = latest.summary?.counts;
  const failBySeverity: [number, number, number] = [0, 0, 0];
  const counted = options.tenant ? new Set(subs.map((s) => s.key)) : undefined;
  for (const [key, a] of agg.subscriptions) if (!counted || counted.has(key)) for (let i = 0; i < 3; i++) failBySeverity[i] += a.failBySeverity[i];
  return {
    latest,
    previous: previous ?? null,
    newerImport,
    active: active ?? null,
    lastFailed,
    trend: trend.tenant,
    subscriptions: {
      items: sorted.slice((page - 1) * OVERVIEW_PAGE_SIZE, page * OVERVIEW_PAGE_SIZE),
      total: sorted.length,
      page,
      pageSize: OVERVIEW_PAGE_SIZE,
      scanned: subs.filter((s) => !unread.has(s.key)).length,
    },
    controls,
    diff,
    errors: errorSummary,
    failBySeverity,
    coverage: c ? { judged: c.pass + c.fail, unknown: c.unknown, notApplicable: c.not_applicable } : null,
    azure,
    ...pinned,
    tenants,
    tenant,
    unknownTenant: options.tenant && !tenant ? options.tenant : null,
  };
}
