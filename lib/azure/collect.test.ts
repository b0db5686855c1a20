/**
 * Collection against the emulator over HTTPS with the real SDK clients: paging, batching, quota
 * pacing, 429 storms, 403s, 500s and cancellation. Expected values come from the generated tenant
 * itself, not from the collector's logic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { generateTenant, type Tenant } from "@/emulator/tenant";
import { collect } from "./collect";
import { emulatorTarget } from "./target";
import { isSpeechAccount, type AzureDocument, type Snapshot } from "@/lib/posture/snapshot";

const fastRetry = { maxRetries: 4, retryDelayInMs: 20, maxRetryDelayInMs: 100 };

function lower(s: string) {
  return s.toLowerCase();
}

function visibleSubs(tenant: Tenant): Set<string> {
  return new Set(tenant.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId)));
}

function subOf(doc: AzureDocument): string {
  return lower(doc.id.split("/")[2] ?? "");
}

function ids(docs: AzureDocument[]): string[] {
  return docs.map((d) => lower(d.id)).sort();
}

function accountsOf(snapshot: Snapshot) {
  return snapshot.resources.filter(isSpeechAccount);
}

function typed(snapshot: Snapshot, type: string) {
  return snapshot.resources.filter((r) => typeof r.type === "string" && r.type.toLowerCase() === type);
}

async function withEmulator<T>(opts: Parameters<typeof startEmulator>[0], run: (emu: RunningEmulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ port: 0, ...opts });
  try {
    return await run(emu);
  } finally {
    await emu.close();
  }
}

describe("collect from the demo tenant", () => {
  let emu: RunningEmulator;
  let snapshot: Snapshot;
  let tenant: Tenant;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    tenant = emu.tenant;
    ({ snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry })));
  });
  afterAll(() => emu.close());

  it("lists exactly the visible subscriptions with their names", () => {
    const expected = tenant.subscriptions.filter((s) => s.visible);
    expect(snapshot.subscriptions.map((s) => lower(s.subscriptionId)).sort()).toEqual(expected.map((s) => lower(s.subscriptionId)).sort());
    for (const s of expected) {
      expect(snapshot.subscriptions.find((x) => lower(x.subscriptionId) === lower(s.subscriptionId))?.displayName).toBe(s.displayName);
    }
  });

  it("collects every Speech account of the visible subscriptions and no other kind", () => {
    const visible = visibleSubs(tenant);
    const expected = tenant.resources.filter((r) => isSpeechAccount(r) && visible.has(subOf(r)));
    expect(ids(accountsOf(snapshot))).toEqual(ids(expected));
    const nonSpeech = snapshot.resources.filter(
      (r) => typeof r.type === "string" && lower(r.type) === "microsoft.cognitiveservices/accounts" && !isSpeechAccount(r),
    );
    expect(nonSpeech).toEqual([]);
  });

  it("follows userOwnedStorage to exactly the linked storage accounts that exist in scanned subscriptions", () => {
    const visible = visibleSubs(tenant);
    const linked = new Set<string>();
    for (const a of tenant.resources.filter((r) => isSpeechAccount(r) && visible.has(subOf(r)))) {
      for (const u of (a.properties?.userOwnedStorage as { resourceId?: string }[] | undefined) ?? []) if (u.resourceId) linked.add(lower(u.resourceId));
    }
    const expected = tenant.resources.filter(
      (r) => lower(r.type ?? "") === "microsoft.storage/storageaccounts" && linked.has(lower(r.id)) && visible.has(subOf(r)),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(typed(snapshot, "microsoft.storage/storageaccounts"))).toEqual(ids(expected));
  });

  it("reads the key vaults that hold keys in use", () => {
    const vaults = typed(snapshot, "microsoft.keyvault/vaults");
    expect(vaults.length).toBeGreaterThan(0);
    const uris = new Set(
      [...accountsOf(snapshot), ...typed(snapshot, "microsoft.storage/storageaccounts")].flatMap((d) => {
        const enc = d.properties?.encryption as Record<string, any> | undefined;
        return [enc?.keyVaultProperties?.keyVaultUri, enc?.keyvaultproperties?.keyvaulturi]
          .filter(Boolean)
          .map((u: string) => new URL(u).hostname.split(".")[0].toLowerCase());
      }),
    );
    for (const v of vaults) expect(uris.has(lower(v.name ?? ""))).toBe(true);
  });

  it("keeps only Storage Blob Data Contributor assignments of the accounts' identities", () => {
    const principals = new Set(accountsOf(snapshot).map((a) => lower(String((a.identity as any)?.principalId ?? ""))));
    const roles = typed(snapshot, "microsoft.authorization/roleassignments");
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) {
      expect(principals.has(lower(String((r.properties as any).principalId)))).toBe(true);
      expect(lower(String((r.properties as any).roleDefinitionId))).toMatch(/ba92f5b4-2d11-453d-a403-e96b0029c9fe$/);
    }
    expect(snapshot.coverage).toEqual(["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints", "azurePolicy", "defender"]);
  });

  it("reads diagnostic settings of every account, as Azure returned them", () => {
    for (const a of accountsOf(snapshot)) {
      const got = snapshot.diagnosticSettings[a.id];
      expect(got, a.id).toEqual(tenant.diagnosticSettings.get(lower(a.id)) ?? []);
    }
  });

  it("reads custom endpoints where the data plane is reachable, and records why elsewhere", () => {
    for (const a of accountsOf(snapshot)) {
      const sub = a.properties?.customSubDomainName as string | undefined;
      const closed = a.properties?.publicNetworkAccess === "Disabled" || (a.properties?.networkAcls as any)?.defaultAction === "Deny";
      const error = snapshot.errors.find((e) => e.scope === a.id && e.source === "speechEndpoints");
      if (!sub) {
        expect(error?.code, a.id).toBe("NoCustomSubdomain");
        expect(error?.reason).toBe("collection_error");
      } else if (closed) {
        expect(error?.reason, a.id).toBe("network_blocked");
        expect(snapshot.speechEndpoints[a.id]).toBeUndefined();
      } else {
        expect(error, a.id).toBeUndefined();
        expect(Array.isArray(snapshot.speechEndpoints[a.id])).toBe(true);
      }
    }
    expect(snapshot.errors.some((e) => e.reason === "network_blocked")).toBe(true);
    expect(snapshot.errors.some((e) => e.code === "NoCustomSubdomain")).toBe(true);
  });
});

describe("collect at scale and under faults", () => {
  it("pages through more than 1,000 accounts and batches subscriptions by at most 200", async () => {
    const tenant = generateTenant({ seed: 5, subscriptions: 450, accounts: 2600 });
    await withEmulator({ tenant, quota: false }, async (emu) => {
      const { snapshot, stats } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }), { concurrency: 32 });
      const visible = visibleSubs(tenant);
      const expected = tenant.resources.filter((r) => isSpeechAccount(r) && visible.has(subOf(r)));
      expect(expected.length).toBeGreaterThan(2000);
      expect(accountsOf(snapshot).length).toBe(expected.length);
      const s = emu.stats();
      expect(s.argMaxSubscriptionsPerRequest).toBeLessThanOrEqual(200);
      expect(s.argMaxSubscriptionsPerRequest).toBeGreaterThan(100);
      expect(stats.argRequests).toBe(s.argRequests);
    });
  });

  it("paces itself by the quota headers and receives no 429", async () => {
    const tenant = generateTenant({ seed: 9, subscriptions: 30, accounts: 60 });
    await withEmulator({ tenant, quota: { requests: 4, windowMs: 700 } }, async (emu) => {
      const { snapshot, stats } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }), { subscriptions: undefined });
      expect(stats.argRequests).toBeGreaterThan(4);
      expect(emu.stats().arg429).toBe(0);
      expect(stats.argThrottled).toBe(0);
      expect(accountsOf(snapshot).length).toBeGreaterThan(0);
    });
  });

  it("rides out a 429 storm without Retry-After and still returns everything", async () => {
    const tenant = generateTenant({ seed: 11, subscriptions: 8, accounts: 30 });
    const baseline = await withEmulator(
      { tenant, quota: false },
      async (emu) => (await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }))).snapshot,
    );
    await withEmulator({ tenant, quota: false, faults: { throttleStorm: { count: 4 } } }, async (emu) => {
      const { snapshot, stats } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }));
      expect(stats.argThrottled + (emu.stats().status?.[429] ?? 0)).toBeGreaterThan(0);
      expect(ids(snapshot.resources)).toEqual(ids(baseline.resources));
      expect(snapshot.errors).toEqual(baseline.errors);
    });
  });

  it("keeps everything else when a subscription or a resource is denied, and records a scope Resource Graph refuses", async () => {
    const tenant = generateTenant({ seed: 13, subscriptions: 10, accounts: 50 });
    const visible = tenant.subscriptions.filter((s) => s.visible);
    const denied = visible[3].subscriptionId;
    const accountsElsewhere = tenant.resources.filter((r) => isSpeechAccount(r) && visibleSubs(tenant).has(subOf(r)) && subOf(r) !== lower(denied));
    const deniedResource = accountsElsewhere[0].id;
    await withEmulator({ tenant, quota: false, faults: { deny: { subscriptions: [denied], resources: [deniedResource] } } }, async (emu) => {
      const target = emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry });
      const { snapshot } = await collect(target);
      // In a batch, Resource Graph leaves the unreadable subscription out without saying so.
      expect(ids(accountsOf(snapshot))).toEqual(ids(accountsElsewhere));
      expect(snapshot.errors).toContainEqual(expect.objectContaining({ scope: deniedResource, source: "diagnosticSettings", reason: "access_denied" }));
      // The denied subscription is still listed, so reports show it.
      expect(snapshot.subscriptions.map((s) => lower(s.subscriptionId))).toContain(lower(denied));

      // Alone in its scope it is refused with 403, and that is recorded against it.
      const alone = (await collect(target, { subscriptions: [denied] })).snapshot;
      expect(alone.errors).toContainEqual(
        expect.objectContaining({ scope: `/subscriptions/${denied}`, source: "resourceGraph", reason: "access_denied", code: "AuthorizationFailed" }),
      );
      expect(accountsOf(alone)).toEqual([]);
    });
  });

  it("retries 500s and records a resource whose calls keep failing", async () => {
    const tenant = generateTenant({ seed: 17, subscriptions: 5, accounts: 20 });
    const baseline = await withEmulator(
      { tenant, quota: false },
      async (emu) => (await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }))).snapshot,
    );
    await withEmulator({ tenant, quota: false, faults: { serverErrors: { everyNth: 5 } } }, async (emu) => {
      const { snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }));
      expect(emu.stats().status?.[500] ?? 0).toBeGreaterThan(0);
      expect(ids(snapshot.resources)).toEqual(ids(baseline.resources));
      expect(snapshot.diagnosticSettings).toEqual(baseline.diagnosticSettings);
    });
    await withEmulator({ tenant, quota: false, faults: { serverErrors: { everyNth: 1, match: "arm" } } }, async (emu) => {
      const { snapshot, stats } = await collect(
        emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 } }),
      );
      const accounts = accountsOf(snapshot);
      expect(accounts.length).toBe(accountsOf(baseline).length);
      for (const a of accounts) {
        expect(snapshot.errors).toContainEqual(expect.objectContaining({ scope: a.id, source: "diagnosticSettings", reason: "collection_error" }));
      }
      expect(stats.failedCalls).toBeGreaterThanOrEqual(accounts.length);
    });
  });

  it("stops promptly when cancelled and returns no partial snapshot", async () => {
    const tenant = generateTenant({ seed: 19, subscriptions: 20, accounts: 400 });
    await withEmulator({ tenant, quota: false, latencyMs: 30 }, async (emu) => {
      const controller = new AbortController();
      const promise = collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "details" || p.done > 20) controller.abort();
        },
      });
      await expect(promise).rejects.toMatchObject({ name: "AbortError" });
      const callsAtAbort = emu.stats().armRequests + emu.stats().speechRequests;
      await new Promise((r) => setTimeout(r, 300));
      // Nothing more is sent after the abort settles (allow the calls already in flight).
      expect(emu.stats().armRequests + emu.stats().speechRequests - callsAtAbort).toBeLessThanOrEqual(32);
    });
  });
});
