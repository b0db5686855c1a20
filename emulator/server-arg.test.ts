/**
 * Resource Graph over HTTPS with the real ResourceGraphClient: paging with `$skipToken`, scoping,
 * hidden and denied subscriptions, the per-caller quota and its headers, and ARM-style 400s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { speechAccountsQuery, storageByIdQuery, subscriptionsQuery, linkedStorageQuery } from "@/lib/azure/queries";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { startEmulator, type RunningEmulator } from "./server";
import { generateTenant } from "./tenant";
import { generateEstate } from "./estate";
import { emulatorToken } from "@/lib/azure/target";
import { argRaw, clients } from "./testing/clients";

const lower = (s: unknown) => String(s).toLowerCase();

async function allPages(graph: ReturnType<typeof clients>["graph"], query: string, subscriptions?: string[], top?: number) {
  const pages: Record<string, unknown>[][] = [];
  let skipToken: string | undefined;
  do {
    const page = await graph.resources({ query, subscriptions, options: { top, skipToken } });
    pages.push(page.data as Record<string, unknown>[]);
    skipToken = page.skipToken;
  } while (skipToken);
  return pages;
}

describe("Resource Graph paging and scope", () => {
  let emu: RunningEmulator;
  let big: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
    big = await startEmulator({ quota: false, tenant: generateTenant({ seed: 4, subscriptions: 30, accounts: 2300 }) });
  });
  afterAll(async () => {
    await emu.close();
    await big.close();
  });

  it("pages a large result by 1,000 rows with $skipToken until every account is read, once", async () => {
    const { graph } = clients(big);
    const pages = await allPages(graph, speechAccountsQuery);
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 300]);
    const ids = pages.flat().map((r) => lower(r.id));
    expect(new Set(ids).size).toBe(2300);
    expect(ids).toEqual([...ids].sort());
    expect(big.stats().argCacheHits).toBe(2);
  });

  it("honours $top as the page size and reports totalRecords and count", async () => {
    const { graph } = clients(emu);
    const first = await graph.resources({ query: speechAccountsQuery, options: { top: 15 } });
    expect(first.totalRecords).toBe(40);
    expect(first.count).toBe(15);
    expect(first.resultTruncated).toBe("false");
    expect(first.skipToken).toMatch(/\S/);
    const pages = await allPages(graph, speechAccountsQuery, undefined, 15);
    expect(pages.map((p) => p.length)).toEqual([15, 15, 10]);
  });

  it("names the token `$skipToken` on the wire and takes it back as options.$skipToken", async () => {
    const first = await argRaw(emu, { query: speechAccountsQuery, options: { $top: 30 } });
    expect(first.status).toBe(200);
    expect(Object.keys(first.json)).toEqual(["totalRecords", "count", "data", "facets", "resultTruncated", "$skipToken"]);
    expect(first.json.skipToken).toBeUndefined();
    const second = await argRaw(emu, { query: speechAccountsQuery, options: { $top: 30, $skipToken: first.json.$skipToken } });
    expect(second.json.count).toBe(10);
    expect(second.json.$skipToken).toBeUndefined();
  });

  it("rejects a skip token replayed with another query or another scope (400 InvalidSkipToken)", async () => {
    const first = await argRaw(emu, { query: speechAccountsQuery, options: { $top: 5 } });
    const token = first.json.$skipToken;
    const otherQuery = await argRaw(emu, { query: `${speechAccountsQuery}\n| take 100`, options: { $skipToken: token } });
    const sub = emu.tenant.subscriptions[0].subscriptionId;
    const otherScope = await argRaw(emu, { query: speechAccountsQuery, subscriptions: [sub], options: { $skipToken: token } });
    const garbage = await argRaw(emu, { query: speechAccountsQuery, options: { $skipToken: "not-a-token" } });
    for (const r of [otherQuery, otherScope, garbage]) {
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("InvalidSkipToken");
    }
  });

  it("returns only the requested subscriptions, matched case-insensitively", async () => {
    const { graph } = clients(emu);
    const [a, b] = emu.tenant.subscriptions.filter((s) => s.visible);
    const rows = (await allPages(graph, speechAccountsQuery, [a.subscriptionId.toUpperCase(), b.subscriptionId])).flat();
    const expected = emu.tenant.resources.filter(
      (r) => isSpeechAccount(r) && [lower(a.subscriptionId), lower(b.subscriptionId)].includes(lower(r.subscriptionId)),
    );
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(emu.stats().argMaxSubscriptionsPerRequest).toBeGreaterThanOrEqual(2);
  });

  it("never returns rows of hidden subscriptions, even when asked for them by ID", async () => {
    const { graph } = clients(emu);
    const hidden = emu.tenant.subscriptions.find((s) => !s.visible)!;
    const hiddenDocs = emu.tenant.resources.filter((r) => lower(r.subscriptionId) === lower(hidden.subscriptionId));
    expect(hiddenDocs.length).toBeGreaterThan(0);
    // Only unreadable subscriptions listed: the one case Resource Graph answers 403 (azure-docs governance/resource-graph/overview.md).
    const alone = await graph.resources({ query: storageByIdQuery(hiddenDocs.map((d) => d.id)), subscriptions: [hidden.subscriptionId] }).catch((e) => e);
    expect(alone.statusCode).toBe(403);
    const visible = emu.tenant.subscriptions.find((s) => s.visible)!;
    const byId = await graph.resources({
      query: storageByIdQuery(hiddenDocs.map((d) => d.id)),
      subscriptions: [hidden.subscriptionId, visible.subscriptionId],
    });
    expect(byId.data).toEqual([]);
    const tenantScope = (await allPages(graph, "resources | project id, subscriptionId")).flat();
    expect(tenantScope.length).toBeGreaterThan(0);
    expect(tenantScope.some((r) => lower(r.subscriptionId) === lower(hidden.subscriptionId))).toBe(false);
    const subs = (await graph.resources({ query: subscriptionsQuery })).data as { subscriptionId: string; name: string }[];
    expect(subs.map((s) => s.name).sort()).toEqual(
      emu.tenant.subscriptions
        .filter((s) => s.visible)
        .map((s) => s.displayName)
        .sort(),
    );
  });

  it("answers the linked-storage join with exactly the linked storage of the scope", async () => {
    const { graph } = clients(emu);
    const sub = emu.tenant.subscriptions[0].subscriptionId;
    const rows = (await allPages(graph, linkedStorageQuery, [sub])).flat();
    const linked = new Set(
      emu.tenant.resources
        .filter((r) => isSpeechAccount(r) && lower(r.subscriptionId) === lower(sub))
        .flatMap((a) => ((a.properties?.userOwnedStorage as { resourceId: string }[] | undefined) ?? []).map((u) => lower(u.resourceId))),
    );
    const expected = emu.tenant.resources.filter(
      (r) => r.type === "microsoft.storage/storageaccounts" && lower(r.subscriptionId) === lower(sub) && linked.has(lower(r.id)),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it("treats the tenant root management group as the tenant scope and refuses others", async () => {
    const root = await argRaw(emu, { query: speechAccountsQuery, managementGroups: [emu.tenant.tenantId] });
    expect(root.json.totalRecords).toBe(40);
    const other = await argRaw(emu, { query: speechAccountsQuery, managementGroups: ["mg-elsewhere"] });
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe("AuthorizationFailed");
  });

  it("serves the table result format", async () => {
    const r = await argRaw(emu, {
      query: "resources | where type =~ 'microsoft.keyvault/vaults' | project id, props = properties, n = strlen(name) | order by id asc",
      options: { resultFormat: "table" },
    });
    expect(r.json.data.columns).toEqual([
      { name: "id", type: "string" },
      { name: "props", type: "object" },
      { name: "n", type: "integer" },
    ]);
    expect(r.json.data.rows[0]).toHaveLength(3);
  });

  it("truncates instead of paging a take/limit query (resultTruncated true, no $skipToken)", async () => {
    const r = await argRaw(emu, { query: "resources | take 25 | project id", options: { $top: 10 } });
    expect(r.json.count).toBe(10);
    expect(r.json.resultTruncated).toBe("true");
    expect(r.json.$skipToken).toBeUndefined();
  });

  it("answers an unsupported KQL operator with 400 InvalidQuery naming it", async () => {
    const { graph } = clients(emu);
    const error = await graph.resources({ query: "resources | summarize dcount(id) by type" }).catch((e) => e);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("InvalidQuery");
    expect(error.message).toMatch(/dcount/);
  });

  it("rejects unknown api-versions, bad bodies and missing tokens with ARM errors", async () => {
    const badVersion = await argRaw(emu, { query: "resources" }, "x", "/providers/Microsoft.ResourceGraph/resources?api-version=2099-01-01");
    expect(badVersion.status).toBe(400);
    expect(badVersion.json.error.code).toBe("InvalidApiVersionParameter");
    const noQuery = await argRaw(emu, { subscriptions: [] });
    expect(noQuery.status).toBe(400);
    expect(noQuery.json.error.code).toBe("InvalidRequestContent");
    const badTop = await argRaw(emu, { query: "resources", options: { $top: 5000 } });
    expect(badTop.status).toBe(400);
    const { raw } = await import("./testing/clients");
    const anonymous = await raw(`${emu.url}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
      ca: emu.ca,
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("AuthenticationFailed");
    const basic = await raw(`${emu.url}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
      ca: emu.ca,
      method: "POST",
      body: "{}",
      headers: { authorization: "Basic abc" },
    });
    expect(basic.status).toBe(401);
  });
});

describe("denied subscriptions", () => {
  // The spec wins over the emulator's old batch-wide 403: Resource Graph returns what the caller may read "without any
  // indication that the result might be partial" and answers 403 only when no listed subscription is readable
  // (azure-docs governance/resource-graph/overview.md; azure-facts §11).
  it("leave out a denied subscription's rows silently, 403 AuthorizationFailed naming /subscriptions/{id} only when nothing listed is readable", async () => {
    const emu = await startEmulator({ quota: false });
    try {
      const [a, b] = emu.tenant.subscriptions.filter((s) => s.visible);
      emu.setFaults({ deny: { subscriptions: [b.subscriptionId.toUpperCase()] } });
      const { graph } = clients(emu);
      const both = await graph.resources({ query: speechAccountsQuery, subscriptions: [a.subscriptionId, b.subscriptionId] });
      const alone = await graph.resources({ query: speechAccountsQuery, subscriptions: [a.subscriptionId] });
      expect(alone.count).toBeGreaterThan(0);
      expect(both.data).toEqual(alone.data);
      const error = await graph.resources({ query: speechAccountsQuery, subscriptions: [b.subscriptionId] }).catch((e) => e);
      expect(error.statusCode).toBe(403);
      expect(error.code).toBe("AuthorizationFailed");
      expect(error.message).toContain(`over scope '/subscriptions/${b.subscriptionId}'`);
      const listed = ((await graph.resources({ query: subscriptionsQuery })).data as { subscriptionId: string }[]).map((s) => lower(s.subscriptionId));
      expect(listed).toContain(lower(b.subscriptionId));
      const all = (await graph.resources({ query: speechAccountsQuery })).data as { subscriptionId: string }[];
      expect(all.length).toBeGreaterThan(0);
      expect(all.some((r) => lower(r.subscriptionId) === lower(b.subscriptionId))).toBe(false);
    } finally {
      await emu.close();
    }
  });
});

describe("quota", () => {
  it("reports the quota on every response and answers 429 RateLimiting without Retry-After when it is spent", async () => {
    const emu = await startEmulator({ quota: { requests: 3, windowMs: 60_000 } });
    try {
      const { graph } = clients(emu, "caller-a");
      const seen: { remaining?: string; resets?: string }[] = [];
      for (let i = 0; i < 3; i++) {
        await graph.resources(
          { query: "resources | take 1" },
          {
            onResponse: (r) => seen.push({ remaining: r.headers.get("x-ms-user-quota-remaining"), resets: r.headers.get("x-ms-user-quota-resets-after") }),
          },
        );
      }
      expect(seen.map((s) => s.remaining)).toEqual(["2", "1", "0"]);
      for (const s of seen) expect(s.resets).toMatch(/^00:0[01]:\d\d$/);
      const error = await graph.resources({ query: "resources | take 1" }).catch((e) => e);
      expect(error.statusCode).toBe(429);
      expect(error.code).toBe("RateLimiting");
      expect(error.response.headers.get("x-ms-user-quota-remaining")).toBe("0");
      expect(error.response.headers.get("x-ms-user-quota-resets-after")).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(error.response.headers.get("retry-after")).toBeUndefined();
      // The SDK did not retry it: exactly four requests reached the server.
      expect(emu.stats().argRequests).toBe(4);
      expect(emu.stats().arg429).toBe(1);
      expect(emu.stats().byCaller["caller-a"].arg429).toBe(1);
      // Another caller has its own quota.
      const other = await clients(emu, "caller-b").graph.resources({ query: "resources | take 1" });
      expect(other.count).toBe(1);
    } finally {
      await emu.close();
    }
  });

  it("keeps one quota per principal: the same application in two tenants is two principals", async () => {
    const estate = generateEstate(2, { subscriptions: 1, accounts: 1 });
    const emu = await startEmulator({ tenant: estate.home, otherTenants: estate.others, quota: { requests: 1, windowMs: 60_000 } });
    try {
      const home = emulatorToken("scanner-app", estate.home.tenantId);
      const other = emulatorToken("scanner-app", estate.others[0].tenantId);
      const body = { query: "resources | take 1" };
      expect((await argRaw(emu, body, home)).status).toBe(200);
      expect((await argRaw(emu, body, home)).status).toBe(429);
      // The other tenant's token names the same oid, yet its principal has its own window.
      expect((await argRaw(emu, body, other)).status).toBe(200);
      expect((await argRaw(emu, body, other)).status).toBe(429);
    } finally {
      await emu.close();
    }
  });

  it("opens a fresh window once the old one has passed", async () => {
    const emu = await startEmulator({ quota: { requests: 1, windowMs: 300 } });
    try {
      const { graph } = clients(emu);
      await graph.resources({ query: "resources | take 1" });
      expect((await graph.resources({ query: "resources | take 1" }).catch((e) => e)).statusCode).toBe(429);
      await new Promise((r) => setTimeout(r, 350));
      expect((await graph.resources({ query: "resources | take 1" })).count).toBe(1);
    } finally {
      await emu.close();
    }
  });

  it("defaults to 15 requests per 5 s window", async () => {
    const emu = await startEmulator({});
    try {
      const r = await argRaw(emu, { query: "resources | take 1" });
      expect(r.headers["x-ms-user-quota-remaining"]).toBe("14");
      expect(r.headers["x-ms-user-quota-resets-after"]).toBe("00:00:05");
    } finally {
      await emu.close();
    }
  });
});
