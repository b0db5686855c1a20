/**
 * The security headers on every response. Pages get a Content-Security-Policy with a fresh nonce
 * per request (Next.js reads it from the request's CSP header and puts it on its own scripts), no
 * `unsafe-inline` scripts and no `unsafe-eval` outside development; everything else gets a policy
 * that allows nothing. Framing is refused everywhere; HSTS is sent over https.
 */
import { randomBytes } from "node:crypto";

export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

export interface PagePolicyOptions {
  nonce: string;
  /** `next dev` needs eval for its debugging aids; a production server never allows it. */
  dev: boolean;
  /** Origins the browser talks to while signing in (the Entra authority). */
  signInOrigins: readonly string[];
  https: boolean;
}

export function pageContentSecurityPolicy(o: PagePolicyOptions): string {
  const idp = o.signInOrigins.join(" ");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    // React and the charts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${idp ? ` ${idp}` : ""}`,
    // MSAL renews tokens in a hidden frame on the authority.
    `frame-src ${idp || "'none'"}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (o.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** For API answers, files and anything that is not a page: nothing may load, run or frame it. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function commonSecurityHeaders(https: boolean): Record<string, string> {
  const h: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  };
  if (https) h["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return h;
}
