/** Writes the snapshot of a generated tenant to a file: `tsx bench/make-snapshot.ts OUT SUBS ACCOUNTS SEED`. */
import { writeFileSync } from "node:fs";
import { generateTenant } from "@/emulator/tenant";
import { tenantSnapshot } from "@/emulator/snapshot";

const [out, subs, accounts, seed] = process.argv.slice(2);
const snapshot = tenantSnapshot(generateTenant({ subscriptions: Number(subs), accounts: Number(accounts), seed: Number(seed) }), "2026-11-28T10:00:00.000Z");
writeFileSync(out, JSON.stringify(snapshot));
console.log(JSON.stringify({ resources: snapshot.resources.length }));
