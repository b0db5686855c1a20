/** The session cookie: sealed so it cannot be read, forged or extended, and never outliving the token. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  MAX_SESSION_S,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  clearedSessionCookies,
  isHttps,
  newSession,
  openSession,
  revokeSession,
  sealSession,
  sessionCookie,
  sessionCookieValue,
  sessionSecret,
} from "./session";
import type { Identity } from "./verify";

const SECRET = "s".repeat(24) + "0123456789abcdef0123";
const nowS = () => Math.floor(Date.now() / 1000);
const identity = (exp = nowS() + 3600): Identity => ({
  oid: "0b4c8e5e-7a0d-4c4e-9b1f-3f2a1c0d9e8b",
  tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  name: "Rita",
  upn: "rita@contoso.com",
  roles: ["Posture.Reader"],
  exp,
});

describe("session cookie", () => {
  it("round-trips who the user is and their roles", async () => {
    const s = newSession(identity());
    const opened = await openSession(await sealSession(s, SECRET), SECRET);
    expect(opened).toEqual(s);
  });

  it("is encrypted: neither the user nor the roles can be read from it", async () => {
    const value = await sealSession(newSession(identity()), SECRET);
    const decoded = value
      .split(".")
      .map((p) => Buffer.from(p, "base64url").toString("latin1"))
      .join(" ");
    for (const plain of ["rita@contoso.com", "Posture.Reader", "0b4c8e5e"]) expect(decoded).not.toContain(plain);
  });

  it("is refused when tampered with, sealed with another secret, expired or signed out", async () => {
    const s = newSession(identity());
    const value = await sealSession(s, SECRET);
    const parts = value.split(".");
    parts[3] = parts[3].slice(0, 5) + (parts[3][5] === "A" ? "B" : "A") + parts[3].slice(6);
    expect(await openSession(parts.join("."), SECRET)).toBeNull();
    expect(await openSession(value, "o".repeat(40))).toBeNull();
    expect(await openSession(value, SECRET, new Date((s.exp + 1) * 1000))).toBeNull();
    expect(await openSession("", SECRET)).toBeNull();
    expect(await openSession("x".repeat(9000), SECRET)).toBeNull();
    await revokeSession(s);
    expect(await openSession(value, SECRET)).toBeNull();
  });

  it("never lasts longer than the access token, nor longer than the cap", async () => {
    const exp = nowS() + 1234;
    expect(newSession(identity(exp)).exp).toBe(exp);
    expect(newSession(identity(nowS() + 10 * 24 * 3600)).exp).toBeLessThanOrEqual(nowS() + MAX_SESSION_S);
  });

  it("is HttpOnly, SameSite=Strict, gone when the token expires, and Secure with the __Host- prefix over https", () => {
    const s = newSession(identity(nowS() + 600));
    const plain = sessionCookie("v", s, false);
    expect(plain).toMatch(new RegExp(`^${SESSION_COOKIE}=v; Path=/; Max-Age=(59\\d|600); HttpOnly; SameSite=Strict$`));
    const secure = sessionCookie("v", s, true);
    expect(secure.startsWith(`${SECURE_SESSION_COOKIE}=v;`)).toBe(true);
    expect(secure).toMatch(/; Secure$/);
    expect(secure).not.toMatch(/Domain=/i);
    for (const c of clearedSessionCookies(true)) expect(c).toMatch(/Max-Age=0/);
  });

  it("reads only the __Host- cookie over https and only the plain one over http (no cookie tossing)", () => {
    const both = `a=1; ${SESSION_COOKIE}=plain; ${SECURE_SESSION_COOKIE}=host`;
    expect(sessionCookieValue(both, true)).toBe("host");
    expect(sessionCookieValue(both, false)).toBe("plain");
    // A sibling subdomain can plant a plain cookie (Domain=.contoso.com), never a __Host- one.
    expect(sessionCookieValue(`${SESSION_COOKIE}=planted`, true)).toBeUndefined();
    expect(sessionCookieValue(`${SESSION_COOKIE}=plain`, false)).toBe("plain");
    expect(sessionCookieValue("other=1", false)).toBeUndefined();
    expect(sessionCookieValue(null, true)).toBeUndefined();
  });

  it("knows https from the URL or the first X-Forwarded-Proto", () => {
    expect(isHttps("https://x/", null)).toBe(true);
    expect(isHttps("http://x/", "https")).toBe(true);
    expect(isHttps("http://x/", "http, https")).toBe(false);
    expect(isHttps("http://x/", null)).toBe(false);
  });
});

describe("session secret", () => {
  it("uses SESSION_SECRET when set and refuses a short one", () => {
    expect(sessionSecret({ SESSION_SECRET: SECRET })).toBe(SECRET);
    expect(() => sessionSecret({ SESSION_SECRET: "short" })).toThrow(/at least 32/);
  });

  it("otherwise generates one into the data folder on first use (owner-only) and keeps it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sp-secret-"));
    const file = join(dir, "data", "session-secret");
    const first = sessionSecret({}, file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sessionSecret({}, file)).toBe(first);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    writeFileSync(file, "tiny");
    expect(() => sessionSecret({}, file)).toThrow(/fewer than 32/);
  });
});
