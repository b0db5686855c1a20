/** Score over time, for the tenant and each subscription, from the per-scan summaries. */
import type { ScanSource } from "./schema";
import type { ScanSummary } from "./scans";
import type { Store } from "./store";

export interface TrendPoint {
  scanId: string;
  at: string;
  score: number | null;
}

export interface ScoreTrend {
  tenant: (TrendPoint & { counts: ScanSummary["counts"] | null; resources: number })[];
  subscriptions: { subscriptionId: string; displayName: string | null; points: (TrendPoint & { resources: number })[] }[];
}

/** The last `limit` succeeded scans (default 50), oldest first. */
export async function scoreTrend(store: Store, options: { limit?: number; source?: ScanSource; tenantId?: string } = {}): Promise<ScoreTrend> {
  let q = store.db.selectFrom("scans").select(["id", "finished_at", "summary"]).where("status", "=", "succeeded");
  if (options.source) q = q.where("source", "=", options.source);
  if (options.tenantId) q = q.where("tenant_id", "=", options.tenantId);
  const scans = (await q.orderBy("finished_at", "desc").orderBy("id", "desc").limit(Math.min(Math.max(options.limit ?? 50, 1), 500)).execute()).reverse();
  const trend: ScoreTrend = { tenant: [], subscriptions: [] };
  if (scans.length === 0) return trend;
  for (const s of scans) {
    const summary = s.summary ? (JSON.parse(s.summary) as ScanSummary) : null;
    trend.tenant.push({ scanId: s.id, at: s.finished_at!, score: summary?.score ?? null, counts: summary?.counts ?? null, resources: summary?.resources ?? 0 });
  }
  const order = new Map(scans.map((s, i) => [s.id, i]));
  const rows = await store.db
    .selectFrom("scan_subscriptions")
    .select(["scan_id", "subscription_key", "subscription_id", "display_name", "score", "resources"])
    .where("scan_id", "in", scans.map((s) => s.id))
    .execute();
  const bySub = new Map<string, ScoreTrend["subscriptions"][number]>();
  rows.sort((a, b) => order.get(a.scan_id)! - order.get(b.scan_id)!);
  for (const r of rows) {
    let entry = bySub.get(r.subscription_key);
    if (!entry) bySub.set(r.subscription_key, (entry = { subscriptionId: r.subscription_id, displayName: r.display_name, points: [] }));
    if (r.display_name) entry.displayName = r.display_name;
    entry.points.push({ scanId: r.scan_id, at: scans[order.get(r.scan_id)!].finished_at!, score: r.score === null ? null : Number(r.score), resources: Number(r.resources) });
  }
  trend.subscriptions = [...bySub.values()].sort((a, b) => (a.displayName ?? a.subscriptionId).localeCompare(b.displayName ?? b.subscriptionId));
  return trend;
}
