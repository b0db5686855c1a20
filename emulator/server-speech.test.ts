/**
 * The Speech data plane through a core-rest-pipeline with the bearer policy: `GET /speechtotext/endpoints`
 * on 2025-10-15 (specs `data-plane/Speech/SpeechToText/stable/2025-10-15`), `@nextLink` and `self` on the
 * emulator's own origin, retired v3.x paths, closed networks refused with the service's messages, 404s and 403s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { startEmulator, type RunningEmulator } from "./server";
import { generateTenant, type Tenant } from "./tenant";
import { speechClient } from "./testing/clients";

const lower = (s: unknown) => String(s).toLowerCase();
type Props = Record<string, any>;
const props = (d: AzureDocument) => (d.properties ?? {}) as Props;
const closedByPna = (a: AzureDocument) => props(a).publicNetworkAccess === "Disabled";
const closedByFirewall = (a: AzureDocument) => !closedByPna(a) && props(a).networkAcls?.defaultAction === "Deny";
const open = (a: AzureDocument) => !closedByPna(a) && !closedByFirewall(a);

describe("Speech data plane", () => {
  let tenant: Tenant;
  let emu: RunningEmulator;
  let inside: RunningEmulator;
  let busy: AzureDocument;
  beforeAll(async () => {
    tenant = generateTenant();
    const speech = tenant.resources.filter((r) => isSpeechAccount(r) && props(r).customSubDomainName);
    busy = speech.find(open)!;
    // Give one open account five endpoints so paging has something to page.
    const template = [...tenant.speechEndpoints.values()].flat()[0] as Props;
    tenant.speechEndpoints.set(
      lower(busy.id),
      Array.from({ length: 5 }, (_, i) => ({ ...template, displayName: `endpoint ${i}` })),
    );
    emu = await startEmulator({ tenant, quota: false });
    inside = await startEmulator({ tenant, quota: false, privateNetwork: true });
  });
  afterAll(async () => {
    await emu.close();
    await inside.close();
  });

  const V = "api-version=2025-10-15";
  const root = (e: RunningEmulator, a: AzureDocument, origin = e.url) => `${origin}/speech/${props(a).customSubDomainName}/speechtotext/endpoints`;
  const base = (e: RunningEmulator, a: AzureDocument, origin = e.url) => `${root(e, a, origin)}?${V}`;

  it("pages custom endpoints with an absolute @nextLink on the emulator and ends without one", async () => {
    const get = speechClient(emu);
    const names: string[] = [];
    const links: string[] = [];
    let url: string | undefined = `${base(emu, busy)}&top=2`;
    while (url) {
      const r = await get(url);
      expect(r.status).toBe(200);
      names.push(...r.body.values.map((v: Props) => v.displayName));
      url = r.body["@nextLink"];
      if (url) links.push(url);
    }
    expect(names).toEqual(["endpoint 0", "endpoint 1", "endpoint 2", "endpoint 3", "endpoint 4"]);
    // As in the spec's example: skip and top first, api-version last.
    expect(links).toEqual([`${root(emu, busy)}?skip=2&top=2&${V}`, `${root(emu, busy)}?skip=4&top=2&${V}`]);
    const whole = await get(base(emu, busy));
    expect(whole.body.values).toHaveLength(5);
    expect(whole.body["@nextLink"]).toBeUndefined();
  });

  it("returns the tenant's endpoint objects, loggingEnabled included, with self links on the host the request went to", async () => {
    const get = speechClient(emu);
    const withEndpoints = tenant.resources.filter((a) => isSpeechAccount(a) && open(a) && (tenant.speechEndpoints.get(lower(a.id)) ?? []).length > 0);
    expect(withEndpoints.length).toBeGreaterThan(1);
    for (const a of withEndpoints) {
      const r = await get(base(emu, a));
      const held = tenant.speechEndpoints.get(lower(a.id)) as Props[];
      // The spec's examples put `self` (and model.self) on the called host, with the requested api-version.
      const rehosted = (link: string) => link.replace(/^https:\/\/[^/]+\/speechtotext/, `${emu.url}/speech/${props(a).customSubDomainName}/speechtotext`);
      expect(r.body.values).toEqual(
        held.map((e) => ({ ...e, self: rehosted(e.self), model: { self: rehosted(e.model.self) }, project: { self: rehosted(e.project.self) } })),
      );
      for (const v of r.body.values) expect(v.self).toMatch(new RegExp(`^${emu.url}/speech/[^/]+/speechtotext/endpoints/[0-9a-f-]{36}\\?${V}$`));
    }
  });

  it("gets one endpoint by ID, and 404 in the service's error shape for an unknown ID", async () => {
    const get = speechClient(emu);
    const first = (await get(base(emu, busy))).body.values[0];
    const one = await get(first.self);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(first);
    const missing = await get(`${root(emu, busy)}/00000000-0000-0000-0000-000000000000?${V}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("NotFound");
  });

  it("answers the retired v3.0–v3.2 paths with 404 and a message naming the retirement", async () => {
    const get = speechClient(emu);
    for (const version of ["v3.0", "v3.1", "v3.2", "v3.2-preview.2"]) {
      const r = await get(`${emu.url}/speech/${props(busy).customSubDomainName}/speechtotext/${version}/endpoints?top=100`);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe("NotFound");
      expect(r.body.message).toContain("retired");
    }
  });

  it("builds @nextLink on the origin the client used (localhost is in the certificate)", async () => {
    const viaLocalhost = `https://localhost:${emu.port}`;
    const r = await speechClient(emu)(`${base(emu, busy, viaLocalhost)}&top=3`);
    expect(r.body["@nextLink"]).toBe(`${root(emu, busy, viaLocalhost)}?skip=3&top=3&${V}`);
    expect(r.body.values[0].self.startsWith(`${root(emu, busy, viaLocalhost)}/`)).toBe(true);
  });

  it("serves the other GA version 2024-11-15 and refuses unknown or missing api-versions", async () => {
    const get = speechClient(emu);
    const dated = await get(`${root(emu, busy)}?api-version=2024-11-15&top=4`);
    expect(dated.body.values).toHaveLength(4);
    expect(dated.body["@nextLink"]).toBe(`${root(emu, busy)}?skip=4&top=4&api-version=2024-11-15`);
    expect(dated.body.values[0].self).toMatch(/\?api-version=2024-11-15$/);
    for (const url of [`${root(emu, busy)}?api-version=2019-01-01`, root(emu, busy)]) {
      const bad = await get(url);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe("InvalidRequest");
    }
  });

  it("refuses a closed network with 403 and the service's messages, unless the scanner is inside it", async () => {
    const get = speechClient(emu);
    const speech = tenant.resources.filter((r) => isSpeechAccount(r) && props(r).customSubDomainName);
    const pna = speech.find(closedByPna)!;
    const firewall = speech.find(closedByFirewall)!;
    const a = await get(base(emu, pna));
    expect(a.status).toBe(403);
    expect(a.body).toEqual({ error: { code: "Forbidden", message: "Public access is disabled. Please configure private endpoint." } });
    const b = await get(base(emu, firewall));
    expect(b.status).toBe(403);
    expect(b.body).toEqual({ error: { code: "Forbidden", message: "Access denied due to Virtual Network/Firewall rules." } });
    const getInside = speechClient(inside);
    expect((await getInside(base(inside, pna))).status).toBe(200);
    expect((await getInside(base(inside, firewall))).status).toBe(200);
  });

  it("answers 404 for unknown subdomains and non-Speech accounts, 401 without a token, 400 for bad paging", async () => {
    const get = speechClient(emu);
    const unknown = await get(`${emu.url}/speech/no-such-subdomain/speechtotext/endpoints?${V}`);
    expect(unknown.status).toBe(404);
    const other = tenant.resources.find((r) => r.type === "microsoft.cognitiveservices/accounts" && !isSpeechAccount(r) && props(r).customSubDomainName);
    expect(other).toBeDefined();
    expect((await get(base(emu, other!))).status).toBe(404);
    const anonymous = await speechClient(emu, "")(base(emu, busy));
    expect(anonymous.status).toBe(401);
    const bad = await get(`${base(emu, busy)}&top=abc`);
    expect(bad.status).toBe(400);
    expect(emu.stats().speechRequests).toBeGreaterThan(3);
  });

  it("answers 403 AuthorizationFailed for a denied account or subscription", async () => {
    const get = speechClient(emu);
    const openAccounts = tenant.resources.filter((r) => isSpeechAccount(r) && props(r).customSubDomainName && open(r));
    const other = openAccounts.find((a) => a.subscriptionId !== busy.subscriptionId)!;
    emu.setFaults({ deny: { resources: [busy.id], subscriptions: [String(other.subscriptionId)] } });
    try {
      for (const a of [busy, other]) {
        const r = await get(base(emu, a));
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe("AuthorizationFailed");
      }
    } finally {
      emu.setFaults({});
    }
    expect((await get(base(emu, busy))).status).toBe(200);
  });
});
