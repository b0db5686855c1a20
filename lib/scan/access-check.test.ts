/** "Check access" on Settings against the emulator: the doctor's report, audited first; an unreachable source is a message. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { emulatorTarget } from "@/lib/azure/target";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { generateTenant } from "@/emulator/tenant";
import { listAudit } from "@/lib/store/audit";
import { createTestDb, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import type { Store } from "@/lib/store/store";
import { checkAccess } from "./access-check";

let emulator: RunningEmulator;
let tdb: TestDatabase;
let store: Store;
const tenant = generateTenant({ seed: 43, subscriptions: 2, accounts: 6 });
beforeAll(async () => {
  // One principal reads only the Speech resources: its linked storage stays hidden from it.
  const accounts = tenant.resources.filter(isSpeechAccount).map((a) => a.id);
  emulator = await startEmulator({ port: 0, tenant, quota: false, principals: { "emulator-accounts-only": accounts } });
  tdb = await createTestDb("sqlite");
  store = await tdb.open();
});
afterAll(async () => {
  await emulator?.close();
  await tdb?.dispose();
  await releaseDatabases();
});

const open = (caller?: string) => async () => ({ target: emulatorTarget({ url: emulator.url, ca: emulator.ca, caller }), close: async () => undefined });

describe("checkAccess", () => {
  it("reports no gap for the demo's own reader, and records who checked", async () => {
    const result = await checkAccess(store, "admin@example.com", { source: "emulator", open: open() });
    if (!result.ok) throw new Error(result.error);
    expect(result.report.gaps).toBe(0);
    expect(result.report.subscriptions.length).toBe(tenant.subscriptions.filter((s) => s.visible).length);
    const [entry] = await listAudit(store, { action: "access.checked" });
    expect(entry).toMatchObject({ actor: "admin@example.com", target: "emulator", details: { source: "emulator" } });
  });

  it("names the gap, the controls it leaves unknown and the role to grant", async () => {
    const result = await checkAccess(store, "admin@example.com", { source: "emulator", open: open("accounts-only") });
    if (!result.ok) throw new Error(result.error);
    const storage = result.report.checks.find((c) => c.id === "linkedStorage")!;
    expect(storage).toMatchObject({ status: "gap", unknownControls: expect.arrayContaining(["BYOS-2", "CMK-2", "LBX-1"]) });
    expect(storage.grant).toMatch(/Reader/);
  });

  it("says why when the source cannot be reached, without throwing", async () => {
    const result = await checkAccess(store, "admin@example.com", {
      source: "emulator",
      open: async () => {
        throw new Error("No running emulator at data/nowhere\nstack…");
      },
    });
    expect(result).toEqual({ ok: false, source: "emulator", error: "The check could not run: No running emulator at data/nowhere" });
  });
});
