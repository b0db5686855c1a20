/** Writes the snapshot of a generated tenant to a file: `tsx bench/make-snapshot.ts OUT SUBS ACCOUNTS SEED`. */
import { writeFileSync } from "node:fs";
import { generateTenant } from "@/emulator/tenant";
import { tenantSnapshot } from "@/emulator/snapshot";
import { withoutAzureVerdicts } from "@/lib/posture/testing/fixtures";

const [out, subs, accounts, seed] = process.argv.slice(2);
// Without Azure's verdict rows (about 14 per account): evaluate-100k and scan-cli-10k measure the
// catalogue over the accounts, as they always have; collect-10k and store-10k carry the verdicts.
// With them, a 100,000-account snapshot is more JSON than one string can hold.
const snapshot = withoutAzureVerdicts(
  tenantSnapshot(generateTenant({ subscriptions: Number(subs), accounts: Number(accounts), seed: Number(seed) }), "2026-11-28T10:00:00.000Z"),
);
writeFileSync(out, JSON.stringify(snapshot));
console.log(JSON.stringify({ resources: snapshot.resources.length }));
