/**
 * A stored scan's result read back a batch of resources at a time, for exports of any size: the
 * same result `readScanResult` gives (exceptions applied, findings in evaluation order, the
 * subscriptions and summary counted from the findings as muted now), but never held whole.
 *
 * Everything but the resources and findings is read when the stream is opened, so a missing scan
 * or subscription is known before the first byte of a download. Resources are read by ranges of
 * their `ord` (index resources_scan_ord) and findings by the same ranges of `resource_ord` (index
 * findings_scan_resource): each finding is read exactly once, beside the resources it belongs to.
 */
import { RESULT_KIND, RESULT_VERSION, type ScanResult, type SubscriptionResult } from "@/lib/posture/result";
import { ScoreTally, type Tally } from "@/lib/posture/score";
import type { Finding } from "@/lib/posture/types";
import type { ExceptionRule } from "@/lib/posture/exceptions";
import { idKey } from "@/lib/posture/ids";
import type { Store } from "@/lib/store/store";
import { requireSucceededScan } from "./state";
import {
  exceptionMuting,
  findingsFromRows,
  readFindingRows,
  readResultHead,
  RESOURCE_COLUMNS,
  resourceFromRow,
  resourceOrds,
  type ExceptionMuting,
} from "./result-read";

type Resource = ScanResult["resources"][number];

/**
 * Resources per batch, by database. A batch (18 findings a resource) is decoded and written out
 * while the next is read; the smaller it is, the less of it survives into V8's old generation
 * as garbage, which is most of an export's memory. On SQLite a query costs microseconds, so
 * batches are small (50 resources cut a 10,000-account JSON export's peak RSS from ~380 to ~330
 * MB at the same speed); on PostgreSQL each query is a round trip, so they stay larger.
 */
export const STREAM_BATCH_RESOURCES: Readonly<Record<Store["dialect"], number>> = { sqlite: 50, postgres: 200 };

/** One range of resources (in order) and all the findings that belong to them (in evaluation order, muted as now). */
export interface ResultBatch {
  resources: Resource[];
  findings: Finding[];
}

export interface StreamOptions {
  /** Read only one subscription's resources and findings (as `readScanResult`'s `only`). */
  only?: { subscriptionId?: string };
  /** Apply the stored exceptions (default true). */
  exceptions?: boolean;
  /** Resources per batch (default STREAM_BATCH_RESOURCES for the store's database). */
  batchResources?: number;
}

export interface ScanResultStream {
  readonly kind: ScanResult["kind"];
  readonly version: ScanResult["version"];
  readonly scan: ScanResult["scan"];
  readonly errors: ScanResult["errors"];
  readonly exceptions?: { active: ExceptionRule[]; expired: ExceptionRule[] };
  /** With `only.subscriptionId`: whether the scan knows the subscription (a subscription row, or a resource or finding in it). */
  readonly subscriptionKnown: boolean;
  /** Every subscription of the scan (ID and name), in the result's order. */
  readonly listedSubscriptions: readonly Pick<SubscriptionResult, "subscriptionId" | "displayName">[];
  /** The resources and their findings, batch by batch; the totals count what was yielded. Ends by checking the scan is still there. */
  batches(): AsyncGenerator<ResultBatch>;
  /** The resources alone, in order, batch by batch. Ends by checking the scan is still there. */
  resourcePages(): AsyncGenerator<Resource[]>;
  /** Once `batches()` has run to its end: the subscriptions and summary `readScanResult` would give. */
  totals(): Pick<ScanResult, "summary" | "subscriptions">;
}

interface Range {
  lo?: number;
  hi?: number;
}

export async function openScanResultStream(store: Store, scanId: string, options: StreamOptions = {}): Promise<ScanResultStream> {
  const scan = await requireSucceededScan(store, scanId);
  const size = Math.max(1, Math.floor(options.batchResources ?? STREAM_BATCH_RESOURCES[store.dialect]));
  const subscriptionKey = options.only?.subscriptionId === undefined ? undefined : idKey(options.only.subscriptionId);
  const [head, maxOrd] = await Promise.all([
    readResultHead(store, scan),
    store.db
      .selectFrom("resources")
      .select((eb) => eb.fn.max("ord").as("max"))
      .where("scan_id", "=", scanId)
      .executeTakeFirst(),
  ]);
  const muting: ExceptionMuting | undefined = options.exceptions === false ? undefined : await exceptionMuting(store, head.subRows);
  // The rules' split into active and expired does not depend on the findings.
  const exceptions = muting ? muting.apply([], []) : undefined;
  const subscriptionKnown = subscriptionKey === undefined ? true : await knowsSubscription(store, scanId, subscriptionKey, head.subRows);

  // Ranges of ord covering every row: the first open below, the last open above.
  const last = maxOrd?.max === null || maxOrd?.max === undefined ? -1 : Number(maxOrd.max);
  const ranges: Range[] = [];
  for (let lo = 0; lo <= last; lo += size) ranges.push({ lo, hi: lo + size });
  if (ranges.length === 0) ranges.push({});
  delete ranges[0].lo;
  delete ranges[ranges.length - 1].hi;

  const resourceRowsIn = (range: Range) => {
    let q = store.db.selectFrom("resources").select(RESOURCE_COLUMNS).where("scan_id", "=", scanId);
    if (range.lo !== undefined) q = q.where("ord", ">=", range.lo);
    if (range.hi !== undefined) q = q.where("ord", "<", range.hi);
    if (subscriptionKey !== undefined) q = q.where("subscription_key", "=", subscriptionKey);
    return q.orderBy("ord").execute();
  };
  const readResources = async (range: Range): Promise<Resource[]> => (await resourceRowsIn(range)).map(resourceFromRow);
  /** A range's resources and their findings (whose IDs are their resource rows' where the finding row leaves them null). */
  const readRange = async (range: Range): Promise<{ resources: Resource[]; findings: Finding[] }> => {
    const [resourceRows, findingRows] = await Promise.all([
      resourceRowsIn(range),
      readFindingRows(store, scanId, (q) => {
        if (range.lo !== undefined) q = q.where("resource_ord", ">=", range.lo);
        if (range.hi !== undefined) q = q.where("resource_ord", "<", range.hi);
        return subscriptionKey === undefined ? q : q.where("resource_ord", "in", resourceOrds(store, scanId, "subscription_key", subscriptionKey));
      }),
    ]);
    return { resources: resourceRows.map(resourceFromRow), findings: findingsFromRows(findingRows, resourceRows) };
  };
  // A scan removed while it was being read (retention) must not end in a short file that looks whole.
  const stillThere = async () => {
    await requireSucceededScan(store, scanId);
  };

  const tenant = new ScoreTally();
  const bySubscription = new Map<string, ScoreTally>();
  let resourceCount = 0;
  let finished = false;

  return {
    kind: RESULT_KIND,
    version: RESULT_VERSION,
    scan: head.scan,
    errors: head.errors,
    ...(exceptions ? { exceptions: { active: exceptions.active, expired: exceptions.expired } } : {}),
    subscriptionKnown,
    listedSubscriptions: head.subRows.map((s) => ({ subscriptionId: s.subscription_id, displayName: s.display_name })),
    async *batches() {
      for (const range of ranges) {
        const { resources, findings: read } = await readRange(range);
        const findings = muting ? muting.apply(read, resources).findings : read;
        resourceCount += resources.length;
        let lastSubscription: string | undefined;
        let subscriptionTally: ScoreTally | undefined;
        for (const f of findings) {
          tenant.add(f);
          if (f.subscriptionId !== lastSubscription || subscriptionTally === undefined) {
            lastSubscription = f.subscriptionId;
            const key = idKey(f.subscriptionId);
            subscriptionTally = bySubscription.get(key);
            if (subscriptionTally === undefined) bySubscription.set(key, (subscriptionTally = new ScoreTally()));
          }
          subscriptionTally.add(f);
        }
        yield { resources, findings };
      }
      await stillThere();
      finished = true;
    },
    async *resourcePages() {
      for (const range of ranges) yield await readResources(range);
      await stillThere();
    },
    totals() {
      if (!finished) throw new Error("The totals of a streamed result are known only once all its batches were read");
      const t = tenant.result();
      const subs = new Map<string, Tally>([...bySubscription].map(([k, v]) => [k, v.result()]));
      const subscriptions: SubscriptionResult[] = head.subscriptions(subs);
      return { summary: { score: head.storedScore, resources: resourceCount, counts: t.counts, coverage: t.coverage }, subscriptions };
    },
  };
}

async function knowsSubscription(store: Store, scanId: string, key: string, subRows: readonly { subscription_key: string }[]): Promise<boolean> {
  if (key === "") return false;
  if (subRows.some((s) => s.subscription_key === key)) return true;
  // Every finding has a resource row in its own subscription.
  const resource = await store.db
    .selectFrom("resources")
    .select("ord")
    .where("scan_id", "=", scanId)
    .where("subscription_key", "=", key)
    .limit(1)
    .executeTakeFirst();
  return resource !== undefined;
}
