/**
 * The route helper: role first, then the route's query names, then the handler with the store and
 * the actor; every error mapped to the one error shape, store errors by type (also a second copy
 * of their module, as another Next bundle has), never by an error's `name`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetAuthConfigForTests } from "@/lib/auth/config";
import { newSession, sealSession, SESSION_COOKIE } from "@/lib/auth/session";
import { setServerJobs } from "@/lib/scan/jobs-server";
import type { ScanJobs } from "@/lib/scan/jobs";
import { NotFoundError, ScanConflictError } from "@/lib/store/errors";
import { createTestDb, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import { json } from "./http";
import { route } from "./route";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SECRET = "route-helper-test-secret-0123456789abcdef";
const BASE = "http://127.0.0.1:3999";

let tdb: TestDatabase;
let jobs: ScanJobs;
let operatorCookie: string;
beforeAll(async () => {
  Object.assign(process.env, { AUTH_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f", SESSION_SECRET: SECRET });
  resetAuthConfigForTests();
  tdb = await createTestDb("sqlite");
  jobs = jobsFor(await tdb.open());
  setServerJobs(jobs);
  const session = newSession({
    oid: "22222222-2222-4222-8222-222222222222",
    upn: "operator@contoso.test",
    tid: TENANT,
    name: "Operator",
    roles: ["Posture.Operator"],
    exp: Math.floor(Date.now() / 1000) + 600,
  });
  operatorCookie = `${SESSION_COOKIE}=${await sealSession(session, SECRET)}`;
});
afterAll(async () => {
  setServerJobs(undefined);
  await jobs?.close();
  await tdb?.dispose();
  process.env.AUTH_MODE = "none";
  resetAuthConfigForTests();
});

const request = (path: string, cookie?: string) => new Request(BASE + path, { headers: cookie ? { cookie } : {} });
const body = async (r: Response) => (await r.json()) as { error?: { code: string; message: string; field?: string }; [k: string]: unknown };

describe("route()", () => {
  it("refuses without a session (401) and with too low a role (403), before running the handler", async () => {
    const ran = vi.fn(async () => json({}));
    const handler = route({ role: "Posture.Admin" }, ran);
    const anonymous = await handler(request("/api/x"));
    expect(anonymous.status).toBe(401);
    expect((await body(anonymous)).error?.code).toBe("unauthenticated");
    const operator = await handler(request("/api/x", operatorCookie));
    expect(operator.status).toBe(403);
    expect(ran).not.toHaveBeenCalled();
  });

  it("gives the handler its params, query, the server's store and the signed-in actor", async () => {
    const handler = route<{ id: string }>({ role: "Posture.Reader", query: ["limit"] }, async ({ params, search, store, jobs: j, actor }) =>
      json({ id: params.id, limit: search.get("limit"), sameStore: store === jobs.store && j === jobs, actor }),
    );
    const r = await handler(request("/api/x/abc?limit=5", operatorCookie), { params: Promise.resolve({ id: "abc" }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ id: "abc", limit: "5", sameStore: true, actor: expect.stringContaining("operator@contoso.test") });
  });

  it("refuses a query name the route does not accept, naming it; without a list it leaves the query to the handler", async () => {
    const strict = route({ role: "Posture.Reader", query: ["limit"] }, async () => json({ ok: true }));
    const r = await strict(request("/api/x?limt=5", operatorCookie));
    expect(r.status).toBe(400);
    expect((await body(r)).error).toMatchObject({ code: "invalid_input", field: "limt" });
    const open = route({ role: "Posture.Reader" }, async ({ search }) => json({ q: search.get("anything") }));
    expect(await (await open(request("/api/x?anything=1", operatorCookie))).json()).toEqual({ q: "1" });
  });

  it("maps the store's errors by type, including errors from another copy of their module", async () => {
    vi.resetModules();
    const copy = (await import("@/lib/store/errors")) as typeof import("@/lib/store/errors");
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const notFound = route({ role: "Posture.Reader" }, async () => {
      throw new copy.NotFoundError("Scan", "s-1");
    });
    const r = await notFound(request("/api/x", operatorCookie));
    expect(r.status).toBe(404);
    expect((await body(r)).error).toEqual({ code: "not_found", message: "Scan s-1 was not found" });
    const busy = route({ role: "Posture.Reader" }, async () => {
      throw new copy.ScanConflictError("s-2");
    });
    const b = await busy(request("/api/x", operatorCookie));
    expect(b.status).toBe(409);
    expect(await body(b)).toEqual({ error: { code: "scan_running", message: "A scan of this scope is already running: s-2", id: "s-2" } });
    expect(new copy.ScanConflictError("s") instanceof NotFoundError).toBe(false);
    expect(new ScanConflictError("s") instanceof copy.ScanConflictError).toBe(true);
  });

  it("does not take an error's name for its type: an unknown error is a 500 without internals", async () => {
    const spoof = Object.assign(new Error("secret detail"), { name: "NotFoundError" });
    const handler = route({ role: "Posture.Reader" }, async () => {
      throw spoof;
    });
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const r = await handler(request("/api/x", operatorCookie));
      expect(r.status).toBe(500);
      expect(JSON.stringify(await r.json())).not.toContain("secret detail");
    } finally {
      error.mockRestore();
    }
  });
});
