/**
 * A child process for the "killed mid-scan" test: opens the store at DATABASE_URL, imports a
 * generated snapshot big enough that storing takes a while, prints the scan ID, and waits to be
 * killed. Usage: node --import tsx scan-child.ts <accounts>
 */
import { openStore } from "@/lib/store/store";
import { ScanJobs } from "@/lib/scan/jobs";
import { smallTenant, snapshotOf } from "./fixtures";

const accounts = Number(process.argv[2] ?? 3000);
const store = await openStore({ url: process.env.DATABASE_URL });
const jobs = new ScanJobs({ store, sweepMs: 0, progressIntervalMs: 20, heartbeatMs: 100 });
const scan = await jobs.importSnapshot(snapshotOf(smallTenant(accounts, 20, 3)));
process.stdout.write(`${scan.id}\n`);
await jobs.settled(scan.id);
process.stdout.write("finished\n");
