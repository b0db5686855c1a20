/**
 * Defence in depth: every route handler under app/api (discovered from disk) checks the session
 * and role itself, without the proxy in front of it. No session → 401 in the one error shape; a
 * role too low → 403; enough → the handler runs (bad input then gives its own 4xx, never 401/403).
 * The audit trail names the signed-in user.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetAuthConfigForTests } from "@/lib/auth/config";
import { ROLES, hasRole, type Role } from "@/lib/auth/roles";
import { newSession, sealSession, SESSION_COOKIE } from "@/lib/auth/session";
import { setServerJobs, serverJobs } from "@/lib/scan/jobs-server";
import { createTestDb, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import { requiredAccess } from "@/lib/auth/access";
import { discoverRoutes, type DiscoveredRoute } from "./testing/routes";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SECRET = "route-handlers-test-secret-0123456789abcdef";
Object.assign(process.env, { AUTH_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f", SESSION_SECRET: SECRET });
resetAuthConfigForTests();

const BASE = "http://127.0.0.1:3999";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

function paramsFor(pattern: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const seg of pattern.split("/")) {
    const m = /^\[(\.\.\.)?([^\]]+)\]$/.exec(seg);
    if (m)
      out[m[2]] = m[1]
        ? ["subscriptions", "00000000-0000-4000-8000-000000000000", "resourceGroups", "rg", "providers", "Microsoft.CognitiveServices", "accounts", "sample"]
        : "sample-id";
  }
  return out;
}

/** A body the handler refuses as bad input, so an allowed call changes nothing. */
function harmlessBody(method: string, path: string): string | undefined {
  if (method === "GET" || method === "HEAD" || method === "DELETE") return undefined;
  return path === "/api/snapshots" ? "not json" : JSON.stringify({ bogus: true });
}

const cookies: Partial<Record<Role, string>> = {};
const users: Record<Role, { oid: string; upn: string }> = {
  "Posture.Reader": { oid: "11111111-1111-4111-8111-111111111111", upn: "reader@contoso.test" },
  "Posture.Operator": { oid: "22222222-2222-4222-8222-222222222222", upn: "operator@contoso.test" },
  "Posture.Admin": { oid: "33333333-3333-4333-8333-333333333333", upn: "admin@contoso.test" },
};

let tdb: TestDatabase;
let jobs: ScanJobs;
const handlers: { route: DiscoveredRoute; method: string; fn: Handler }[] = [];

beforeAll(async () => {
  tdb = await createTestDb("sqlite");
  jobs = jobsFor(await tdb.open());
  setServerJobs(jobs);
  for (const role of ROLES) {
    const s = newSession({ ...users[role], tid: TENANT, name: role, roles: [role], exp: Math.floor(Date.now() / 1000) + 600 });
    cookies[role] = `${SESSION_COOKIE}=${await sealSession(s, SECRET)}`;
  }
  for (const route of discoverRoutes().filter((r) => r.kind === "handler" && r.pattern.startsWith("/api/"))) {
    const mod = (await import(pathToFileURL(resolve(route.file)).href)) as Record<string, Handler>;
    for (const method of route.methods) handlers.push({ route, method, fn: mod[method] });
  }
});
afterAll(async () => {
  setServerJobs(undefined);
  await jobs?.close();
  await tdb?.dispose();
});

function call(h: (typeof handlers)[number], cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { origin: BASE, "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const req = new Request(BASE + h.route.path, { method: h.method, headers, body: harmlessBody(h.method, h.route.path) });
  return h.fn(req, { params: Promise.resolve(paramsFor(h.route.pattern)) });
}

describe("every API route handler enforces sign-in and roles by itself", () => {
  it("found the handlers", () => {
    expect(handlers.length).toBeGreaterThanOrEqual(18);
    expect(handlers.every((h) => typeof h.fn === "function")).toBe(true);
  });

  it("answers 401 in the error shape without a session (except the session route)", async () => {
    for (const h of handlers.filter((x) => x.route.pattern !== "/api/session")) {
      const res = await call(h);
      const body = await res.json();
      expect(`${h.method} ${h.route.pattern} → ${res.status}`).toBe(`${h.method} ${h.route.pattern} → 401`);
      expect(body).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
    }
  });

  it("answers 403 to a role too low, and lets a high enough one through", async () => {
    for (const role of ROLES) {
      for (const h of handlers.filter((x) => x.route.pattern !== "/api/session")) {
        const needed = requiredAccess(h.method, h.route.path, false) as Role;
        const res = await call(h, cookies[role]);
        const label = `${role} ${h.method} ${h.route.pattern}`;
        if (hasRole([role], needed)) expect([401, 403].includes(res.status), `${label} → ${res.status}`).toBe(false);
        else {
          expect(`${label} → ${res.status}`).toBe(`${label} → 403`);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
        }
        if (!res.bodyUsed) await res.body?.cancel();
      }
    }
  });

  it("refuses a forged, expired or foreign-key session cookie", async () => {
    const scans = handlers.find((h) => h.route.pattern === "/api/scans" && h.method === "GET")!;
    const expired = newSession({ ...users["Posture.Admin"], tid: TENANT, name: "x", roles: ["Posture.Admin"], exp: Math.floor(Date.now() / 1000) - 1 });
    const other = newSession({ ...users["Posture.Admin"], tid: TENANT, name: "x", roles: ["Posture.Admin"], exp: Math.floor(Date.now() / 1000) + 600 });
    for (const cookie of [
      `${SESSION_COOKIE}=garbage`,
      `${SESSION_COOKIE}=${await sealSession(expired, SECRET)}`,
      `${SESSION_COOKIE}=${await sealSession(other, "another-secret-0123456789abcdef-xyz")}`,
    ]) {
      expect((await call(scans, cookie)).status).toBe(401);
    }
  });

  it("records the signed-in user (sign-in name and object ID) as the actor", async () => {
    const create = handlers.find((h) => h.route.pattern === "/api/exceptions" && h.method === "POST")!;
    const body = { controlId: "NET-3", owner: "alice@contoso.com", reason: "test", expiresAt: "2099-01-01" };
    const res = await create.fn(
      new Request(BASE + "/api/exceptions", { method: "POST", headers: { origin: BASE, cookie: cookies["Posture.Operator"]! }, body: JSON.stringify(body) }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { createdBy: string };
    expect(created.createdBy).toBe("operator@contoso.test (22222222-2222-4222-8222-222222222222)");
    const audit = handlers.find((h) => h.route.pattern === "/api/audit")!;
    const items = ((await (await call(audit, cookies["Posture.Admin"])).json()) as { items: { actor: string; action: string }[] }).items;
    expect(items.find((i) => i.action === "exception.created")?.actor).toBe("operator@contoso.test (22222222-2222-4222-8222-222222222222)");
    expect((await serverJobs()).store).toBeDefined();
  });
});
