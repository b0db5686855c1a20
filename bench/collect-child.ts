/** Child process of collect-10k: collects from the emulator named by a state folder and prints its figures. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { collect } from "@/lib/azure/collect";
import { emulatorTarget } from "@/lib/azure/target";
import { isSpeechAccount } from "@/lib/posture/snapshot";

const [stateDir, concurrency] = process.argv.slice(2);
const state = JSON.parse(readFileSync(join(stateDir, "emulator.json"), "utf8"));
const target = emulatorTarget({ url: state.url, ca: readFileSync(state.caPath, "utf8"), caller: "bench" });
const started = performance.now();
const { snapshot, stats } = await collect(target, { concurrency: Number(concurrency) });
const wallMs = performance.now() - started;
const byType = (t: string) => snapshot.resources.filter((r) => typeof r.type === "string" && r.type.toLowerCase() === t).length;
console.log(
  JSON.stringify({
    wallMs,
    argRequests: stats.argRequests,
    argThrottled: stats.argThrottled,
    perResourceCalls: stats.perResourceCalls,
    failedCalls: stats.failedCalls,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    accounts: snapshot.resources.filter(isSpeechAccount).length,
    subscriptions: snapshot.subscriptions.length,
    storage: byType("microsoft.storage/storageaccounts"),
    vaults: byType("microsoft.keyvault/vaults"),
  }),
);
