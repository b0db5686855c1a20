/**
 * POST/GET/DELETE /api/session called directly: a refused token gets 401 with no cookie and is
 * never logged or echoed; a signed-in user reads who they are; sign-out clears both cookie names.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetAuthConfigForTests } from "@/lib/auth/config";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, newSession, sealSession } from "@/lib/auth/session";
import * as route from "@/app/api/session/route";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SECRET = "session-route-test-secret-0123456789abcdef";
const saved = { ...process.env };
const BASE = "http://127.0.0.1:3999/api/session";
// JWT-shaped, so it reaches the key lookup (which fails fast: nothing listens on port 1).
const TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJzZWNyZXQtdXNlciIsInRpZCI6IngifQ.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtYmUtbG9nZ2Vk";

let logged: string[] = [];
beforeEach(() => {
  Object.assign(process.env, {
    AUTH_MODE: "entra",
    ENTRA_TENANT_ID: TENANT,
    ENTRA_CLIENT_ID: "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f",
    ENTRA_JWKS_URI: "https://127.0.0.1:1/keys",
    SESSION_SECRET: SECRET,
  });
  resetAuthConfigForTests();
  logged = [];
  for (const m of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  process.env = saved;
  resetAuthConfigForTests();
});

describe("/api/session", () => {
  it("refuses a token it cannot verify with 401, sets no cookie, and neither logs nor echoes it", async () => {
    for (const init of [
      { body: JSON.stringify({ accessToken: TOKEN }) },
      { headers: { authorization: `Bearer ${TOKEN}` } },
      { body: JSON.stringify({ accessToken: "garbage" }) },
      { body: "not json" },
    ]) {
      const res = await route.POST(new Request(BASE, { method: "POST", ...init }));
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
      const text = await res.text();
      expect(text).not.toContain(TOKEN.slice(20));
    }
    expect(logged.join("\n")).not.toContain(TOKEN.slice(20));
  });

  it("tells a signed-in user who they are, and nobody else", async () => {
    const s = newSession({
      oid: "0b4c8e5e-7a0d-4c4e-9b1f-3f2a1c0d9e8b",
      tid: TENANT,
      name: "Rita",
      upn: "rita@contoso.com",
      roles: ["Posture.Operator"],
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await route.GET(new Request(BASE, { headers: { cookie: `${SESSION_COOKIE}=${await sealSession(s, SECRET)}` } }));
    expect(await res.json()).toEqual({
      mode: "entra",
      user: { name: "Rita", upn: "rita@contoso.com", oid: s.oid },
      roles: ["Posture.Operator"],
      role: "Posture.Operator",
      expiresAt: new Date(s.exp * 1000).toISOString(),
    });
    expect((await route.GET(new Request(BASE))).status).toBe(401);
  });

  it("signs out: both cookie names are cleared, and the old cookie stops working", async () => {
    const s = newSession({
      oid: "0b4c8e5e-7a0d-4c4e-9b1f-3f2a1c0d9e8b",
      tid: TENANT,
      name: "Rita",
      upn: null,
      roles: ["Posture.Reader"],
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const cookie = `${SESSION_COOKIE}=${await sealSession(s, SECRET)}`;
    const res = await route.DELETE(new Request(BASE, { method: "DELETE", headers: { cookie } }));
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie();
    expect(cleared.map((c) => c.split("=")[0]).sort()).toEqual([SECURE_SESSION_COOKIE, SESSION_COOKIE].sort());
    expect(cleared.every((c) => /Max-Age=0/.test(c))).toBe(true);
    expect((await route.GET(new Request(BASE, { headers: { cookie } }))).status).toBe(401);
  });

  it("has no session to start in demo mode", async () => {
    Object.assign(process.env, { AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" });
    resetAuthConfigForTests();
    expect((await route.POST(new Request(BASE, { method: "POST", body: JSON.stringify({ accessToken: TOKEN }) }))).status).toBe(409);
    expect(await (await route.GET(new Request(BASE))).json()).toMatchObject({ mode: "none", user: null, role: "Posture.Admin" });
  });
});
