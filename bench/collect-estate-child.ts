/**
 * Child of collect-estate. `setup <db> <tenants> <subs> <accounts> <seed>`: one scan target per
 * emulator tenant, and the queues. `scan <db>`: starts one estate scan (the workers run it), waits
 * for it to be stored and prints its figures.
 */
import { generateEstate } from "@/emulator/estate";
import { ScanJobs } from "@/lib/scan/jobs";
import type { QueuedScanStats } from "@/lib/scan/queue-jobs";
import { ScanQueue } from "@/lib/scan/queue";
import { getScan, scanErrors } from "@/lib/store/scans/scans";
import { openStore } from "@/lib/store/store";
import { addTarget } from "@/lib/store/targets";
import { sql } from "kysely";

const [mode, url, ...rest] = process.argv.slice(2);
const store = await openStore({ url });
const queue = await ScanQueue.open(url);
if (mode === "setup") {
  const [tenants, subscriptions, accounts, seed] = rest.map(Number);
  const estate = generateEstate(tenants, { seed, subscriptions, accounts });
  const all = [estate.home, ...estate.others];
  for (const [i, t] of all.entries())
    await addTarget(store, { tenantId: t.tenantId, displayName: `Tenant ${i + 1}`, credential: { kind: "azure-cli" } }, "bench");
  console.log(JSON.stringify({ targets: all.length }));
} else {
  const jobs = new ScanJobs({ store, queue, sweepMs: 0, alerts: false });
  const started = performance.now();
  const scan = await jobs.start({ source: "emulator", actor: "bench" });
  let collectedMs = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = (await getScan(store, scan.id))!;
    if (!collectedMs && (now.phase === "evaluating" || now.phase === "storing")) collectedMs = performance.now() - started;
    if (now.status !== "queued" && now.status !== "running") break;
  }
  const wallMs = performance.now() - started;
  const done = (await getScan(store, scan.id))!;
  if (done.status !== "succeeded") throw new Error(`the estate scan ${done.status}: ${done.error}`);
  const row = await store.db.selectFrom("scans").select("stats").where("id", "=", scan.id).executeTakeFirstOrThrow();
  const stats = JSON.parse(row.stats!) as QueuedScanStats;
  const errors = await scanErrors(store, scan.id);
  // How long each tenant's job ran (pg-boss keeps its start and end).
  const timing = await sql<{ seconds: number }>`
    select extract(epoch from (completed_on - started_on))::float as seconds from (select name, data, state, started_on, completed_on from pgboss.job union all select name, data, state, started_on, completed_on from pgboss.archive) j
    where name = 'scan-part' and data->>'scanId' = ${scan.id} and state = 'completed' order by seconds`.execute(store.db);
  const partSeconds = timing.rows.map((r) => Number(r.seconds));
  const busiest = stats.parts.reduce((a, b) => (b.argRequests > a.argRequests ? b : a));
  const busiestCalls = Math.max(...stats.parts.map((p) => p.perResourceCalls));
  console.log(
    JSON.stringify({
      wallMs,
      collectedMs,
      parts: stats.parts.length,
      retriedParts: stats.parts.filter((p) => p.attempts > 1).length,
      argRequests: stats.argRequests,
      argThrottled: stats.argThrottled,
      failedCalls: stats.failedCalls,
      // A 429 is lost when it ends as an error instead of being waited out and retried.
      throttledErrors: errors.filter((e) => /429|RateLimit|TooManyRequests|Throttl/i.test(`${e.code} ${e.message}`)).length,
      errors: errors.length,
      busiestArg: busiest.argRequests,
      busiestCalls,
      resources: done.summary?.resources ?? 0,
      partMedianSeconds: partSeconds[Math.floor(partSeconds.length / 2)] ?? 0,
      partMaxSeconds: partSeconds.at(-1) ?? 0,
    }),
  );
  await jobs.close();
}
await queue.stop();
await store.close();
