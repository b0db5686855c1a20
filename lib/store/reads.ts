/**
 * The dashboard's reads over the stored scans, typed for the pages: a scan's per-subscription
 * rows, one subscription's resources page by page, neighbouring and active scans, and the
 * cached diff against the previous scan. Read-only; the pages' view models compose them.
 */
import type { Store } from "./handle";
import { diffScans, type ScanDiff } from "./history/diff";
import { toScan, type Scan } from "./scans/scans";
import { idKey } from "@/lib/posture/ids";

export interface SubscriptionRow {
  subscriptionId: string;
  key: string;
  displayName: string | null;
  state: string | null;
  score: number | null;
  resources: number;
  counts: { pass: number; fail: number; unknown: number; not_applicable: number };
  /** The subscription's own tenant (lower-cased); null for scans stored before tenants were kept. */
  tenantId: string | null;
}

const ZERO = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 };

function toSubscription(r: {
  subscription_id: string;
  subscription_key: string;
  display_name: string | null;
  state: string | null;
  score: number | null;
  resources: number;
  counts: string;
  tenant_id?: string | null;
}): SubscriptionRow {
  let counts = ZERO;
  try {
    counts = { ...ZERO, ...(JSON.parse(r.counts) as Partial<typeof ZERO>) };
  } catch {
    /* keep zeros */
  }
  return {
    subscriptionId: r.subscription_id,
    key: r.subscription_key,
    displayName: r.display_name,
    state: r.state,
    score: r.score === null ? null : Number(r.score),
    resources: Number(r.resources),
    counts,
    tenantId: r.tenant_id ?? null,
  };
}

/** Every subscription the scan listed, in no particular order. */
export async function scanSubscriptions(store: Store, scanId: string): Promise<SubscriptionRow[]> {
  const rows = await store.db.selectFrom("scan_subscriptions").selectAll().where("scan_id", "=", scanId).execute();
  return rows.map(toSubscription);
}

export async function scanSubscription(store: Store, scanId: string, subscriptionId: string): Promise<SubscriptionRow | undefined> {
  const row = await store.db
    .selectFrom("scan_subscriptions")
    .selectAll()
    .where("scan_id", "=", scanId)
    .where("subscription_key", "=", idKey(subscriptionId))
    .executeTakeFirst();
  return row ? toSubscription(row) : undefined;
}

export interface ResourceRow {
  id: string;
  name: string;
  kind: string;
  location: string | null;
  resourceGroup: string | null;
  score: number | null;
}

export type ResourceSort = "score" | "name" | "kind" | "location";

/** One page of a subscription's resources in a scan, worst score first by default (null scores last). */
export async function subscriptionResources(
  store: Store,
  scanId: string,
  subscriptionId: string,
  options: { page: number; pageSize: number; sort?: ResourceSort },
): Promise<{ items: ResourceRow[]; total: number }> {
  const key = idKey(subscriptionId);
  const base = store.db.selectFrom("resources").where("scan_id", "=", scanId).where("subscription_key", "=", key);
  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  let q = base.select(["resource_id", "name", "kind", "location", "resource_group", "score"]);
  switch (options.sort ?? "score") {
    case "name":
      q = q.orderBy("name");
      break;
    case "kind":
      q = q.orderBy("kind").orderBy("name");
      break;
    case "location":
      q = q.orderBy("location").orderBy("name");
      break;
    default:
      // Worst first; resources with nothing to judge (null) after every scored one.
      q = q
        .orderBy((eb) => eb.case().when("score", "is", null).then(1).else(0).end())
        .orderBy("score")
        .orderBy("name");
  }
  const rows = await q
    .limit(options.pageSize)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return {
    total: Number(totalRow?.n ?? 0),
    items: rows.map((r) => ({
      id: r.resource_id,
      name: r.name,
      kind: r.kind,
      location: r.location,
      resourceGroup: r.resource_group,
      score: r.score === null ? null : Number(r.score),
    })),
  };
}

/** The succeeded posture scan (any source; not an import kept apart) that finished just before `scan`, if any. */
export async function previousSucceededScan(store: Store, scan: Scan): Promise<Scan | undefined> {
  if (!scan.finishedAt) return undefined;
  const row = await store.db
    .selectFrom("scans")
    .selectAll()
    .where("status", "=", "succeeded")
    .where("in_posture", "=", 1)
    .where("id", "!=", scan.id)
    .where("finished_at", "<=", scan.finishedAt)
    .orderBy("finished_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toScan(row) : undefined;
}

/** The newest queued or running scan, if any (what the scan button attaches to). */
export async function activeScan(store: Store): Promise<Scan | undefined> {
  const row = await store.db
    .selectFrom("scans")
    .selectAll()
    .where("status", "in", ["queued", "running"])
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toScan(row) : undefined;
}

/** How many scans exist at all (to tell a new user from one whose scans all failed). */
export async function scanCount(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom("scans")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The newest succeeded posture scan that listed this subscription (when the latest one did not). */
export async function latestScanWithSubscription(store: Store, subscriptionId: string): Promise<Scan | undefined> {
  const row = await store.db
    .selectFrom("scans as s")
    .innerJoin("scan_subscriptions as ss", "ss.scan_id", "s.id")
    .selectAll("s")
    .where("ss.subscription_key", "=", idKey(subscriptionId))
    .where("s.status", "=", "succeeded")
    .where("s.in_posture", "=", 1)
    .orderBy("s.finished_at", "desc")
    .orderBy("s.id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toScan(row) : undefined;
}

/** What changed from succeeded scan `from` to succeeded scan `to` (the first 50 changes; one tenant's with `tenant`), cached. */
export function recentChanges(store: Store, to: string, from: string, tenant?: string): Promise<ScanDiff> {
  return store.cache.get(
    ["diff", to, from, tenant ?? ""],
    () => diffScans(store, to, from, { limit: 50, ...(tenant ? { tenant } : {}) }),
    (d) => 1 + d.newFailures.length + d.resolved.length + d.changed.length + d.added.length + d.removed.length,
  );
}
