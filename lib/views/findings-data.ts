/** The findings explorer's data: which scan, one filtered page with facets, and names for the filters. */
import { CATALOG } from "@/lib/posture/controls";
import { NotFoundError, StateConflictError } from "@/lib/store/errors";
import type { FindingsQuery } from "@/lib/store/findings/params";
import { queryFindings, type FindingsPage } from "@/lib/store/findings/query";
import { getScan, latestSucceededScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import type { FindingsView } from "./findings-view";
import { scanSubscriptions } from "@/lib/store/reads";
import { idKey } from "@/lib/posture/ids";
import { bulkTargetsQuery } from "@/lib/store/findings/bulk-exceptions";
import { MAX_BULK_EXCEPTIONS, latestAllowedExpiryDate } from "@/lib/store/exceptions";
import { getSettings } from "@/lib/store/settings";
import { scanTenants, type TenantSummary } from "@/lib/store/tenants";

export interface FindingsData {
  scan: Scan | null;
  /** Set when the named scan cannot be shown. */
  problem: string | null;
  page: FindingsPage | null;
  /** Lower-cased subscription ID → display name. */
  subscriptionNames: Map<string, string>;
  subscriptions: { id: string; name: string }[];
  /** The scan's tenants (a filter is offered when there are several, or one is chosen). */
  tenants: TenantSummary[];
  controls: { id: string; title: string; severity: string }[];
  /** What the page changed in the request to show something meaningful (shown beside the URL's notices). */
  notices: string[];
  /** The query as answered (after those changes). */
  query: FindingsQuery;
  /** Failing or unknown findings of this view that no exception mutes: what "Add exceptions for these findings" would cover. */
  exceptable: number;
  maxBulk: number;
  /** yyyy-mm-dd: the latest expiry an Admin allows today, if they set a maximum. */
  maxExpiry?: string;
}

export async function loadFindings(store: Store, view: FindingsView): Promise<FindingsData> {
  const controls = CATALOG.map((c) => ({ id: c.id, title: c.title, severity: c.severity }));
  const empty = {
    page: null,
    subscriptionNames: new Map<string, string>(),
    subscriptions: [],
    tenants: [],
    controls,
    notices: [],
    query: view.query,
    exceptable: 0,
    maxBulk: MAX_BULK_EXCEPTIONS,
  };
  let scan: Scan | undefined;
  if (view.scanId) {
    scan = await getScan(store, view.scanId);
    if (!scan) return { ...empty, scan: null, problem: `Scan ${view.scanId} does not exist (it may have been removed by retention).` };
    if (scan.status !== "succeeded") return { ...empty, scan, problem: `Scan ${view.scanId} is ${scan.status}; only a succeeded scan has findings.` };
  } else scan = await latestSucceededScan(store);
  if (!scan) return { ...empty, scan: null, problem: null };
  try {
    const [subs, tenants] = await Promise.all([scanSubscriptions(store, scan.id), scanTenants(store, scan.id)]);
    const notices: string[] = [];
    const query = view.query;
    if (query.tenant && !tenants.some((t) => t.tenantId === query.tenant)) {
      notices.push(`Tenant ${query.tenant} is not in this scan, so no finding matches it; choose another tenant or all tenants`);
    }
    // A subscription the scan does not have matches nothing here: say why the list is short. (The
    // filter stays: dropping it would show other subscriptions' findings under this one's link.)
    const known = new Set(subs.map((s) => s.key));
    const unknownSubs = query.subscriptionId?.filter((id) => !known.has(idKey(id))) ?? [];
    if (unknownSubs.length > 0) {
      notices.push(
        `${unknownSubs.join(", ")} ${unknownSubs.length === 1 ? "is not a subscription" : "are not subscriptions"} of this scan, so no finding matches ${unknownSubs.length === 1 ? "it" : "them"}; pick another scan on the Scans page`,
      );
    }
    let page = await queryFindings(store, scan.id, query);
    // Past the last page (an old link, a hand-edited URL): show the last page instead of an empty one.
    const last = Math.max(1, Math.ceil(page.total / page.pageSize));
    if (page.page > last) {
      notices.push(`Page ${page.page} is past the end; showing page ${last}, the last`);
      page = await queryFindings(store, scan.id, { ...query, page: last });
    }
    const subscriptionNames = new Map(subs.map((s) => [s.key, s.displayName ?? s.subscriptionId]));
    // Within one tenant, only its subscriptions are offered.
    const subscriptions = subs
      .filter((s) => !query.tenant || (s.tenantId ?? "unknown") === query.tenant)
      .map((s) => ({ id: s.subscriptionId, name: s.displayName ?? s.subscriptionId }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const [targets, settings] = await Promise.all([queryFindings(store, scan.id, { ...bulkTargetsQuery(query), pageSize: 1 }), getSettings(store)]);
    return {
      ...empty,
      scan,
      problem: null,
      page,
      subscriptionNames,
      subscriptions,
      tenants,
      notices,
      query: { ...query, page: page.page },
      exceptable: targets.total,
      ...(settings.exceptionMaxDays !== null ? { maxExpiry: latestAllowedExpiryDate(store.now(), settings.exceptionMaxDays) } : {}),
    };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof StateConflictError) return { ...empty, scan, problem: error.message };
    throw error;
  }
}
