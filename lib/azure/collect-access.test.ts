/**
 * Collection as Azure really behaves (issue 13 §2), through the real SDK clients against the
 * emulator: a caller that reads only part of the tenant, linked storage Resource Graph silently
 * leaves out, grants at management groups, perimeter associations, the tenant subscription limit,
 * and the exact requests sent (no `//`, Speech to text 2025-10-15). The tenant is generated, then
 * shaped for each case before the emulator starts, so expectations come from the tenant itself.
 */
import { describe, expect, it } from "vitest";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { generateTenant, type Tenant } from "@/emulator/tenant";
import { isSpeechAccount, STORAGE_BLOB_DATA_CONTRIBUTOR, type AzureDocument } from "@/lib/posture/snapshot";
import { collect } from "./collect";
import { emulatorTarget } from "./target";

const fastRetry = { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 };
const lower = (s: string) => s.toLowerCase();
const subOf = (id: string) => lower(id.split("/")[2] ?? "");

async function withEmulator<T>(opts: Parameters<typeof startEmulator>[0], run: (emu: RunningEmulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ port: 0, quota: false, ...opts });
  try {
    return await run(emu);
  } finally {
    await emu.close();
  }
}

function visibleSubs(tenant: Tenant): Set<string> {
  return new Set(tenant.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId)));
}

function linkedIds(account: AzureDocument): string[] {
  return ((account.properties?.userOwnedStorage as { resourceId?: string }[] | undefined) ?? []).map((u) => u.resourceId ?? "").filter(Boolean);
}

/** Speech accounts in visible subscriptions whose one linked storage account exists, in a visible subscription. */
function byosAccounts(tenant: Tenant): { account: AzureDocument; storage: AzureDocument }[] {
  const visible = visibleSubs(tenant);
  const byId = new Map(tenant.resources.map((r) => [lower(r.id), r]));
  const out: { account: AzureDocument; storage: AzureDocument }[] = [];
  for (const a of tenant.resources) {
    if (!isSpeechAccount(a) || !visible.has(subOf(a.id))) continue;
    const links = linkedIds(a);
    const storage = links.length === 1 ? byId.get(lower(links[0])) : undefined;
    if (storage && visible.has(subOf(storage.id))) out.push({ account: a, storage });
  }
  return out;
}

/** Records every request URL the collector's pipelines send. */
function recorder(): { policy: PipelinePolicy; urls: string[] } {
  const urls: string[] = [];
  return { urls, policy: { name: "record", sendRequest: (req, next) => (urls.push(req.url), next(req)) } };
}

describe("a caller that reads only part of the tenant", () => {
  it("confirms each linked storage account Resource Graph did not return: 403 is hidden, 404 is gone, nothing else is guessed", async () => {
    const tenant = generateTenant({ seed: 21, subscriptions: 4, accounts: 24 });
    const cases = byosAccounts(tenant);
    // The tenant must offer two BYOS accounts with visible storage for the two cases below.
    expect(cases.length).toBeGreaterThanOrEqual(2);
    const [hiddenCase, danglingCase] = cases;
    // The second account links to a storage account that does not exist, in a subscription the caller reads.
    const gone = `/subscriptions/${subOf(danglingCase.account.id)}/resourceGroups/rg-gone/providers/Microsoft.Storage/storageAccounts/stgone${danglingCase.account.name?.length ?? 0}x`;
    (danglingCase.account.properties as Record<string, unknown>).userOwnedStorage = [{ resourceId: gone }];
    const caller = "partial-reader";
    // Reader on the two accounts, and on the group where the missing one would be (ARM says 403, not
    // 404, for a missing resource the caller could not read anyway); the existing storage is not readable.
    const principals = { [`emulator-${caller}`]: [hiddenCase.account.id, danglingCase.account.id, gone.replace(/\/providers\/.*$/, "")] };
    await withEmulator({ tenant, principals }, async (emu) => {
      const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, caller, retryOptions: fastRetry }));
      const accountsAndStorage = snapshot.resources.filter((r) => isSpeechAccount(r) || lower(String(r.type)) === "microsoft.storage/storageaccounts");
      expect(accountsAndStorage.map((r) => lower(r.id)).sort()).toEqual([lower(danglingCase.account.id), lower(hiddenCase.account.id)].sort());
      const storageErrors = snapshot.errors.filter((e) => e.source === "resourceGraph");
      expect(storageErrors).toEqual([expect.objectContaining({ scope: hiddenCase.storage.id, reason: "access_denied", code: "AuthorizationFailed" })]);
      expect(snapshot.errors.some((e) => lower(e.scope) === lower(gone))).toBe(false);
    });
  });

  it("records any other failure of the confirming read as collection_error", async () => {
    const tenant = generateTenant({ seed: 22, subscriptions: 3, accounts: 12 });
    const [c] = byosAccounts(tenant);
    const caller = "account-reader";
    await withEmulator(
      { tenant, principals: { [`emulator-${caller}`]: [c.account.id] }, faults: { serverErrors: { everyNth: 1, match: "arm" } } },
      async (emu) => {
        const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, caller, retryOptions: { maxRetries: 0 } }));
        expect(snapshot.errors).toContainEqual(expect.objectContaining({ scope: c.storage.id, source: "resourceGraph", reason: "collection_error" }));
      },
    );
  });
});

describe("management groups", () => {
  it("lists each subscription's management-group ancestors and collects grants made at a management group", async () => {
    const tenant = generateTenant({ seed: 23, subscriptions: 3, accounts: 12 });
    tenant.managementGroups = [
      { name: "mg-platform-test", displayName: "Platform" },
      { name: "mg-speech-test", displayName: "Speech", parent: "mg-platform-test" },
    ];
    for (const s of tenant.subscriptions) s.managementGroup = "mg-speech-test";
    const [c] = byosAccounts(tenant);
    const principalId = String((c.account.identity as { principalId?: unknown }).principalId);
    const scope = "/providers/Microsoft.Management/managementGroups/mg-speech-test";
    const grant: AzureDocument = {
      id: `${scope}/providers/Microsoft.Authorization/roleAssignments/0e1f6d3c-5b7a-4c2e-9d8f-1a2b3c4d5e6f`,
      name: "0e1f6d3c-5b7a-4c2e-9d8f-1a2b3c4d5e6f",
      type: "microsoft.authorization/roleassignments",
      tenantId: tenant.tenantId,
      properties: {
        scope,
        principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
      },
    };
    tenant.roleAssignments.push(grant);
    await withEmulator({ tenant }, async (emu) => {
      const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }));
      for (const s of snapshot.subscriptions)
        expect(s.managementGroupAncestors, s.subscriptionId).toEqual(["mg-speech-test", "mg-platform-test", tenant.tenantId]);
      const grants = snapshot.resources.filter((r) => lower(r.id) === lower(grant.id));
      // Once, though every batch of subscriptions below the group returns it.
      expect(grants).toHaveLength(1);
    });
  });
});

describe("network security perimeters", () => {
  it("collects the associations of the accounts and their linked storage, wherever the perimeter lives, and no others", async () => {
    const tenant = generateTenant({ seed: 24, subscriptions: 3, accounts: 12 });
    const [c] = byosAccounts(tenant);
    const other = tenant.resources.find((r) => lower(String(r.type)) === "microsoft.keyvault/vaults")!;
    const perimeterSub = tenant.subscriptions.filter((s) => s.visible).find((s) => lower(s.subscriptionId) !== subOf(c.account.id))!.subscriptionId;
    const perimeter = `/subscriptions/${perimeterSub}/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityPerimeters/nsp-test`;
    const association = (name: string, target: string, accessMode: string): AzureDocument => ({
      id: `${perimeter}/resourceAssociations/${name}`,
      name,
      type: "microsoft.network/networksecurityperimeters/resourceassociations",
      location: "westeurope",
      resourceGroup: "rg-network",
      subscriptionId: perimeterSub,
      tenantId: tenant.tenantId,
      properties: { privateLinkResource: { id: target }, profile: { id: `${perimeter}/profiles/default` }, accessMode, provisioningState: "Succeeded" },
    });
    const wanted = [association("assoc-account", c.account.id, "Enforced"), association("assoc-storage", c.storage.id, "Learning")];
    tenant.resources.push(...wanted, association("assoc-vault", other.id, "Enforced"));
    await withEmulator({ tenant }, async (emu) => {
      const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }));
      const got = snapshot.resources.filter((r) => lower(String(r.type)) === "microsoft.network/networksecurityperimeters/resourceassociations");
      const mine = got.filter((r) => r.id.startsWith(perimeter));
      expect(mine.map((r) => r.name).sort()).toEqual(["assoc-account", "assoc-storage"]);
    });
  });
});

describe("limits are never silent", () => {
  it("records that a tenant-scope listing stopped at the subscription limit, and asks for named subscriptions explicitly", async () => {
    const tenant = generateTenant({ seed: 25, subscriptions: 6, accounts: 12 });
    await withEmulator({ tenant, tenantSubscriptionLimit: 3 }, async (emu) => {
      const target = emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry });
      const all = (await collect(target)).snapshot;
      expect(all.subscriptions).toHaveLength(3);
      expect(all.errors).toContainEqual(expect.objectContaining({ scope: "/", source: "resourceGraph", code: "TenantSubscriptionLimitHit" }));

      const named = tenant.subscriptions.filter((s) => s.visible).map((s) => s.subscriptionId);
      const explicit = (await collect(target, { subscriptions: named })).snapshot;
      expect(explicit.subscriptions.map((s) => s.displayName)).toEqual(tenant.subscriptions.filter((s) => s.visible).map((s) => s.displayName));
      expect(explicit.errors.filter((e) => e.source === "resourceGraph")).toEqual([]);
    });
  });
});

describe("the requests the collector sends", () => {
  it("reads custom endpoints with Speech to text 2025-10-15 and diagnostic settings without a '//' in the path", async () => {
    const rec = recorder();
    await withEmulator({ seed: 26, subscriptions: 3, accounts: 12, privateNetwork: true }, async (emu) => {
      const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry, policies: [rec.policy] }));
      const speech = rec.urls.filter((u) => new URL(u).pathname.startsWith("/speech/"));
      expect(speech.length).toBeGreaterThan(0);
      for (const u of speech) {
        expect(new URL(u).pathname, u).toMatch(/^\/speech\/[a-z0-9-]+\/speechtotext\/endpoints$/);
        expect(new URL(u).searchParams.get("api-version"), u).toBe("2025-10-15");
      }
      const diagnostics = rec.urls.filter((u) => /diagnosticSettings/i.test(u));
      expect(diagnostics.length).toBe(snapshot.resources.filter(isSpeechAccount).length);
      for (const u of rec.urls) expect(u.slice("https://".length), u).not.toContain("//");
      expect(snapshot.errors.filter((e) => e.source === "diagnosticSettings")).toEqual([]);
    });
  });
});
