/**
 * The proxy (lib/security/proxy-handler.ts) on its own: security headers and per-request CSP
 * nonces, same-origin checks, 401/redirect/403 by the route table, and the demo mode's limits.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetAuthConfigForTests } from "@/lib/auth/config";
import { newSession, sealSession, SECURE_SESSION_COOKIE, SESSION_COOKIE } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { handleRequest } from "./proxy-handler";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SECRET = "proxy-test-secret-0123456789abcdef-0123";
const ORIGIN = "http://127.0.0.1:3999";
const saved = { ...process.env };

function setEnv(vars: Record<string, string | undefined>) {
  for (const k of [
    "AUTH_MODE",
    "ENTRA_TENANT_ID",
    "ENTRA_CLIENT_ID",
    "ENTRA_AUTHORITY",
    "SPEECH_POSTURE_LISTEN_HOST",
    "SESSION_SECRET",
    "AUTH_TEST_OIDC",
    "SPEECH_POSTURE_TRUST_PROXY",
  ])
    delete process.env[k];
  Object.assign(process.env, vars);
  resetAuthConfigForTests();
}
const entra = () =>
  setEnv({
    AUTH_MODE: "entra",
    ENTRA_TENANT_ID: TENANT,
    ENTRA_CLIENT_ID: "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f",
    SESSION_SECRET: SECRET,
    SPEECH_POSTURE_LISTEN_HOST: "0.0.0.0",
  });
afterAll(() => {
  process.env = saved;
  resetAuthConfigForTests();
});

async function cookieFor(role: Role, name = SESSION_COOKIE): Promise<string> {
  const s = newSession({
    oid: "11111111-1111-4111-8111-111111111111",
    tid: TENANT,
    name: "R",
    upn: "r@contoso.test",
    roles: [role],
    exp: Math.floor(Date.now() / 1000) + 600,
  });
  return `${name}=${await sealSession(s, SECRET)}`;
}

function req(path: string, init: { method?: string; headers?: Record<string, string>; base?: string } = {}): NextRequest {
  const base = init.base ?? ORIGIN;
  return new NextRequest(base + path, { method: init.method ?? "GET", headers: { host: new URL(base).host, ...init.headers } });
}

const csp = (r: Response) => r.headers.get("content-security-policy") ?? "";
const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];
/** What NextResponse.next() hands on to Next.js as request headers. */
const forwarded = (r: Response, name: string) => r.headers.get(`x-middleware-request-${name}`);

describe("signed in with Entra ID", () => {
  beforeEach(entra);

  it("puts the security headers on pages, with a fresh nonce each time and no unsafe script sources", async () => {
    const cookie = await cookieFor("Posture.Reader");
    const a = await handleRequest(req("/findings", { headers: { cookie } }));
    const b = await handleRequest(req("/findings", { headers: { cookie } }));
    expect(a.headers.get("x-middleware-next")).toBe("1");
    const policy = csp(a);
    const script = policy.split("; ").find((d) => d.startsWith("script-src"))!;
    expect(script).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'$/);
    expect(policy).not.toMatch(/unsafe-eval/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("connect-src 'self' https://login.microsoftonline.com");
    expect(nonceOf(policy)).not.toBe(nonceOf(csp(b)));
    // Next.js reads the nonce from the request's CSP header.
    expect(forwarded(a, "content-security-policy")).toBe(policy);
    expect(forwarded(a, "x-nonce")).toBe(nonceOf(policy));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("no-referrer");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("adds HSTS (and upgrade-insecure-requests) over https, directly or behind a trusted TLS proxy", async () => {
    const direct = await handleRequest(req("/signin", { base: "https://posture.contoso.com" }));
    expect(direct.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(csp(direct)).toContain("upgrade-insecure-requests");
    // X-Forwarded-Proto from anyone is not believed …
    const untrusted = await handleRequest(req("/signin", { headers: { "x-forwarded-proto": "https" } }));
    expect(untrusted.headers.get("strict-transport-security")).toBeNull();
    // … only from the proxy SPEECH_POSTURE_TRUST_PROXY says is there.
    process.env.SPEECH_POSTURE_TRUST_PROXY = "1";
    const proxied = await handleRequest(req("/signin", { headers: { "x-forwarded-proto": "https" } }));
    expect(proxied.headers.get("strict-transport-security")).not.toBeNull();
  });

  it("over https accepts only the __Host- session cookie, never a plain one a sibling subdomain could plant", async () => {
    process.env.SPEECH_POSTURE_TRUST_PROXY = "1";
    const https = { "x-forwarded-proto": "https" };
    const planted = await handleRequest(req("/api/scans", { headers: { ...https, cookie: await cookieFor("Posture.Admin", SESSION_COOKIE) } }));
    expect(planted.status).toBe(401);
    const own = await handleRequest(req("/api/scans", { headers: { ...https, cookie: await cookieFor("Posture.Reader", SECURE_SESSION_COOKIE) } }));
    expect(own.headers.get("x-middleware-next")).toBe("1");
  });

  it("believes X-Forwarded-Host only behind a trusted proxy, and compares the Origin's scheme too", async () => {
    const cookie = await cookieFor("Posture.Operator");
    const evil = { cookie, origin: "http://evil.example", "x-forwarded-host": "evil.example" };
    const spoofed = await handleRequest(req("/api/scans", { method: "POST", headers: evil }));
    expect(spoofed.status).toBe(403);
    expect(((await spoofed.json()) as { error: { code: string } }).error.code).toBe("cross_origin");
    // Same host, other scheme: another origin.
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { cookie, origin: ORIGIN.replace("http:", "https:") } }))).status).toBe(403);
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { cookie, origin: ORIGIN } }))).headers.get("x-middleware-next")).toBe("1");
    process.env.SPEECH_POSTURE_TRUST_PROXY = "1";
    const viaProxy = {
      cookie: await cookieFor("Posture.Operator", SECURE_SESSION_COOKIE),
      "x-forwarded-proto": "https",
      "x-forwarded-host": "posture.contoso.com",
    };
    expect(
      (await handleRequest(req("/api/scans", { method: "POST", headers: { ...viaProxy, origin: "https://posture.contoso.com" } }))).headers.get(
        "x-middleware-next",
      ),
    ).toBe("1");
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { ...viaProxy, origin: "http://posture.contoso.com" } }))).status).toBe(403);
  });

  it("never caches API answers and gives them a policy that allows nothing", async () => {
    const r = await handleRequest(req("/api/scans", { headers: { cookie: await cookieFor("Posture.Reader") } }));
    expect(r.headers.get("cache-control")).toMatch(/^no-store/);
    expect(csp(r)).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    const denied = await handleRequest(req("/api/scans"));
    expect(denied.headers.get("cache-control")).toBe("no-store");
    expect(denied.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("redirects pages to sign-in (keeping where to come back to), and answers 401 JSON for the API and server actions", async () => {
    const page = await handleRequest(req("/findings?status=fail&_rsc=abc"));
    expect(page.status).toBe(307);
    const location = new URL(page.headers.get("location")!);
    expect(`${location.pathname}${location.search}`).toBe(`/signin?next=${encodeURIComponent("/findings?status=fail")}`);
    const api = await handleRequest(req("/api/scans/latest"));
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
    const action = await handleRequest(req("/", { method: "POST", headers: { origin: ORIGIN, "next-action": "abc123" } }));
    expect(action.status).toBe(401);
  });

  it("serves the sign-in pages, the redirect bridge and build assets without a session", async () => {
    for (const p of ["/signin", "/signin/callback", "/signout", "/_next/static/chunks/app.js", "/icon.svg"]) {
      expect((await handleRequest(req(p))).headers.get("x-middleware-next"), p).toBe("1");
    }
  });

  it("answers 403 when the role is too low: a Reader's scan, upload, exception or server action; an Operator's audit", async () => {
    const reader = await cookieFor("Posture.Reader");
    for (const [method, path] of [
      ["POST", "/api/scans"],
      ["POST", "/api/snapshots"],
      ["POST", "/api/exceptions"],
      ["DELETE", "/api/scans/x"],
      ["GET", "/api/audit"],
      ["PUT", "/api/settings"],
    ]) {
      const r = await handleRequest(req(path, { method, headers: { cookie: reader, origin: ORIGIN } }));
      expect(`${method} ${path} → ${r.status}`).toBe(`${method} ${path} → 403`);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    const action = await handleRequest(req("/findings", { method: "POST", headers: { cookie: reader, origin: ORIGIN, "next-action": "abc" } }));
    expect(action.status).toBe(403);
    const operator = await cookieFor("Posture.Operator");
    expect((await handleRequest(req("/api/audit", { headers: { cookie: operator } }))).status).toBe(403);
    expect((await handleRequest(req("/audit", { headers: { cookie: operator } }))).status).toBe(403);
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { cookie: operator, origin: ORIGIN } }))).headers.get("x-middleware-next")).toBe(
      "1",
    );
  });

  it("refuses state-changing requests from another origin, or without an Origin, even with a valid session", async () => {
    const cookie = await cookieFor("Posture.Admin");
    for (const headers of <Record<string, string>[]>[
      { origin: "https://evil.example" },
      { origin: "null" },
      {},
      { origin: ORIGIN, "sec-fetch-site": "cross-site" },
      { origin: `${ORIGIN}.evil.example` },
    ]) {
      const r = await handleRequest(req("/api/scans", { method: "POST", headers: { cookie, ...headers } }));
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("cross_origin");
    }
    expect((await handleRequest(req("/api/session", { method: "POST", headers: { origin: "https://evil.example" } }))).status).toBe(403);
    expect((await handleRequest(req("/api/scans", { headers: { cookie, origin: "https://evil.example" } }))).status).not.toBe(403);
  });

  it("refuses an upload declaring more than the limit with 413, before the route runs", async () => {
    const cookie = await cookieFor("Posture.Operator");
    const big = await handleRequest(
      req("/api/snapshots", { method: "POST", headers: { cookie, origin: ORIGIN, "content-length": String(50 * 1024 * 1024 + 1) } }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String), limit: 50 * 1024 * 1024 } });
    const ok = await handleRequest(req("/api/snapshots", { method: "POST", headers: { cookie, origin: ORIGIN, "content-length": "1000" } }));
    expect(ok.headers.get("x-middleware-next")).toBe("1");
    // Without a session the size is not even looked at.
    expect((await handleRequest(req("/api/snapshots", { method: "POST", headers: { origin: ORIGIN, "content-length": "999999999999" } }))).status).toBe(401);
  });

  it("answers 400 for a server action whose body Next.js could not decode (it would answer 500)", async () => {
    const cookie = await cookieFor("Posture.Operator");
    const action = (body: string, type = "text/plain;charset=UTF-8") =>
      handleRequest(
        new NextRequest(ORIGIN + "/exceptions", {
          method: "POST",
          headers: { host: new URL(ORIGIN).host, cookie, origin: ORIGIN, "next-action": "7f00aa", "content-type": type },
          body,
        }),
      );
    for (const [body, type] of [
      ["garbage", undefined],
      ['["unterminated', undefined],
      ["", undefined],
      ["--x\r\n", "multipart/form-data"],
    ] as const) {
      const r = await action(body, type);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    }
    expect((await action('["/subscriptions/x",{"a":1}]')).headers.get("x-middleware-next")).toBe("1");
    expect((await action("--x--\r\n", "multipart/form-data; boundary=x")).headers.get("x-middleware-next")).toBe("1");
  });

  it("answers 400 for a path that cannot be percent-decoded (Next.js would answer 500)", async () => {
    const cookie = await cookieFor("Posture.Reader");
    for (const p of ["/api/scans/%zz", "/api/resources/a/%E0%A4%A", "/resources/%C0"]) {
      const r = await handleRequest(req(p, { headers: { cookie } }));
      expect(r.status, p).toBe(400);
    }
    expect(((await (await handleRequest(req("/api/scans/%zz", { headers: { cookie } }))).json()) as { error: { code: string } }).error.code).toBe(
      "invalid_input",
    );
    expect((await handleRequest(req("/api/scans/%41%42", { headers: { cookie } }))).headers.get("x-middleware-next")).toBe("1");
  });

  it("ignores a nonce or CSP the client sends", async () => {
    const r = await handleRequest(
      req("/", { headers: { cookie: await cookieFor("Posture.Reader"), "x-nonce": "attacker", "content-security-policy": "script-src *" } }),
    );
    expect(forwarded(r, "x-nonce")).not.toBe("attacker");
    expect(forwarded(r, "content-security-policy")).toBe(csp(r));
  });
});

describe("demo mode (no sign-in)", () => {
  beforeEach(() => setEnv({ AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }));

  it("serves everything to the local operator, with the same headers", async () => {
    const r = await handleRequest(req("/api/audit"));
    expect(r.headers.get("x-middleware-next")).toBe("1");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect((await handleRequest(req("/api/scans", { method: "POST" }))).headers.get("x-middleware-next")).toBe("1");
  });

  it("still refuses cross-origin writes, and requests addressed to another host (DNS rebinding)", async () => {
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { origin: "https://evil.example" } }))).status).toBe(403);
    expect((await handleRequest(req("/api/scans", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }))).status).toBe(403);
    expect((await handleRequest(req("/", { base: "http://rebound.evil.example:3999" }))).status).toBe(421);
  });

  it("refuses to serve at all when AUTH_MODE=none is set off loopback", async () => {
    setEnv({ AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "0.0.0.0" });
    const r = await handleRequest(req("/"));
    expect(r.status).toBe(500);
    expect(await r.text()).toMatch(/AUTH_MODE=none \(no sign-in\) is only allowed when the server listens on loopback/);
  });
});
