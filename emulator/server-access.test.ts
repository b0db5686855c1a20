/**
 * Readable scopes per principal, the management-group tree and role assignments above the
 * subscription, perimeter associations, and the tenant-scope subscription cap, through the real
 * ResourceGraphClient and on the wire (azure-facts §11).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { startEmulator, type RunningEmulator } from "./server";
import { generateTenant } from "./tenant";
import { argRaw, clients, raw } from "./testing/clients";

const lower = (s: unknown) => String(s ?? "").toLowerCase();
type Props = Record<string, any>;
const props = (d: AzureDocument) => (d.properties ?? {}) as Props;
const BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

describe("readable scopes", () => {
  let emu: RunningEmulator;
  let sub: string;
  let other: string;
  let group: string;
  let inGroup: AzureDocument;
  let outside: AzureDocument;
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
    const visible = emu.tenant.subscriptions.filter((s) => s.visible);
    sub = visible[0].subscriptionId;
    other = visible[1].subscriptionId;
    inGroup = emu.tenant.resources.find((r) => isSpeechAccount(r) && r.subscriptionId === sub)!;
    group = inGroup.id.split("/").slice(0, 5).join("/");
    outside = emu.tenant.resources.find(
      (r) => r.type === "microsoft.storage/storageaccounts" && r.subscriptionId === sub && !lower(r.id).startsWith(`${lower(group)}/`),
    )!;
    // A resource-group-scoped Reader, configured as tests do.
    emu.setPrincipals({ "rg-reader": [group] });
  });
  afterAll(() => emu.close());

  it("Resource Graph returns only the readable rows, with no error, at tenant scope and for listed subscriptions", async () => {
    const { graph } = clients(emu, "rg-reader");
    const expected = emu.tenant.resources.filter((r) => lower(r.id).startsWith(`${lower(group)}/`)).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    for (const subscriptions of [undefined, [sub, other]]) {
      const page = await graph.resources({ query: "resources | project id", subscriptions, options: { top: 1000 } });
      expect((page.data as { id: string }[]).map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(page.resultTruncated).toBe("false");
    }
    // The unrestricted caller still reads everything.
    const all = await clients(emu, "tenant-reader").graph.resources({ query: "resources | count" });
    expect((all.data as { Count: number }[])[0].Count).toBeGreaterThan(expected.length);
  });

  it("shows a principal the role assignments at and below its scope and those it inherits from above", async () => {
    const r = await argRaw(
      emu,
      { query: "authorizationresources | project id", options: { $top: 1000, authorizationScopeFilter: "AtScopeAboveAndBelow" } },
      "rg-reader",
    );
    expect(r.status).toBe(200);
    const seen = (r.json.data as { id: string }[]).map((x) => x.id).sort();
    // The subscription's groups, walked up the tenant's tree.
    const parents = new Map(emu.tenant.managementGroups!.map((g) => [g.name, g.parent]));
    const chain: string[] = [];
    for (let g = emu.tenant.subscriptions.find((s) => s.subscriptionId === sub)!.managementGroup; g; g = parents.get(g)) chain.push(g);
    const expected = emu.tenant.roleAssignments
      .filter((a) => {
        const scope = lower(props(a).scope);
        const g = /managementgroups\/([^/]+)$/.exec(scope)?.[1];
        if (g) return chain.includes(g);
        return scope === lower(`/subscriptions/${sub}`) || scope === lower(group) || scope.startsWith(`${lower(group)}/`);
      })
      .map((a) => a.id)
      .sort();
    expect(seen).toEqual(expected);
    expect(seen.some((id) => id.startsWith("/providers/Microsoft.Management/managementGroups/mg-contoso/"))).toBe(true);
  });

  it("Resource Graph answers 403 only when none of the listed subscriptions is readable", async () => {
    const r = await argRaw(emu, { query: "resources | project id", subscriptions: [other] }, "rg-reader");
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe("AuthorizationFailed");
    expect(r.json.error.message).toContain(`over scope '/subscriptions/${other}'`);
  });

  it("ARM GET: 403 AuthorizationFailed outside the readable scope (existing or not), 404 ResourceNotFound inside it", async () => {
    const get = (id: string) => raw(`${emu.url}${id}?api-version=2025-08-01`, { ca: emu.ca, headers: { authorization: "Bearer rg-reader" } });
    const denied = await get(outside.id);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe("AuthorizationFailed");
    expect(denied.json.error.message).toContain(`over scope '${outside.id}'`);
    const missingOutside = await get(outside.id.replace(/[^/]+$/, "stnotthere"));
    expect(missingOutside.status).toBe(403);
    const missingInside = await get(`${group}/providers/Microsoft.Storage/storageAccounts/stnotthere`);
    expect(missingInside.status).toBe(404);
    expect(missingInside.json.error.code).toBe("ResourceNotFound");
    const account = await raw(`${emu.url}${inGroup.id}?api-version=2025-12-01`, { ca: emu.ca, headers: { authorization: "Bearer rg-reader" } });
    expect(account.status).toBe(200);
  });

  it("lists only the subscriptions the principal holds a role in", async () => {
    const subs = [];
    for await (const s of clients(emu, "rg-reader").subscriptions.subscriptions.list()) subs.push(s.subscriptionId);
    expect(subs).toEqual([sub]);
    const one = await raw(`${emu.url}/subscriptions/${sub}?api-version=2022-12-01`, { ca: emu.ca, headers: { authorization: "Bearer rg-reader" } });
    expect(one.status).toBe(200);
    const elsewhere = await raw(`${emu.url}/subscriptions/${other}?api-version=2022-12-01`, { ca: emu.ca, headers: { authorization: "Bearer rg-reader" } });
    expect(elsewhere.status).toBe(403);
  });

  it("lists only the readable accounts of a subscription, and refuses a subscription with nothing readable", async () => {
    const listed = [];
    for await (const a of clients(emu, "rg-reader").cognitive(sub).accounts.list()) listed.push(a.id);
    const expected = emu.tenant.resources.filter((r) => r.type === "microsoft.cognitiveservices/accounts" && lower(r.id).startsWith(`${lower(group)}/`));
    expect(listed.sort()).toEqual(expected.map((r) => r.id).sort());
    // A resource-scoped grant: the list holds that one account though the subscription holds more.
    emu.setPrincipals({ "rg-reader": [group], "one-account": [inGroup.id] });
    const single = [];
    for await (const a of clients(emu, "one-account").cognitive(sub).accounts.list()) single.push(a.id);
    expect(single).toEqual([inGroup.id]);
    expect(expected.length).toBeGreaterThan(1);
    const refused = await raw(`${emu.url}/subscriptions/${other}/providers/Microsoft.CognitiveServices/accounts?api-version=2025-12-01`, {
      ca: emu.ca,
      headers: { authorization: "Bearer rg-reader" },
    });
    expect(refused.status).toBe(403);
  });

  it("a management-group scope covers the subscriptions below it", async () => {
    const corp = emu.tenant.subscriptions.filter((s) => s.visible && s.managementGroup === "mg-corp").map((s) => s.subscriptionId);
    expect(corp.length).toBeGreaterThan(0);
    emu.setPrincipals({ "corp-reader": ["/providers/Microsoft.Management/managementGroups/mg-landingzones"] });
    try {
      const page = await clients(emu, "corp-reader").graph.resources({ query: "resources | distinct subscriptionId" });
      const seen = (page.data as { subscriptionId: string }[]).map((r) => r.subscriptionId);
      const under = emu.tenant.subscriptions.filter((s) => s.visible && ["mg-corp", "mg-nonprod"].includes(s.managementGroup!)).map((s) => s.subscriptionId);
      expect(seen.sort()).toEqual(under.sort());
    } finally {
      emu.setPrincipals({ "rg-reader": [group] });
    }
  });

  it("refuses a scope that is not an Azure scope, by setPrincipals and by the control endpoint", async () => {
    expect(() => emu.setPrincipals({ x: ["subscriptions/no-leading-slash"] })).toThrow(/'subscriptions\/no-leading-slash' \(for 'x'\) is not a readable scope/);
    const r = await raw(`${emu.url}/.emulator/principals`, { ca: emu.ca, method: "POST", body: JSON.stringify({ x: ["/nowhere"] }) });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("'/nowhere'");
    const ok = await raw(`${emu.url}/.emulator/principals`, { ca: emu.ca, method: "POST", body: JSON.stringify({ "rg-reader": [group] }) });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ "rg-reader": [lower(group)] });
  });
});

describe("management groups", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
  });
  afterAll(() => emu.close());

  it("resourcecontainers subscription rows carry managementGroupAncestorsChain, nearest first, the root group last", async () => {
    const page = await clients(emu).graph.resources({
      query:
        "resourcecontainers | where type == 'microsoft.resources/subscriptions' | project subscriptionId, chain = properties.managementGroupAncestorsChain",
    });
    const rows = page.data as { subscriptionId: string; chain: { name: string; displayName: string }[] }[];
    const prod = emu.tenant.subscriptions.find((s) => s.displayName === "contoso-speech-prod")!;
    expect(rows.find((r) => r.subscriptionId === prod.subscriptionId)!.chain).toEqual([
      { displayName: "Corp", name: "mg-corp" },
      { displayName: "Landing zones", name: "mg-landingzones" },
      { displayName: "Contoso", name: "mg-contoso" },
      { displayName: "Tenant Root Group", name: emu.tenant.tenantId },
    ]);
    expect(rows).toHaveLength(emu.tenant.subscriptions.filter((s) => s.visible).length);
  });

  it("returns role assignments at management groups only with an 'above' authorizationScopeFilter", async () => {
    const query = "authorizationresources | where type == 'microsoft.authorization/roleassignments' | project id, scope = tostring(properties.scope)";
    const atGroup = (rows: { id: string; scope: string }[]) => rows.filter((r) => /^\/providers\/Microsoft\.Management\/managementGroups\//i.test(r.scope));
    const page = async (filter?: string) => {
      const r = await argRaw(emu, { query, options: { $top: 1000, ...(filter ? { authorizationScopeFilter: filter } : {}) } });
      expect(r.status).toBe(200);
      return r.json.data as { id: string; scope: string }[];
    };
    const byDefault = await page();
    expect(atGroup(byDefault)).toEqual([]);
    expect(atGroup(await page("AtScopeAndBelow"))).toEqual([]);
    const above = await page("AtScopeAboveAndBelow");
    const groupRows = atGroup(above);
    const expected = emu.tenant.roleAssignments.filter((r) => /^\/providers\//i.test(r.id));
    expect(groupRows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    // The Blob Data Contributor grant at a management group is among them.
    expect(expected.some((r) => props(r).roleDefinitionId.endsWith(BLOB_DATA_CONTRIBUTOR))).toBe(true);
    expect(above.length).toBe(byDefault.length + groupRows.length);
    // AtScopeAndAbove: the subscriptions' own and the groups' assignments, none below a subscription.
    const onlyAbove = await page("AtScopeAndAbove");
    expect(onlyAbove.every((r) => /^\/subscriptions\/[^/]+$/i.test(r.scope) || /^\/providers\//i.test(r.scope))).toBe(true);
    expect(atGroup(onlyAbove)).toHaveLength(groupRows.length);
    const bad = await argRaw(emu, { query, options: { authorizationScopeFilter: "Everywhere" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("authorizationScopeFilter");
  });

  it("answers a management-group scope with the subscriptions below the group; an unknown group is refused", async () => {
    const r = await argRaw(emu, { query: "resources | distinct subscriptionId", managementGroups: ["mg-nonprod"] });
    expect(r.status).toBe(200);
    const expected = emu.tenant.subscriptions.filter((s) => s.visible && s.managementGroup === "mg-nonprod").map((s) => s.subscriptionId);
    expect((r.json.data as { subscriptionId: string }[]).map((x) => x.subscriptionId).sort()).toEqual(expected.sort());
    const unknown = await argRaw(emu, { query: "resources | take 1", managementGroups: ["mg-elsewhere"] });
    expect(unknown.status).toBe(403);
  });
});

describe("network security perimeters", () => {
  it("serves resource associations in `resources` with the resource, profile and access mode", async () => {
    const emu = await startEmulator({ quota: false });
    try {
      const page = await clients(emu).graph.resources({
        query:
          "resources | where type == 'microsoft.network/networksecurityperimeters/resourceassociations' | project resource = tolower(tostring(properties.privateLinkResource.id)), mode = tostring(properties.accessMode), profile = tostring(properties.profile.id)",
      });
      const rows = page.data as { resource: string; mode: string; profile: string }[];
      expect(new Set(rows.map((r) => r.mode))).toEqual(new Set(["Enforced", "Learning", "Audit"]));
      for (const r of rows) expect(r.profile).toMatch(/\/providers\/Microsoft\.Network\/networkSecurityPerimeters\/[^/]+\/profiles\/[^/]+$/);
      const secured = emu.tenant.resources.filter(
        (r) =>
          props(r).publicNetworkAccess === "SecuredByPerimeter" && emu.tenant.subscriptions.some((s) => s.visible && s.subscriptionId === r.subscriptionId),
      );
      const associated = new Set(rows.map((r) => r.resource));
      // One secured account's perimeter is in a subscription the caller cannot see: no visible association.
      expect(secured.filter((r) => !associated.has(lower(r.id)))).toHaveLength(1);
      expect(secured.some((r) => r.type === "microsoft.storage/storageaccounts" && associated.has(lower(r.id)))).toBe(true);
    } finally {
      await emu.close();
    }
  });
});

describe("tenant subscription limit", () => {
  it("covers only the first N subscriptions at tenant or management-group scope and says so in x-ms-tenant-subscription-limit-hit", async () => {
    const emu = await startEmulator({ quota: false, tenant: generateTenant({ subscriptions: 5, accounts: 10 }), tenantSubscriptionLimit: 3 });
    try {
      const query = "resourcecontainers | where type == 'microsoft.resources/subscriptions' | project subscriptionId";
      const tenantScope = await argRaw(emu, { query });
      expect(tenantScope.headers["x-ms-tenant-subscription-limit-hit"]).toBe("true");
      expect(tenantScope.json.data).toHaveLength(3);
      const group = await argRaw(emu, { query, managementGroups: ["mg-contoso"] });
      expect(group.headers["x-ms-tenant-subscription-limit-hit"]).toBe("true");
      expect(group.json.data).toHaveLength(3);
      const listed = await argRaw(emu, { query, subscriptions: emu.tenant.subscriptions.filter((s) => s.visible).map((s) => s.subscriptionId) });
      expect(listed.headers["x-ms-tenant-subscription-limit-hit"]).toBeUndefined();
      expect(listed.json.data).toHaveLength(5);
    } finally {
      await emu.close();
    }
    const roomy = await startEmulator({ quota: false, tenant: generateTenant({ subscriptions: 5, accounts: 10 }) });
    try {
      expect((await argRaw(roomy, { query: "resources | take 1" })).headers["x-ms-tenant-subscription-limit-hit"]).toBeUndefined();
    } finally {
      await roomy.close();
    }
  });
});
