/** The findings explorer's data: which scan, one filtered page with facets, and names for the filters. */
import { CATALOG } from "../posture/controls";
import { NotFoundError, StateConflictError } from "../store/errors";
import { queryFindings, type FindingsPage } from "../store/findings-query";
import { getScan, latestSucceededScan, type Scan } from "../store/scans";
import type { Store } from "../store/store";
import type { FindingsView } from "./findings-view";
import { scanSubscriptions } from "./store-reads";

export interface FindingsData {
  scan: Scan | null;
  /** Set when the named scan cannot be shown. */
  problem: string | null;
  page: FindingsPage | null;
  /** Lower-cased subscription ID → display name. */
  subscriptionNames: Map<string, string>;
  subscriptions: { id: string; name: string }[];
  controls: { id: string; title: string; severity: string }[];
}

export async function loadFindings(store: Store, view: FindingsView): Promise<FindingsData> {
  const controls = CATALOG.map((c) => ({ id: c.id, title: c.title, severity: c.severity }));
  const empty = { page: null, subscriptionNames: new Map<string, string>(), subscriptions: [], controls };
  let scan: Scan | undefined;
  if (view.scanId) {
    scan = await getScan(store, view.scanId);
    if (!scan) return { ...empty, scan: null, problem: `Scan ${view.scanId} does not exist (it may have been removed by retention).` };
    if (scan.status !== "succeeded") return { ...empty, scan, problem: `Scan ${view.scanId} is ${scan.status}; only a succeeded scan has findings.` };
  } else scan = await latestSucceededScan(store);
  if (!scan) return { ...empty, scan: null, problem: null };
  try {
    const [page, subs] = await Promise.all([queryFindings(store, scan.id, view.query), scanSubscriptions(store, scan.id)]);
    const subscriptionNames = new Map(subs.map((s) => [s.key, s.displayName ?? s.subscriptionId]));
    const subscriptions = subs
      .map((s) => ({ id: s.subscriptionId, name: s.displayName ?? s.subscriptionId }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { scan, problem: null, page, subscriptionNames, subscriptions, controls };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof StateConflictError) return { ...empty, scan, problem: error.message };
    throw error;
  }
}
