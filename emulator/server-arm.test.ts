/**
 * ARM over HTTPS with the real SubscriptionClient, MonitorClient and CognitiveServicesManagementClient:
 * shapes, nextLink paging, case-insensitive IDs, 404/403 ARM errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { startEmulator, type RunningEmulator } from "./server";
import { generateTenant } from "./tenant";
import { clients, raw } from "./testing/clients";

const lower = (s: unknown) => String(s).toLowerCase();
/** arm-monitor expands `/{+resourceUri}/providers/…`: Microsoft's samples pass the ID without its leading `/`. */
const uri = (id: string) => id.replace(/^\//, "");

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("ARM", () => {
  let emu: RunningEmulator;
  let speech: AzureDocument[];
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
    speech = emu.tenant.resources.filter(isSpeechAccount);
  });
  afterAll(() => emu.close());

  it("lists the visible subscriptions with SubscriptionClient", async () => {
    const subs = await collect(clients(emu).subscriptions.subscriptions.list());
    const visible = emu.tenant.subscriptions.filter((s) => s.visible);
    expect(subs.map((s) => [s.subscriptionId, s.displayName, s.state])).toEqual(visible.map((s) => [s.subscriptionId, s.displayName, s.state]));
    expect(subs[0].id).toBe(`/subscriptions/${visible[0].subscriptionId}`);
    expect(subs[0].tenantId).toBe(emu.tenant.tenantId);
  });

  it("pages a long subscription list with nextLink", async () => {
    const many = await startEmulator({ quota: false, tenant: generateTenant({ seed: 2, subscriptions: 230, accounts: 30 }) });
    try {
      const subs = await collect(clients(many).subscriptions.subscriptions.list());
      expect(subs).toHaveLength(230);
      expect(new Set(subs.map((s) => s.subscriptionId)).size).toBe(230);
      expect(many.stats().armRequests).toBe(3);
    } finally {
      await many.close();
    }
  });

  it("lists diagnostic settings with MonitorClient, exactly as the tenant holds them", async () => {
    const monitor = clients(emu).monitor;
    let withSettings = 0;
    for (const a of speech) {
      const values: unknown[] = [];
      const settings = await collect(
        monitor.diagnosticSettings.list(uri(a.id), { onResponse: (r) => values.push(...(r.parsedBody as unknown as { value: unknown[] }).value) }),
      );
      const expected = emu.tenant.diagnosticSettings.get(lower(a.id)) ?? [];
      expect(values).toEqual(expected);
      expect(settings.map((s) => s.name)).toEqual((expected as { name: string }[]).map((s) => s.name));
      if (expected.length) withSettings++;
    }
    expect(withSettings).toBeGreaterThan(5);
  });

  it("matches resource IDs case-insensitively", async () => {
    const a = speech.find((x) => (emu.tenant.diagnosticSettings.get(lower(x.id)) ?? []).length > 0)!;
    const settings = await collect(clients(emu).monitor.diagnosticSettings.list(uri(a.id.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"))));
    expect(settings.length).toBe(emu.tenant.diagnosticSettings.get(lower(a.id))!.length);
  });

  it("answers 404 ResourceNotFound for an unknown resource and 403 for a hidden subscription's resource", async () => {
    const a = speech[0];
    const missing = a.id.replace(/accounts\/[^/]+$/, "accounts/does-not-exist");
    const e404 = await collect(clients(emu).monitor.diagnosticSettings.list(uri(missing))).catch((e) => e);
    expect(e404.statusCode).toBe(404);
    expect(e404.code).toBe("ResourceNotFound");
    const hidden = emu.tenant.subscriptions.find((s) => !s.visible)!;
    const hiddenDoc = emu.tenant.resources.find((r) => lower(r.subscriptionId) === lower(hidden.subscriptionId))!;
    const e403 = await collect(clients(emu).monitor.diagnosticSettings.list(uri(hiddenDoc.id))).catch((e) => e);
    expect(e403.statusCode).toBe(403);
    expect(e403.code).toBe("AuthorizationFailed");
  });

  it("gets an account in the ARM GET shape with CognitiveServicesManagementClient", async () => {
    const a = speech.find((x) => (x.properties?.userOwnedStorage as unknown[] | undefined)?.length)!;
    const got = await clients(emu).cognitive(String(a.subscriptionId)).accounts.get(String(a.resourceGroup).toUpperCase(), String(a.name));
    expect(got.id).toBe(a.id);
    expect(got.type).toBe("Microsoft.CognitiveServices/accounts");
    expect(got.kind).toBe(a.kind);
    expect(got.properties?.userOwnedStorage?.[0].resourceId).toBe((a.properties!.userOwnedStorage as { resourceId: string }[])[0].resourceId);
    const body = await raw(`${emu.url}${a.id}?api-version=2025-09-01`, { ca: emu.ca, headers: { authorization: "Bearer t" } });
    expect(body.json.resourceGroup).toBeUndefined();
    expect(body.json.subscriptionId).toBeUndefined();
    expect(body.json.tenantId).toBeUndefined();
    expect(body.json.properties).toEqual(a.properties);
    expect(body.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{8,}$/i);
  });

  it("answers 400 for a missing or unknown api-version and 401 without a bearer token", async () => {
    const a = speech[0];
    const none = await raw(`${emu.url}${a.id}`, { ca: emu.ca, headers: { authorization: "Bearer t" } });
    expect(none.status).toBe(400);
    expect(none.json.error.code).toBe("MissingApiVersionParameter");
    const unknown = await raw(`${emu.url}/subscriptions?api-version=1999-01-01`, { ca: emu.ca, headers: { authorization: "Bearer t" } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe("InvalidApiVersionParameter");
    const anonymous = await raw(`${emu.url}/subscriptions?api-version=2022-12-01`, { ca: emu.ca });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("AuthenticationFailed");
    const sdk = await collect(clients(emu).subscriptions.subscriptions.list()).then(() => "ok");
    expect(sdk).toBe("ok");
  });

  it("denies ARM calls for denied resources and for resources of denied subscriptions", async () => {
    const [a, b] = speech.filter((x, i, all) => all.findIndex((y) => y.subscriptionId === x.subscriptionId) === i);
    emu.setFaults({ deny: { resources: [a.id.toUpperCase()], subscriptions: [String(b.subscriptionId)] } });
    try {
      for (const id of [a.id, b.id]) {
        const e = await collect(clients(emu).monitor.diagnosticSettings.list(uri(id))).catch((err) => err);
        expect(e.statusCode).toBe(403);
        expect(e.code).toBe("AuthorizationFailed");
        const wire = await raw(`${emu.url}${id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, {
          ca: emu.ca,
          headers: { authorization: "Bearer t" },
        });
        expect(wire.status).toBe(403);
        expect(wire.json.error.message).toContain(`over scope '${id}'`);
      }
      const other = speech.find((x) => x.subscriptionId !== a.subscriptionId && x.subscriptionId !== b.subscriptionId)!;
      expect(Array.isArray(await collect(clients(emu).monitor.diagnosticSettings.list(uri(other.id))))).toBe(true);
    } finally {
      emu.setFaults({});
    }
  });

  it("refuses a path with an empty segment instead of repairing it (the `//` arm-monitor sends for a leading-slash ID)", async () => {
    const a = speech[0];
    const r = await raw(`${emu.url}/${a.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, {
      ca: emu.ca,
      headers: { authorization: "Bearer t" },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("InvalidRequestUri");
    const sdk = await collect(clients(emu).monitor.diagnosticSettings.list(a.id)).catch((e) => e);
    expect(sdk.statusCode).toBe(400);
  });

  it("gets storage accounts and vaults by ID: 200 in the ARM shape, 404 ResourceNotFound when missing", async () => {
    const storage = emu.tenant.resources.find(
      (r) => r.type === "microsoft.storage/storageaccounts" && emu.tenant.subscriptions.some((s) => s.visible && s.subscriptionId === r.subscriptionId),
    )!;
    const vault = emu.tenant.resources.find(
      (r) => r.type === "microsoft.keyvault/vaults" && emu.tenant.subscriptions.some((s) => s.visible && s.subscriptionId === r.subscriptionId),
    )!;
    const get = (id: string, version: string) => raw(`${emu.url}${id}?api-version=${version}`, { ca: emu.ca, headers: { authorization: "Bearer t" } });
    const s = await get(storage.id, "2025-08-01");
    expect(s.status).toBe(200);
    expect(s.json.type).toBe("Microsoft.Storage/storageAccounts");
    const v = await get(vault.id, "2025-05-01");
    expect(v.status).toBe(200);
    expect(v.json.type).toBe("Microsoft.KeyVault/vaults");
    const gone = await get(storage.id.replace(/[^/]+$/, "stdoesnotexist"), "2025-08-01");
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("ResourceNotFound");
  });

  it("refuses an api-version the resource type does not publish with NoRegisteredProviderFound", async () => {
    const storage = emu.tenant.resources.find(
      (r) => r.type === "microsoft.storage/storageaccounts" && emu.tenant.subscriptions.some((s) => s.visible && s.subscriptionId === r.subscriptionId),
    )!;
    // 2025-05-01 is a Key Vault version, not a Storage one: accepted per namespace before, refused per type now.
    const r = await raw(`${emu.url}${storage.id}?api-version=2025-05-01`, { ca: emu.ca, headers: { authorization: "Bearer t" } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("NoRegisteredProviderFound");
    expect(r.json.error.message).toContain("for type 'storageAccounts'");
    expect(r.json.error.message).toContain("2025-08-01");
  });
});
