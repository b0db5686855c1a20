/**
 * Per-scan aggregates for the overview and subscription pages, computed from the columnar
 * findings index: failures by severity per subscription and the subscription × control heat
 * map. A succeeded scan never changes, so they are kept in the store's cache (muting is applied
 * by the caller from the current exceptions).
 */
import { SEVERITIES, STATUSES } from "@/lib/posture/vocabulary";
import type { Store } from "@/lib/store/handle";
import type { FindingsIndex } from "./model";
import { findingsIndex } from "./scan-index";

/** statuses per control: [pass, fail, unknown, not_applicable]. */
export type StatusCounts = [number, number, number, number];

export interface SubscriptionAggregate {
  key: string;
  /** Failing findings by severity: [high, medium, low]. */
  failBySeverity: [number, number, number];
  unknown: number;
  /** Per control (in `controls` order). */
  byControl: StatusCounts[];
}

export interface ScanAggregate {
  scanId: string;
  controls: string[];
  /** Lower-cased subscription ID → aggregate. */
  subscriptions: Map<string, SubscriptionAggregate>;
  /** Tenant-wide per control. */
  byControl: StatusCounts[];
}

function compute(ix: FindingsIndex): ScanAggregate {
  const controls = [...ix.controls];
  const subs = new Map<string, SubscriptionAggregate>();
  const perSub: SubscriptionAggregate[] = ix.subKeys.map((key) => {
    const a: SubscriptionAggregate = { key, failBySeverity: [0, 0, 0], unknown: 0, byControl: controls.map(() => [0, 0, 0, 0] as StatusCounts) };
    subs.set(key, a);
    return a;
  });
  const byControl = controls.map(() => [0, 0, 0, 0] as StatusCounts);
  const FAIL = STATUSES.indexOf("fail");
  const UNKNOWN = STATUSES.indexOf("unknown");
  for (let i = 0; i < ix.size; i++) {
    const a = perSub[ix.sub[i]];
    const s = ix.status[i];
    const c = ix.control[i];
    a.byControl[c][s]++;
    byControl[c][s]++;
    if (s === FAIL) a.failBySeverity[Math.min(ix.severity[i], SEVERITIES.length - 1)]++;
    else if (s === UNKNOWN) a.unknown++;
  }
  return { scanId: ix.scanId, controls, subscriptions: subs, byControl };
}

/** The aggregate of a succeeded scan (the caller has checked its status). */
export function scanAggregate(store: Store, scanId: string): Promise<ScanAggregate> {
  return store.cache.get(
    ["aggregate", scanId],
    async () => compute(await findingsIndex(store, scanId)),
    (agg) => (agg.subscriptions.size + 1) * agg.controls.length,
  );
}
