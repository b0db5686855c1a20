/**
 * Several tenants in one emulator, through the real SDK clients: a token reaches its own tenant's
 * subscriptions and those Lighthouse delegated to its principal, reported under their own tenant;
 * another tenant's subscriptions answer 401 `InvalidAuthenticationTokenTenant` on ARM and do not
 * exist for Resource Graph; management groups are the token's own tenant's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorToken } from "@/lib/azure/target";
import { subscriptionsQuery } from "@/lib/azure/queries";
import { generateEstate, LIGHTHOUSE_PRINCIPAL, type Estate } from "./estate";
import { startEmulator, type RunningEmulator } from "./server";
import { clients, speechClient } from "./testing/clients";

let emu: RunningEmulator;
let estate: Estate;
const visible = (t: Estate["home"]) => t.subscriptions.filter((s) => s.visible).map((s) => s.subscriptionId.toLowerCase());
const sorted = (xs: string[]) => [...xs].map((x) => x.toLowerCase()).sort();

beforeAll(async () => {
  estate = generateEstate(3, { subscriptions: 3, accounts: 12 });
  emu = await startEmulator({ tenant: estate.home, otherTenants: estate.others, delegations: estate.delegations, quota: false });
});
afterAll(() => emu?.close());

const homeToken = () => emulatorToken(LIGHTHOUSE_PRINCIPAL, estate.home.tenantId);
const delegated = () => estate.delegations[0].subscriptionId.toLowerCase();

async function listedSubscriptions(token: string, managementGroups?: string[]) {
  const { graph } = clients(emu, token);
  const page = await graph.resources({ query: subscriptionsQuery, managementGroups, options: { resultFormat: "objectArray" } });
  return (page.data as { subscriptionId: string; tenantId: string }[]).map((r) => ({ id: r.subscriptionId.toLowerCase(), tenantId: r.tenantId }));
}

describe("several tenants and Lighthouse", () => {
  it("generates distinct tenants, each with its own subscriptions, and delegates one customer subscription to the home scanner", () => {
    const ids = [estate.home, ...estate.others].map((t) => t.tenantId);
    expect(new Set(ids).size).toBe(3);
    const all = [estate.home, ...estate.others].flatMap(visible);
    expect(new Set(all).size).toBe(all.length);
    // Account, storage and vault names are DNS names in Azure: unique across the tenants served together.
    const global = [estate.home, ...estate.others]
      .flatMap((t) => t.resources)
      .filter((r) => /^microsoft\.(cognitiveservices\/accounts|storage\/storageaccounts|keyvault\/vaults)$/i.test(r.type ?? ""))
      .map((r) => `${r.type!.toLowerCase()}/${r.name!.toLowerCase()}`);
    expect(global.length).toBeGreaterThan(30);
    expect(new Set(global).size).toBe(global.length);
    expect(estate.delegations).toEqual([
      {
        subscriptionId: estate.others[0].subscriptions.find((s) => s.visible)!.subscriptionId,
        managingTenantId: estate.home.tenantId,
        principal: LIGHTHOUSE_PRINCIPAL,
      },
    ]);
  });

  it("Resource Graph at tenant scope: the home token sees its tenant plus the delegated subscription, reported under the customer's tenant", async () => {
    const rows = await listedSubscriptions(homeToken());
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted([...visible(estate.home), delegated()]));
    expect(rows.find((r) => r.id === delegated())!.tenantId).toBe(estate.others[0].tenantId);
    for (const r of rows.filter((r) => r.id !== delegated())) expect(r.tenantId).toBe(estate.home.tenantId);
  });

  it("a token of another tenant sees only that tenant; a principal without the delegation does not see the delegated subscription", async () => {
    const third = estate.others[1];
    const rows = await listedSubscriptions(emulatorToken(LIGHTHOUSE_PRINCIPAL, third.tenantId));
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(visible(third)));
    // The demo's scanner, in the managing tenant but not the delegation's principal.
    const stranger = await listedSubscriptions(emulatorToken("emulator-speech-posture", estate.home.tenantId));
    expect(sorted(stranger.map((r) => r.id))).toEqual(sorted(visible(estate.home)));
  });

  it("a plain token (no tenant claim) belongs to the home tenant, as before", async () => {
    const rows = await listedSubscriptions("plain-caller");
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(visible(estate.home)));
  });

  it("management groups are the token's own tenant's: the same name scopes each tenant's own tree", async () => {
    const home = await listedSubscriptions(homeToken(), ["mg-contoso"]);
    expect(sorted(home.map((r) => r.id))).toEqual(sorted(visible(estate.home)));
    const customer = estate.others[0];
    const theirs = await listedSubscriptions(emulatorToken("emulator-customer", customer.tenantId), ["mg-contoso"]);
    expect(sorted(theirs.map((r) => r.id))).toEqual(sorted(visible(customer)));
    // The customer's root group is not the managing tenant's to query.
    const { graph } = clients(emu, homeToken());
    await expect(graph.resources({ query: subscriptionsQuery, managementGroups: [customer.tenantId] })).rejects.toMatchObject({ statusCode: 403 });
  });

  it("Resource Graph refuses (403) a query naming only another tenant's non-delegated subscription, and leaves it out beside a readable one", async () => {
    const foreign = visible(estate.others[0]).find((s) => s !== delegated())!;
    const { graph } = clients(emu, homeToken());
    await expect(graph.resources({ query: subscriptionsQuery, subscriptions: [foreign] })).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthorizationFailed",
    });
    const mixed = await graph.resources({ query: subscriptionsQuery, subscriptions: [foreign, visible(estate.home)[0]] });
    expect((mixed.data as { subscriptionId: string }[]).map((r) => r.subscriptionId.toLowerCase())).toEqual([visible(estate.home)[0]]);
  });

  it("ARM lists the delegated subscription under its own tenant with the managing tenant in managedByTenants", async () => {
    const { subscriptions } = clients(emu, homeToken());
    const listed = [];
    for await (const s of subscriptions.subscriptions.list()) listed.push(s);
    const d = listed.find((s) => s.subscriptionId?.toLowerCase() === delegated())!;
    expect(d.tenantId).toBe(estate.others[0].tenantId);
    expect(d.managedByTenants).toEqual([{ tenantId: estate.home.tenantId }]);
    expect(sorted(listed.map((s) => s.subscriptionId!))).toEqual(sorted([...visible(estate.home), delegated()]));
  });

  it("ARM answers 401 InvalidAuthenticationTokenTenant for another tenant's subscription, and serves the delegated one", async () => {
    const foreign = visible(estate.others[0]).find((s) => s !== delegated())!;
    const { cognitive } = clients(emu, homeToken());
    const refused = cognitive(foreign).accounts.list().next();
    await expect(refused).rejects.toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenTenant" });
    await expect(refused).rejects.toThrow(`must match the tenant 'https://sts.windows.net/${estate.others[0].tenantId}/'`);
    const served = [];
    for await (const a of cognitive(delegated()).accounts.list()) served.push(a);
    const expected = estate.others[0].resources.filter(
      (r) => r.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" && r.id.split("/")[2].toLowerCase() === delegated(),
    );
    expect(sorted(served.map((a) => a.id!))).toEqual(sorted(expected.map((a) => a.id)));
  });

  it("the Speech data plane refuses a token of another tenant (401) for an account in a non-delegated subscription", async () => {
    const customer = estate.others[0];
    const account = customer.resources.find(
      (r) =>
        r.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" &&
        r.id.split("/")[2].toLowerCase() !== delegated() &&
        typeof (r.properties as { customSubDomainName?: unknown } | null)?.customSubDomainName === "string",
    );
    expect(account, "the customer tenant has an account with a custom subdomain outside the delegated subscription").toBeDefined();
    const sub = (account!.properties as { customSubDomainName: string }).customSubDomainName;
    const get = speechClient(emu, homeToken());
    const res = await get(`${emu.url}/speech/${sub}/speechtotext/endpoints?api-version=2025-10-15`);
    // A closed network answers 403 before the token is looked at; any other account answers 401.
    const props = account!.properties as { publicNetworkAccess?: string; networkAcls?: { defaultAction?: string } };
    const closed = props.publicNetworkAccess?.toLowerCase() === "disabled" || props.networkAcls?.defaultAction?.toLowerCase() === "deny";
    if (closed) expect(res.status).toBe(403);
    else expect(res).toMatchObject({ status: 401, body: { error: { code: "InvalidAuthenticationTokenTenant" } } });
  });

  it("`tenants: n` (the command's --tenants) serves exactly generateEstate(n), which the browser tests rely on", async () => {
    const served = await startEmulator({ tenants: 3, quota: false });
    try {
      const expected = generateEstate(3);
      expect([served.tenant, ...served.otherTenants].map((t) => t.tenantId)).toEqual([expected.home, ...expected.others].map((t) => t.tenantId));
      const rows = await (async () => {
        const { graph } = clients(served, emulatorToken(LIGHTHOUSE_PRINCIPAL, expected.home.tenantId));
        const page = await graph.resources({ query: subscriptionsQuery });
        return (page.data as { subscriptionId: string }[]).map((r) => r.subscriptionId.toLowerCase());
      })();
      expect(rows).toContain(expected.delegations[0].subscriptionId.toLowerCase());
    } finally {
      await served.close();
    }
  });

  it("refuses a delegation that names an unknown managing tenant or the subscription's own tenant", async () => {
    const sub = estate.others[0].subscriptions[0].subscriptionId;
    await expect(
      startEmulator({ tenant: estate.home, otherTenants: estate.others, delegations: [{ subscriptionId: sub, managingTenantId: "nobody", principal: "p" }] }),
    ).rejects.toThrow("managing tenant 'nobody' is not served");
    await expect(
      startEmulator({
        tenant: estate.home,
        otherTenants: estate.others,
        delegations: [{ subscriptionId: sub, managingTenantId: estate.others[0].tenantId, principal: "p" }],
      }),
    ).rejects.toThrow("the managing tenant is its own tenant");
  });
});
