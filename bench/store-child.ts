/**
 * store-10k, measured part: in its own process, on one database (argv: kind, url). Persists 49
 * history scans (500 accounts each, same 500 subscriptions) and then the 10,000-account scan,
 * then times findings pages and the score trend. Prints one JSON line.
 */
import { generateTenant } from "@/emulator/tenant";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import { createException } from "@/lib/store/exceptions";
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { queryFindings } from "@/lib/store/findings/query";
import { scoreTrend } from "@/lib/store/history/trend";
import { writeScanResults, type ScanResultData } from "@/lib/store/scans/results";
import { createScan, markRunning } from "@/lib/store/scans/scans";
import { openStore, type Store } from "@/lib/store/store";
import { afterScan } from "@/lib/store/scans/maintenance";
import type { Snapshot } from "@/lib/posture/snapshot";
import { tenantSnapshot } from "@/emulator/snapshot";

const [kind, url] = process.argv.slice(2);
const SUBSCRIPTIONS = 500;
const ACCOUNTS = 10_000;

async function persist(store: Store, snapshot: Snapshot): Promise<{ id: string; ms: number; data: ScanResultData; evaluateMs: number }> {
  // Part of the posture, as a collected scan is: the trend reads only those.
  const scan = await createScan(store, { source: "snapshot", startedBy: "bench", replacesLatest: true });
  const startedAt = await markRunning(store, scan.id);
  let t = performance.now();
  const data = buildScanResult(snapshot, { id: scan.id, source: "snapshot", startedAt, finishedAt: new Date().toISOString() });
  const evaluateMs = performance.now() - t;
  t = performance.now();
  await writeScanResults(store, scan.id, data);
  const ms = performance.now() - t;
  await afterScan(store); // as a scan job does, after the measured write
  return { id: scan.id, ms, data, evaluateMs };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const store = await openStore({ url });
// History: 49 smaller scans over the same subscriptions, each a little different.
for (let i = 0; i < 49; i++) {
  const t = generateTenant({ accounts: 500, subscriptions: SUBSCRIPTIONS, seed: 10_000, hiddenSubscriptions: 0 });
  const snap = tenantSnapshot(t, new Date(Date.UTC(2026, 0, 1 + i)).toISOString());
  snap.resources = snap.resources.filter((_, j) => (j + i) % 7 !== 0);
  await persist(store, snap);
}

const tenant = generateTenant({ accounts: ACCOUNTS, subscriptions: SUBSCRIPTIONS, seed: 10_000, hiddenSubscriptions: 0 });
const snapshot = tenantSnapshot(tenant);
const big = await persist(store, snapshot);
const { data, evaluateMs } = big;

// Two exceptions, so pages apply muting as they would in use.
const someSub = data.subscriptions[3].subscriptionId;
await createException(store, { subscriptionId: someSub, owner: "bench", reason: "bench", expiresAt: "2099-01-01" });
await createException(store, { controlId: "NET-2", tag: { name: "env", value: "dev" }, owner: "bench", reason: "bench", expiresAt: "2099-01-01" });

const statuses = ["fail", "pass", "unknown", "not_applicable", "fail,unknown"];
const severities = ["high", "medium", "low", "high,medium"];
const controls = ["BYOS-1", "CMK-3", "NET-1", "LOG-2", "LBX-1", "IAM-2"];
const sorts = ["severity", "-severity", "status", "controlId", "resource", "-resource", "subscription", "kind"];
const kinds = ["SpeechServices", "AIServices", "CognitiveServices"];
const subs = data.subscriptions.map((s) => s.subscriptionId);
const names = data.resources.map((r) => r.name);
const queries: string[] = [];
for (let i = 0; i < 100; i++) {
  const p = new URLSearchParams();
  if (i % 2 === 0) p.set("status", statuses[i % statuses.length]);
  if (i % 3 === 0) p.set("severity", severities[i % severities.length]);
  if (i % 5 === 1) p.set("controlId", controls[i % controls.length]);
  if (i % 4 === 1) p.set("subscriptionId", subs[(i * 37) % subs.length]);
  if (i % 6 === 2) p.set("kind", kinds[i % kinds.length]);
  if (i % 10 === 3) p.set("muted", i % 20 === 3 ? "true" : "false");
  if (i % 9 === 4) p.set("q", i % 18 === 4 ? names[(i * 101) % names.length].slice(0, 12) : "prod");
  p.set("sort", sorts[i % sorts.length]);
  p.set("page", String(1 + (i % 7 === 0 ? 40 : i % 3)));
  p.set("pageSize", String([25, 50, 100][i % 3]));
  queries.push(p.toString());
}
const t = performance.now();
await queryFindings(store, big.id, parseFindingsQuery(new URLSearchParams("")));
const coldMs = performance.now() - t;
const pageMs: number[] = [];
let totalSeen = 0;
for (const qs of queries) {
  const s = performance.now();
  const page = await queryFindings(store, big.id, parseFindingsQuery(new URLSearchParams(qs)));
  pageMs.push(performance.now() - s);
  totalSeen += page.items.length;
}
const trendMs: number[] = [];
let points = 0;
for (let i = 0; i < 10; i++) {
  const s = performance.now();
  const trend = await scoreTrend(store, { limit: 50 });
  trendMs.push(performance.now() - s);
  points = trend.tenant.length + trend.subscriptions.reduce((n, x) => n + x.points.length, 0);
}
// A trend over no scan would time nothing: the 50 scans must all be in it.
if (points < 50) throw new Error(`the score trend read ${points} points; the 50 stored scans are not all in the posture`);
await store.close();
console.log(
  JSON.stringify({
    kind,
    findings: data.findings.length,
    resources: data.resources.length,
    evaluateMs,
    persistMs: big.ms,
    coldPageMs: coldMs,
    pageP50: pct(pageMs, 50),
    pageP95: pct(pageMs, 95),
    pageMax: Math.max(...pageMs),
    itemsSeen: totalSeen,
    trendP50: pct(trendMs, 50),
    trendMax: Math.max(...trendMs),
    trendPoints: points,
  }),
);
