/**
 * A queue worker in its own process, for the test that kills one mid-job: works the scan queue of
 * DATABASE_URL against the emulator at EMULATOR_URL (CA in EMULATOR_CA_FILE), one job at a time.
 */
import { readFileSync } from "node:fs";
import { emulatorTarget } from "@/lib/azure/target";
import { emulatorTargetFor } from "@/lib/azure/target-credential";
import { ScanJobs } from "@/lib/scan/jobs";
import { ScanQueue, queueSettings } from "@/lib/scan/queue";
import { openStore } from "@/lib/store/store";

const url = process.env.DATABASE_URL!;
const emu = { url: process.env.EMULATOR_URL!, ca: readFileSync(process.env.EMULATOR_CA_FILE!, "utf8") };
const store = await openStore({ url });
const queue = await ScanQueue.open(url, queueSettings());
const jobs = new ScanJobs({
  store,
  queue,
  sweepMs: 0,
  heartbeatMs: 200,
  alerts: false,
  openTarget: async (_source, scanTarget) => ({ target: scanTarget ? emulatorTargetFor(scanTarget, emu) : emulatorTarget(emu), close: async () => undefined }),
});
await jobs.workQueue(1);
console.log("ready");
