/** Score over time, for the tenant and each subscription, from the per-scan summaries. */
import type { ScanSource } from "@/lib/store/db/schema";
import type { ScanSummary } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";
import type { SubscriptionScoreRow } from "@/lib/store/scans/results";
import { UNKNOWN_TENANT } from "@/lib/store/tenants";

export interface TrendPoint {
  scanId: string;
  at: string;
  score: number | null;
}

export interface ScoreTrend {
  tenant: (TrendPoint & { counts: ScanSummary["counts"] | null; resources: number })[];
  subscriptions: { subscriptionId: string; displayName: string | null; points: (TrendPoint & { resources: number })[] }[];
}

/**
 * The last `limit` succeeded posture scans (default 50), oldest first: an import kept apart to
 * compare is not part of the trend. With `tenant`, one tenant of an estate: its own score in each
 * scan that holds any of its subscriptions (from their stored weights, by the contract's rule), and
 * only its subscriptions; scans stored before the weights were kept have no point for it.
 */
export async function scoreTrend(store: Store, options: { limit?: number; source?: ScanSource; tenant?: string } = {}): Promise<ScoreTrend> {
  let q = store.db
    .selectFrom("scans")
    .select(["id", "finished_at", "summary", "subscription_scores"])
    .where("status", "=", "succeeded")
    .where("in_posture", "=", 1);
  if (options.source) q = q.where("source", "=", options.source);
  const scans = (
    await q
      .orderBy("finished_at", "desc")
      .orderBy("id", "desc")
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .execute()
  ).reverse();
  const trend: ScoreTrend = { tenant: [], subscriptions: [] };
  if (scans.length === 0) return trend;
  const bySub = new Map<string, ScoreTrend["subscriptions"][number]>();
  const add = (s: (typeof scans)[number], subscriptionId: string, score: number | null, resources: number, displayName: string | null) => {
    const key = idKey(subscriptionId);
    let entry = bySub.get(key);
    if (!entry) bySub.set(key, (entry = { subscriptionId, displayName, points: [] }));
    if (displayName) entry.displayName = displayName;
    entry.points.push({ scanId: s.id, at: s.finished_at!, score, resources });
  };
  // Scans written before the compact column existed are read from their subscription rows (they
  // carry no weights, so they have no point in one tenant's trend).
  const older = options.tenant ? [] : scans.filter((s) => s.subscription_scores === null).map((s) => s.id);
  const rows = older.length
    ? await store.db
        .selectFrom("scan_subscriptions")
        .select(["scan_id", "subscription_id", "display_name", "score", "resources"])
        .where("scan_id", "in", older)
        .execute()
    : [];
  const rowsByScan = new Map<string, typeof rows>();
  for (const r of rows) rowsByScan.set(r.scan_id, [...(rowsByScan.get(r.scan_id) ?? []), r]);
  for (const s of scans) {
    if (options.tenant) {
      // One tenant: its subscriptions' rows, scored from their weights.
      const mine = (JSON.parse(s.subscription_scores ?? "[]") as Partial<SubscriptionScoreRow>[]).filter(
        (r) => r.length >= 7 && (r[4] ?? UNKNOWN_TENANT) === options.tenant,
      ) as SubscriptionScoreRow[];
      if (mine.length === 0) continue;
      let pass = 0;
      let judged = 0;
      let resources = 0;
      for (const [id, score, count, name, , p, j] of mine) {
        pass += p;
        judged += j;
        resources += count;
        add(s, id, score, count, name);
      }
      trend.tenant.push({ scanId: s.id, at: s.finished_at!, score: judged === 0 ? null : Math.floor((100 * pass) / judged), counts: null, resources });
      continue;
    }
    const summary = s.summary ? (JSON.parse(s.summary) as ScanSummary) : null;
    trend.tenant.push({ scanId: s.id, at: s.finished_at!, score: summary?.score ?? null, counts: summary?.counts ?? null, resources: summary?.resources ?? 0 });
    if (s.subscription_scores !== null) {
      for (const [id, score, resources, name] of JSON.parse(s.subscription_scores) as SubscriptionScoreRow[]) add(s, id, score, resources, name);
    } else {
      for (const r of rowsByScan.get(s.id) ?? []) add(s, r.subscription_id, r.score === null ? null : Number(r.score), Number(r.resources), r.display_name);
    }
  }
  trend.subscriptions = [...bySub.values()].sort((a, b) => (a.displayName ?? a.subscriptionId).localeCompare(b.displayName ?? b.subscriptionId));
  return trend;
}
