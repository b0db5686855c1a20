/**
 * The route → role table against every route on disk: each page and each exported handler method
 * has the role written down here, so a new route or method cannot appear without someone deciding
 * who may call it.
 */
import { describe, expect, it } from "vitest";
import { discoverRoutes } from "@/lib/security/testing/routes";
import { isStateChanging, requiredAccess, type Access } from "./access";

const R = "Posture.Reader";
const O = "Posture.Operator";
const A = "Posture.Admin";

/** method + route pattern → who may call it. */
const EXPECTED: Record<string, Access> = {
  "GET /": R,
  "GET /controls": R,
  "GET /exceptions": R,
  "GET /findings": R,
  "GET /resources/[...id]": R,
  "GET /dependencies/[...id]": R,
  "GET /scans": R,
  "GET /subscriptions/[id]": R,
  "GET /signin": "public",
  "GET /signin/callback": "public",
  "GET /signout": "public",
  "GET /icon.svg": "public",
  "GET /favicon.ico": "public",
  "GET /apple-touch-icon.png": "public",
  "GET /icon-192.png": "public",
  "GET /icon-512.png": "public",
  "GET /site.webmanifest": "public",
  "GET /audit": A,
  "GET /settings": A,
  "GET /api/audit": A,
  "GET /api/settings": A,
  "PUT /api/settings": A,
  "GET /settings/alerts": A,
  "GET /api/alerts": A,
  "POST /api/alerts/rules": A,
  "DELETE /api/alerts/rules/[id]": A,
  "POST /api/alerts/destinations": A,
  "DELETE /api/alerts/destinations/[id]": A,
  "POST /api/alerts/destinations/[id]/test": A,
  "GET /api/alerts/deliveries": A,
  "GET /api/exceptions": R,
  "POST /api/exceptions": O,
  "DELETE /api/exceptions/[id]": O,
  "PATCH /api/exceptions/[id]": O,
  "POST /api/scans/[id]/findings/exceptions": O,
  "GET /api/resources/[...resourceId]": R,
  "GET /api/scans": R,
  "POST /api/scans": O,
  "GET /api/scans/latest": R,
  "GET /api/scans/[id]": R,
  "DELETE /api/scans/[id]": O,
  "GET /api/scans/[id]/diff": R,
  "GET /api/scans/[id]/diff/export": R,
  "GET /api/scans/[id]/events": R,
  "GET /api/scans/[id]/export": R,
  "GET /api/scans/[id]/findings": R,
  "GET /api/scans/[id]/report.pdf": R,
  "POST /api/snapshots": O,
  "GET /api/trend": R,
  "GET /api/session": "public",
  "POST /api/session": "public",
  "DELETE /api/session": "public",
};
/** Pages that may be added later and must stay Admin-only. */
const ADMIN_PAGES = ["/settings", "/settings/alerts", "/audit", "/audit/123"];

describe("route → role table", () => {
  const routes = discoverRoutes();

  it("discovers the app's pages and handlers", () => {
    expect(routes.filter((r) => r.kind === "page").length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((r) => r.kind === "handler").length).toBeGreaterThanOrEqual(15);
  });

  it("gives every route on disk exactly the role written down for it", () => {
    const actual: Record<string, Access> = {};
    for (const r of routes) for (const m of r.methods) actual[`${m} ${r.pattern}`] = requiredAccess(m, r.path, false);
    const missing = Object.keys(actual).filter((k) => !(k in EXPECTED));
    expect(missing, "routes without a decided role: add them to EXPECTED (and lib/auth/access.ts)").toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((k) => !(k in actual)),
      "EXPECTED names routes that no longer exist",
    ).toEqual([]);
    for (const [k, v] of Object.entries(actual)) expect(`${k} → ${v}`).toBe(`${k} → ${EXPECTED[k]}`);
  });

  it("needs an Operator for server actions on any page, and an Admin on admin pages", () => {
    for (const r of routes.filter((x) => x.kind === "page")) expect(requiredAccess("POST", r.path, true)).toBe(ADMIN_PAGES.includes(r.path) ? A : O);
    for (const p of ADMIN_PAGES) {
      expect(requiredAccess("GET", p, false)).toBe(A);
      expect(requiredAccess("POST", p, true)).toBe(A);
    }
  });

  it("closes what it does not know: other methods and unknown API routes need an Admin", () => {
    expect(requiredAccess("PATCH", "/api/scans/abc", false)).toBe(A);
    expect(requiredAccess("POST", "/api/unknown", false)).toBe(A);
    expect(requiredAccess("POST", "/findings", false)).toBe(A);
    expect(requiredAccess("OPTIONS", "/api/scans", false)).toBe(A);
    expect(requiredAccess("GET", "/api/not-yet-written", false)).toBe(R);
    expect(requiredAccess("GET", "/signin/../api/audit", false)).toBe(R);
  });

  it("treats only GET, HEAD and OPTIONS as safe", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) expect(isStateChanging(m)).toBe(false);
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "PROPFIND"]) expect(isStateChanging(m)).toBe(true);
  });

  it("changes nothing through GET: handlers that export GET only read (their state-changing twins are separate methods)", () => {
    for (const r of routes.filter((x) => x.kind === "handler" && x.methods.includes("GET"))) {
      expect(requiredAccess("GET", r.path, false), r.pattern).not.toBe(O);
    }
  });
});
