/**
 * "Re-check now" is the collection restricted to one account: through the real SDK clients
 * against the emulator, its verdicts equal a full scan's for that account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { collect } from "@/lib/azure/collect";
import { emulatorTarget } from "@/lib/azure/target";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { recheckAccount } from "./recheck";

let emu: RunningEmulator;
const opened = () => ({
  target: emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: { maxRetries: 1, retryDelayInMs: 5 } }),
  close: async () => undefined,
});
const recheck = (id: string) => recheckAccount(id, { source: "emulator", openTarget: async () => opened() });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quota: false, seed: 31, subscriptions: 4, accounts: 24 });
});
afterAll(() => emu.close());

describe("re-check of one resource", () => {
  it("gives every account the verdicts a full scan gives it, and only its own findings", async () => {
    const { snapshot } = await collect(opened().target);
    const full = evaluateSnapshot(snapshot).findings;
    const accounts = snapshot.resources.filter(isSpeechAccount);
    expect(accounts.length).toBeGreaterThan(10);
    for (const account of accounts) {
      const outcome = await recheck(account.id);
      const verdicts = (fs: typeof full) => fs.map((f) => `${f.controlId} ${f.status} ${f.reason ?? ""}`).sort();
      expect(outcome.findings.every((f) => idKey(f.resourceId) === idKey(account.id))).toBe(true);
      expect(verdicts(outcome.findings), account.id).toEqual(verdicts(full.filter((f) => idKey(f.resourceId) === idKey(account.id))));
    }
  });

  it("finds a key vault in any visible subscription, as a full scan does (not only the first 200)", async () => {
    const { generateTenant } = await import("@/emulator/tenant");
    const tenant = generateTenant({ seed: 32, subscriptions: 230, accounts: 60 });
    const sorted = tenant.subscriptions
      .filter((s) => s.visible)
      .map((s) => s.subscriptionId.toLowerCase())
      .sort();
    const late = new Set(sorted.slice(200));
    const vault = tenant.resources.find((r) => String(r.type).toLowerCase() === "microsoft.keyvault/vaults" && late.has(r.id.split("/")[2].toLowerCase()))!;
    const account = tenant.resources.find((r) => isSpeechAccount(r) && !late.has(r.id.split("/")[2].toLowerCase()))!;
    // A vault beyond the first 200 subscriptions, and an account within them.
    expect(vault?.id).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\//i);
    expect(account?.id).toMatch(/\/providers\/Microsoft\.CognitiveServices\/accounts\//i);
    account.properties = {
      ...account.properties,
      encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyName: "k", keyVaultUri: vault.properties!.vaultUri } },
    };
    const big = await startEmulator({ port: 0, quota: false, tenant });
    try {
      const target = emulatorTarget({ url: big.url, ca: big.ca, retryOptions: { maxRetries: 1, retryDelayInMs: 5 } });
      const outcome = await recheckAccount(account.id, { source: "emulator", openTarget: async () => ({ target, close: async () => undefined }) });
      const cmk3 = outcome.findings.find((f) => f.controlId === "CMK-3")!;
      const full = evaluateSnapshot((await collect(target)).snapshot).findings.find(
        (f) => f.controlId === "CMK-3" && idKey(f.resourceId) === idKey(account.id),
      )!;
      expect(cmk3.status).not.toBe("unknown");
      expect(`${cmk3.status} ${cmk3.reason}`).toBe(`${full.status} ${full.reason}`);
    } finally {
      await big.close();
    }
  });

  it("refuses an ID that is not a Cognitive Services account, naming it, before any call", async () => {
    const before = emu.stats().armRequests + emu.stats().argRequests;
    await expect(recheck("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1")).rejects.toThrow(
      /is not a Cognitive Services account ID/,
    );
    expect(emu.stats().armRequests + emu.stats().argRequests).toBe(before);
  });

  it("refuses an account that is not a Speech resource", async () => {
    const other = emu.tenant.resources.find((r) => String(r.type).toLowerCase() === "microsoft.cognitiveservices/accounts" && !isSpeechAccount(r))!;
    await expect(recheck(other.id)).rejects.toMatchObject({ code: "NotSpeech" });
  });
});
