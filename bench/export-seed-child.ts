/**
 * export-100k, seeding part: in its own process (argv: database URL or SQLite path), stores one
 * scan of a 100,000-account, 2,000-subscription tenant (Azure's verdicts included) through the
 * store's write path, and two exceptions so the exports mute as they would in use. Prints one
 * JSON line.
 */
import { generateTenant } from "@/emulator/tenant";
import { tenantSnapshot } from "@/emulator/snapshot";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import { createException } from "@/lib/store/exceptions";
import { writeScanResults } from "@/lib/store/scans/results";
import { createScan, markRunning } from "@/lib/store/scans/scans";
import { openStore } from "@/lib/store/store";

const [url] = process.argv.slice(2);
const ACCOUNTS = 100_000;
const SUBSCRIPTIONS = 2_000;

const t0 = performance.now();
const store = await openStore({ url });
let scanId: string;
let findings: number;
let resources: number;
let someSubscription: string;
{
  const snapshot = tenantSnapshot(generateTenant({ accounts: ACCOUNTS, subscriptions: SUBSCRIPTIONS, seed: 100, hiddenSubscriptions: 0 }));
  const scan = await createScan(store, { source: "snapshot", startedBy: "bench", replacesLatest: true });
  const startedAt = await markRunning(store, scan.id);
  const data = buildScanResult(snapshot, { id: scan.id, source: "snapshot", startedAt, finishedAt: new Date().toISOString() });
  await writeScanResults(store, scan.id, data);
  scanId = scan.id;
  findings = data.findings.length;
  resources = data.resources.length;
  someSubscription = data.subscriptions[3].subscriptionId;
}
await createException(store, { subscriptionId: someSubscription, owner: "bench", reason: "bench", expiresAt: "2099-01-01" });
await createException(store, { controlId: "NET-2", tag: { name: "env", value: "dev" }, owner: "bench", reason: "bench", expiresAt: "2099-01-01" });
await store.close();
console.log(JSON.stringify({ scanId, findings, resources, seedMs: performance.now() - t0 }));
