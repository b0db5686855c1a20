/**
 * ui-10k, seeding part: in its own process (argv: database path), stores one scan of a
 * 10,000-account, 500-subscription tenant through the scan jobs (evaluateSnapshot → store), and
 * picks a resource with linked storage for the resource page. Prints one JSON line.
 */
import { generateTenant } from "@/emulator/tenant";
import { ScanJobs } from "@/lib/scan/jobs";
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { queryFindings } from "@/lib/store/findings/query";
import { getScan } from "@/lib/store/scans/scans";
import { openStore } from "@/lib/store/store";
import { tenantSnapshot } from "@/emulator/snapshot";

const [url] = process.argv.slice(2);
const store = await openStore({ url });
const jobs = new ScanJobs({ store, sweepMs: 0 });
const t0 = performance.now();
const tenant = generateTenant({ subscriptions: 500, accounts: 10_000, seed: 10_000, hiddenSubscriptions: 0 });
const snapshot = tenantSnapshot(tenant);
const started = await jobs.importSnapshot(snapshot, { actor: "bench", replacesLatest: true });
await jobs.settled(started.id);
const scan = await getScan(store, started.id);
if (scan?.status !== "succeeded") throw new Error(`the seeded scan ended ${scan?.status}: ${scan?.error}`);
const seedMs = performance.now() - t0;
const withStorage = await queryFindings(store, scan.id, parseFindingsQuery(new URLSearchParams({ controlId: "CMK-2", status: "pass", pageSize: "1" })));
const resourceId = withStorage.items[0]?.resourceId;
if (!resourceId) throw new Error("no resource with customer-managed storage keys in the seeded scan");
const c = scan.summary!.counts;
await jobs.close();
await store.close();
console.log(
  JSON.stringify({ scanId: scan.id, resourceId, findings: c.pass + c.fail + c.unknown + c.not_applicable, resources: scan.summary!.resources, seedMs }),
);
