/** The subscription report: its score, every control's counts, its resources, failing findings by control, its collection errors. */
import { CATALOG } from "@/lib/posture/controls";
import type { Control } from "@/lib/posture/types";
import { queryFindings, type FindingItem } from "@/lib/store/findings/query";
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { scanView } from "@/lib/store/scans/view";
import { getScan, latestSucceededScan, scanErrors, type Scan } from "@/lib/store/scans/scans";
import { dateTime } from "./format";
import type { Store } from "@/lib/store/store";
import { scanAggregate, type StatusCounts } from "@/lib/store/findings/aggregate";
import { summarizeErrors, type ErrorSummary } from "./scan-errors";
import {
  latestScanWithSubscription,
  scanSubscription,
  subscriptionResources,
  type ResourceRow,
  type ResourceSort,
  type SubscriptionRow,
} from "@/lib/store/reads";

export const RESOURCES_PAGE_SIZE = 25;
export const FAILURES_PER_CONTROL = 10;

export interface SubscriptionReport {
  scan: Scan;
  subscription: SubscriptionRow;
  controls: { control: Control; counts: StatusCounts }[];
  resources: { items: ResourceRow[]; total: number; page: number; pageSize: number; sort: ResourceSort };
  failing: { control: Control; total: number; items: FindingItem[] }[];
  errors: ErrorSummary;
  mutedCount: number;
  /** The latest scan did not cover this subscription, so `scan` is the latest one that did. */
  latestLacksIt: boolean;
}

export type SubscriptionLoad = { ok: true; report: SubscriptionReport } | { ok: false; reason: "no-scan" | "not-found" | "bad-scan"; message: string };

export async function loadSubscription(
  store: Store,
  subscriptionId: string,
  options: { scanId?: string; page: number; sort: ResourceSort },
): Promise<SubscriptionLoad> {
  let raw = options.scanId ? await getScan(store, options.scanId) : await latestSucceededScan(store);
  if (!raw)
    return options.scanId
      ? { ok: false, reason: "bad-scan", message: `Scan ${options.scanId} does not exist.` }
      : { ok: false, reason: "no-scan", message: "No scan has been stored yet." };
  if (raw.status !== "succeeded") return { ok: false, reason: "bad-scan", message: `Scan ${raw.id} is ${raw.status}; only a succeeded scan has results.` };
  let subscription = await scanSubscription(store, raw.id, subscriptionId);
  let latestLacksIt = false;
  if (!subscription && !options.scanId) {
    // The latest scan did not cover it (a scan of some subscriptions): show the latest one that did.
    const covering = await latestScanWithSubscription(store, subscriptionId);
    if (covering) {
      latestLacksIt = true;
      raw = covering;
      subscription = await scanSubscription(store, raw.id, subscriptionId);
    }
  }
  if (!subscription)
    return {
      ok: false,
      reason: "not-found",
      message: `Subscription ${subscriptionId} is not part of ${options.scanId ? `the scan of ${dateTime(raw.finishedAt)}` : "any stored scan"}.`,
    };
  const [scan, agg, errors] = await Promise.all([scanView(store, raw), scanAggregate(store, raw.id), scanErrors(store, raw.id)]);
  const a = agg.subscriptions.get(subscription.key);
  const order = new Map(agg.controls.map((c, i) => [c, i]));
  const controls = CATALOG.map((control) => ({ control, counts: a ? a.byControl[order.get(control.id) ?? 0] : ([0, 0, 0, 0] as StatusCounts) }));
  const failingControls = controls.filter((c) => c.counts[1] > 0);
  const [resources, failing, mutedPage] = await Promise.all([
    subscriptionResources(store, raw.id, subscription.subscriptionId, { page: options.page, pageSize: RESOURCES_PAGE_SIZE, sort: options.sort }),
    Promise.all(
      failingControls.map(async ({ control }) => {
        const q = parseFindingsQuery(
          new URLSearchParams({
            subscriptionId: subscription.key,
            controlId: control.id,
            status: "fail",
            sort: "resource",
            pageSize: String(FAILURES_PER_CONTROL),
          }),
        );
        const page = await queryFindings(store, raw.id, q);
        return { control, total: page.total, items: page.items };
      }),
    ),
    queryFindings(store, raw.id, parseFindingsQuery(new URLSearchParams({ subscriptionId: subscription.key, muted: "true", pageSize: "1" }))),
  ]);
  const names = new Map([[subscription.key, subscription.displayName]]);
  const mine = errors.filter((e) => (e.scope ?? "").toLowerCase().startsWith(`/subscriptions/${subscription.key}`));
  return {
    ok: true,
    report: {
      scan,
      subscription,
      controls,
      resources: { ...resources, page: options.page, pageSize: RESOURCES_PAGE_SIZE, sort: options.sort },
      failing,
      errors: summarizeErrors(mine, names),
      mutedCount: mutedPage.total,
      latestLacksIt,
    },
  };
}
