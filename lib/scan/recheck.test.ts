/** Re-checking one resource against the emulator: verdicts for that resource only, an audit entry first. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { emulatorTarget } from "@/lib/azure/target";
import { CATALOG } from "@/lib/posture/controls";
import { listAudit } from "@/lib/store/audit";
import { createTestDb, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import type { Store } from "@/lib/store/store";
import { recheckResource } from "./recheck";

let emulator: RunningEmulator;
let tdb: TestDatabase;
let store: Store;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: 4, subscriptions: 1, seed: 5, quota: false });
  tdb = await createTestDb("sqlite");
  store = await tdb.open();
});
afterAll(async () => {
  await emulator?.close();
  await tdb?.dispose();
  await releaseDatabases();
});

const open = async () => ({ target: emulatorTarget(emulator), close: async () => undefined });

describe("recheckResource", () => {
  it("evaluates every control for the one resource and records who asked", async () => {
    const account = emulator.tenant.resources.find((r) => String(r.type).toLowerCase() === "microsoft.cognitiveservices/accounts")!;
    const result = await recheckResource(store, "alice@example.com", account.id as string, { source: "emulator", open });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.source).toBe("emulator");
    expect(new Set(result.findings!.map((f) => f.controlId))).toEqual(new Set(CATALOG.map((c) => c.id)));
    const [entry] = await listAudit(store, { action: "resource.rechecked" });
    expect(entry).toMatchObject({ actor: "alice@example.com", target: account.id, details: { source: "emulator" } });
  });

  it("refuses an over-long ID before recording or reading anything", async () => {
    const before = (await listAudit(store, { action: "resource.rechecked" })).length;
    let opened = false;
    const result = await recheckResource(store, "alice@example.com", `/subscriptions/${"x".repeat(2100)}`, {
      source: "emulator",
      open: async () => {
        opened = true;
        return open();
      },
    });
    expect(result).toEqual({ ok: false, error: "That is not a resource ID (over 2,048 characters)." });
    expect(opened).toBe(false);
    expect(await listAudit(store, { action: "resource.rechecked" })).toHaveLength(before);
  });

  it("says what went wrong when the source cannot be reached, after recording the attempt", async () => {
    const result = await recheckResource(
      store,
      "bob",
      "/subscriptions/00000000-0000-4000-8000-00000000beef/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/ab",
      {
        source: "emulator",
        open: async () => {
          throw new Error("No emulator is running");
        },
      },
    );
    expect(result).toEqual({ ok: false, error: "No emulator is running" });
    expect((await listAudit(store, { action: "resource.rechecked", actor: "bob" }))[0]?.target).toContain("/accounts/ab");
  });
});
