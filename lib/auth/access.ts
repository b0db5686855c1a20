/**
 * Who may do what: the one table the proxy enforces for every request, by method and path.
 * Pages need a Reader, server actions (POSTs with a `Next-Action` header) an Operator, the audit
 * trail and settings an Admin. A route or method the table does not know needs an Admin (closed
 * by default). Route handlers and server actions check their role again (requireRole).
 */
import type { Role } from "./roles";

export type Access = "public" | Role;

interface Rule {
  methods: readonly string[] | "*";
  path: RegExp;
  access: Access;
  /** What the rule is for, in docs and test names. */
  what: string;
}

const READ = ["GET", "HEAD"] as const;
const SEG = "[^/]+";

/** API routes, first match wins. */
export const API_RULES: readonly Rule[] = [
  { methods: "*", path: /^\/api\/session$/, access: "public", what: "sign-in exchange and sign-out (checks the token itself)" },
  { methods: READ, path: /^\/api\/audit$/, access: "Posture.Admin", what: "the audit trail" },
  { methods: [...READ, "PUT"], path: /^\/api\/settings$/, access: "Posture.Admin", what: "settings" },
  { methods: "*", path: /^\/api\/alerts(?:\/.*)?$/, access: "Posture.Admin", what: "alert rules, destinations and the delivery log" },
  { methods: ["POST"], path: /^\/api\/scans$/, access: "Posture.Operator", what: "start a scan" },
  { methods: ["DELETE"], path: new RegExp(`^/api/scans/${SEG}$`), access: "Posture.Operator", what: "cancel a scan" },
  { methods: ["POST"], path: /^\/api\/snapshots$/, access: "Posture.Operator", what: "upload a snapshot" },
  { methods: ["POST"], path: /^\/api\/exceptions$/, access: "Posture.Operator", what: "create an exception" },
  { methods: ["DELETE", "PATCH"], path: new RegExp(`^/api/exceptions/${SEG}$`), access: "Posture.Operator", what: "edit, renew or remove an exception" },
  {
    methods: ["POST"],
    path: new RegExp(`^/api/scans/${SEG}/findings/exceptions$`),
    access: "Posture.Operator",
    what: "create exceptions for a filtered view's findings",
  },
  { methods: READ, path: /^\/api(?:\/.*)?$/, access: "Posture.Reader", what: "read scans, findings, resources, trend, exceptions and exports" },
];

/** Paths served to anyone: the sign-in pages, the redirect bridge, build assets, the icons and the web manifest (public/). */
export const PUBLIC_PATHS: readonly RegExp[] = [
  /^\/signin$/,
  /^\/signin\/callback$/,
  /^\/signout$/,
  /^\/_next\/static\//,
  /^\/icon\.svg$/,
  /^\/favicon\.ico$/,
  /^\/apple-touch-icon\.png$/,
  /^\/icon-(?:192|512)\.png$/,
  /^\/site\.webmanifest$/,
];

/** Pages only an Admin may open. */
const ADMIN_PAGES = /^\/(?:settings|audit)(?:\/|$)/;

export function requiredAccess(method: string, pathname: string, isServerAction: boolean): Access {
  const m = method.toUpperCase();
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    for (const rule of API_RULES) {
      if (rule.path.test(pathname) && (rule.methods === "*" || rule.methods.includes(m))) return rule.access;
    }
    return "Posture.Admin";
  }
  // Server actions are POSTs to a page; whatever page they are posted to, they change state.
  if (isServerAction) return ADMIN_PAGES.test(pathname) ? "Posture.Admin" : "Posture.Operator";
  if (m === "GET" || m === "HEAD") {
    if (PUBLIC_PATHS.some((p) => p.test(pathname))) return "public";
    if (ADMIN_PAGES.test(pathname)) return "Posture.Admin";
    return "Posture.Reader";
  }
  return "Posture.Admin";
}

export function isStateChanging(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}
