/**
 * Sign-in with a real identity provider: the built app started with AUTH_MODE=entra on its own
 * port, against a local OpenID Connect provider over HTTPS (lib/auth/testing) that issues JWT
 * access tokens with `roles`, `tid` and `aud` as Entra does. MSAL runs the full redirect flow in
 * Chromium. Every route refuses anonymous callers; a Reader sees findings but cannot scan; an
 * Operator scans under their own name; sign-out ends both sessions; no secret reaches the browser.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SignJWT } from "jose";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { startAuthAppServer, type AuthAppServer } from "@/lib/auth/testing/app-server";
import { TEST_USERS } from "@/lib/auth/testing/identity-provider";
import { SECRET_CANARIES } from "@/lib/security/testing/canaries";
import { discoverRoutes } from "@/lib/security/testing/routes";

test.describe.configure({ mode: "serial" });

let app: AuthAppServer;
/** CSP violations and page errors seen in any signed-in page. */
const problems: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(90_000);
  app = await startAuthAppServer();
});
test.afterAll(async () => {
  await app?.close();
});

async function newContext(browser: Browser): Promise<BrowserContext> {
  // The identity provider's certificate is self-signed; the app itself is plain http on loopback.
  return browser.newContext({ ignoreHTTPSErrors: true });
}

function watch(page: Page): void {
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to (execute|load|apply)/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
}

/** Opens `path`, is sent to sign-in and the identity provider's login form, signs in as `login`, and comes back. */
async function signIn(browser: Browser, login: string, path = "/"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  watch(page);
  await page.goto(`${app.url}${path}`);
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.locator("button[type=submit]").click();
  if (TEST_USERS[login]?.roles.length) {
    await page.waitForURL(`${app.url}${path}`);
    await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  }
  return { context, page };
}

const json = { "content-type": "application/json" };

test("every page and API route refuses a caller without a session (pages: to sign-in; API: 401 JSON)", async () => {
  const routes = discoverRoutes();
  expect(routes.length).toBeGreaterThan(20);
  const publicPages = new Set(["/signin", "/signin/callback", "/signout"]);
  const checked: string[] = [];
  for (const r of routes) {
    for (const method of r.methods) {
      const res = await fetch(app.url + r.path, {
        method,
        redirect: "manual",
        headers: method === "GET" ? {} : { origin: app.url, ...json },
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
      });
      const label = `${method} ${r.pattern}`;
      checked.push(label);
      if (r.kind === "file") expect(res.status, label).toBe(200);
      else if (r.kind === "page" && publicPages.has(r.pattern)) expect(res.status, label).toBe(200);
      else if (r.kind === "page") {
        expect(res.status, label).toBe(307);
        expect(res.headers.get("location"), label).toBe(`/signin?next=${encodeURIComponent(r.path)}`);
      } else if (r.pattern === "/api/session" && method === "DELETE") expect(res.status, label).toBe(204);
      else {
        expect(`${label} → ${res.status}`).toBe(`${label} → 401`);
        const body = await res.json();
        expect(body, label).toEqual({ error: { code: expect.stringMatching(/^(unauthenticated)$/), message: expect.any(String) } });
        expect(res.headers.get("cache-control"), label).toMatch(/no-store/);
      }
      await res.body?.cancel().catch(() => undefined);
    }
  }
  expect(checked).toContain("POST /api/scans");
  expect(checked).toContain("GET /findings");
  // A server action without a session.
  const action = await fetch(`${app.url}/`, {
    method: "POST",
    headers: { origin: app.url, "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" },
    body: "[]",
  });
  expect(action.status).toBe(401);
});

test("POST /api/session refuses forged and malformed tokens, and cross-origin exchanges", async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const t = Math.floor(Date.now() / 1000);
  const forged = await new SignJWT({ tid: app.idp.tenantId, oid: randomUUID(), scp: "Posture.Read", roles: ["Posture.Admin"], name: "Mallory" })
    .setProtectedHeader({ alg: "RS256", kid: "test-key-1" })
    .setIssuer(app.idp.issuer)
    .setAudience(app.idp.clientId)
    .setIssuedAt(t)
    .setExpirationTime(t + 600)
    .sign(privateKey);
  for (const token of [forged, "not-a-token", forged.split(".").slice(0, 2).join(".") + "."]) {
    const res = await fetch(`${app.url}/api/session`, { method: "POST", headers: { origin: app.url, ...json }, body: JSON.stringify({ accessToken: token }) });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_token");
    expect(body.error.message).not.toContain(token.slice(0, 30));
  }
  const crossSite = await fetch(`${app.url}/api/session`, {
    method: "POST",
    headers: { origin: "https://evil.example", ...json },
    body: JSON.stringify({ accessToken: forged }),
  });
  expect(crossSite.status).toBe(403);
});

test("an Operator signs in through the identity provider, sees Scan now and runs a scan recorded under their name", async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await signIn(browser, "operator");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Otto Operator");
  await expect(page.getByTestId("signed-in-role")).toContainText("Operator");
  await expect(page.getByTestId("demo-banner")).toHaveCount(0);

  // The session cookie: HttpOnly, SameSite=Strict, no longer-lived than the access token (1 hour).
  const cookie = (await context.cookies(app.url)).find((c) => c.name === "sp_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  expect(cookie!.expires).toBeLessThanOrEqual(Date.now() / 1000 + 3600 + 5);
  expect(await page.evaluate(() => document.cookie)).not.toContain("sp_session");

  const session = await (await context.request.get(`${app.url}/api/session`)).json();
  expect(session).toMatchObject({ mode: "entra", role: "Posture.Operator", user: { upn: "operator@contoso.test", oid: TEST_USERS.operator.oid } });

  await page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ }).click();
  // The page refreshes with the scan's results when it finishes.
  await expect(page.getByTestId("tenant-score")).toBeVisible({ timeout: 60_000 });
  const latest = (await (await context.request.get(`${app.url}/api/scans/latest`)).json()) as { startedBy: string; status: string };
  expect(latest).toMatchObject({ status: "succeeded", startedBy: `operator@contoso.test (${TEST_USERS.operator.oid})` });
  // An Operator may not read the audit trail.
  expect((await context.request.get(`${app.url}/api/audit`)).status()).toBe(403);
  await context.close();
});

test("a Reader sees findings but no scan, upload or exception controls; forged writes with the Reader's session get 403", async ({ browser }) => {
  const { context, page } = await signIn(browser, "reader", "/findings");
  await expect(page.getByTestId("signed-in-role")).toContainText("Reader");
  await expect(page.getByTestId("finding-row").first()).toBeVisible();
  expect(await page.getByTestId("finding-row").count()).toBeGreaterThan(0);
  await expect(page.getByRole("button", { name: /Add exception/ })).toHaveCount(0);
  await page.goto(`${app.url}/`);
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  await expect(page.getByTestId("tenant-score")).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Import snapshot" })).toHaveCount(0);
  await page.goto(`${app.url}/scans`);
  await expect(page.getByTestId("snapshot-upload")).toHaveCount(0);

  const api = context.request;
  const before = ((await (await api.get(`${app.url}/api/scans`)).json()) as { items: unknown[] }).items.length;
  const forged = await api.post(`${app.url}/api/scans`, { data: {}, headers: { origin: app.url } });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("Posture.Operator") } });
  expect((await api.post(`${app.url}/api/snapshots`, { data: "{}", headers: { origin: app.url, ...json } })).status()).toBe(403);
  expect(
    (
      await api.post(`${app.url}/api/exceptions`, {
        data: { controlId: "NET-3", owner: "x", reason: "y", expiresAt: "2099-01-01" },
        headers: { origin: app.url },
      })
    ).status(),
  ).toBe(403);
  expect((await api.put(`${app.url}/api/settings`, { data: { retentionKeep: 1 }, headers: { origin: app.url } })).status()).toBe(403);
  expect((await api.get(`${app.url}/api/audit`)).status()).toBe(403);
  // A server action (what Scan now posts) forged with the Reader's session.
  const action = await api.post(`${app.url}/`, {
    data: "[]",
    headers: { origin: app.url, "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" },
  });
  expect(action.status()).toBe(403);
  // The same write from another origin is refused before the role is even looked at.
  expect((await api.post(`${app.url}/api/scans`, { data: {}, headers: { origin: "https://evil.example" } })).status()).toBe(403);
  expect(((await (await api.get(`${app.url}/api/scans`)).json()) as { items: unknown[] }).items.length).toBe(before);
  await context.close();
});

test("Sign out ends this server's session and the identity provider's", async ({ browser }) => {
  const { context, page } = await signIn(browser, "reader");
  const stolen = (await context.cookies(app.url)).find((c) => c.name === "sp_session")!.value;
  await page.getByRole("link", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await page.waitForURL((u) => u.origin === app.url && u.pathname === "/signin" && u.searchParams.get("signedOut") === "1");
  await expect(page.getByTestId("sign-in-status")).toHaveText("You have signed out.");
  expect((await context.cookies(app.url)).find((c) => c.name === "sp_session")).toBeUndefined();
  // A copy of the old cookie no longer works.
  const replay = await fetch(`${app.url}/api/scans`, { headers: { cookie: `sp_session=${stolen}` } });
  expect(replay.status).toBe(401);
  // Opening the dashboard again goes back through the identity provider's login form.
  await page.goto(`${app.url}/`);
  await expect(page.locator("input[name=login]")).toBeVisible();
  await context.close();
});

test("an account without an app role is told so and gets no session", async ({ browser }) => {
  const { context, page } = await signIn(browser, "norole");
  await expect(page.getByTestId("sign-in-status")).toContainText("no Speech Posture role");
  expect((await context.cookies(app.url)).find((c) => c.name === "sp_session")).toBeUndefined();
  expect((await context.request.get(`${app.url}/api/scans`)).status()).toBe(401);
  await context.close();
});

test("no secret reaches the browser: client bundles, pages and API answers hold none of the server's settings", async ({ browser }) => {
  const canaries = SECRET_CANARIES.values();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(join(".next", "static"));
  expect(files.some((f) => f.endsWith(".js"))).toBe(true);
  for (const f of files) {
    const text = readFileSync(f, "latin1");
    for (const c of canaries) expect(text.includes(c), `${c} in ${f}`).toBe(false);
  }
  // What a signed-in browser is served (the server runs with the same fake secrets).
  const { context, page } = await signIn(browser, "reader");
  const bodies: string[] = [];
  for (const path of ["/", "/findings", "/scans", "/controls", "/exceptions", "/signin/callback", "/api/session", "/api/scans", "/api/trend"]) {
    const res = await context.request.get(`${app.url}${path}`);
    bodies.push(await res.text());
  }
  const html = await (await context.request.get(`${app.url}/`)).text();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g))
    bodies.push(await (await context.request.get(new URL(m[1].replace(/&amp;/g, "&"), app.url).href)).text());
  bodies.push(await page.content());
  for (const body of bodies) for (const c of canaries) expect(body.includes(c), c).toBe(false);
  // The sign-in page carries the public settings only.
  const signin = await (await fetch(`${app.url}/signin`)).text();
  expect(signin).toContain(app.idp.clientId);
  await context.close();
});

test("signed-in pages ran with no CSP violation or script error", () => {
  expect(problems).toEqual([]);
});
