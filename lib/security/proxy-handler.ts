/**
 * What the root `proxy.ts` does for every request, in order:
 *   1. sign-in settings are valid (otherwise every request gets a 500 naming what to fix);
 *   2. in the local demo (`AUTH_MODE=none`) the Host is a loopback name (no DNS rebinding), and the
 *      path can be percent-decoded (400 otherwise; Next.js itself would answer 500);
 *   3. a state-changing request comes from this origin (CSRF);
 *   4. the route's role (lib/auth/access): no session → 401 JSON for the API and server actions,
 *      a redirect to /signin for pages; the wrong role → 403;
 *   5. a server action whose body is not what Next.js decodes → 400 (Next.js would answer 500);
 *      a snapshot upload that declares a length over the limit → 413;
 *   6. security headers on the response, with a fresh CSP nonce handed to Next.js for pages.
 */
import { NextResponse, type NextRequest } from "next/server";
import { requiredAccess } from "@/lib/auth/access";
import { AuthConfigError, authConfig, isLoopbackHost, type AuthConfig } from "@/lib/auth/config";
import { principalFromCookie } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/roles";
import { requestIsHttps } from "@/lib/auth/forwarded";
import { sessionCookieValue } from "@/lib/auth/session";
import { NON_PAGE_POLICY, commonSecurityHeaders, newNonce, pageContentSecurityPolicy } from "./headers";
import { malformedActionBody } from "./action-body";
import { crossOriginRefusal } from "./origin";
import { UPLOAD_PATH, declaredTooLarge, uploadLimitBytes } from "./upload-limit";

function jsonError(status: number, code: string, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { ...headers, "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-security-policy": NON_PAGE_POLICY },
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlError(status: number, title: string, text: string, headers: Record<string, string>): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Speech Posture</title></head><body style="font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/">Back to the overview</a> · <a href="/signout">Sign out</a></p></body></html>`;
  return new Response(body, {
    status,
    headers: {
      ...headers,
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    },
  });
}

let reportedConfigError = false;

/** The path (and query, without Next's `_rsc` cache key) to come back to after signing in. */
function returnPath(request: NextRequest): string {
  const url = request.nextUrl.clone();
  url.searchParams.delete("_rsc");
  return `${url.pathname}${url.search}`;
}

function signInOrigins(config: AuthConfig): string[] {
  return config.entra ? [new URL(config.entra.authority).origin] : [];
}

function decodablePath(path: string): boolean {
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

export async function handleRequest(request: NextRequest): Promise<Response> {
  const path = request.nextUrl.pathname;
  const method = request.method.toUpperCase();
  const https = requestIsHttps(request.url, request.headers);
  const common = commonSecurityHeaders(https);

  let config: AuthConfig;
  try {
    config = authConfig();
  } catch (error) {
    if (!(error instanceof AuthConfigError)) throw error;
    if (!reportedConfigError) {
      reportedConfigError = true;
      console.error(`speech-posture: refusing to serve: ${error.message}`);
    }
    return new Response(`Speech Posture is not configured safely and serves nothing: ${error.message}\n`, {
      status: 500,
      headers: { ...common, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }

  const isApi = path === "/api" || path.startsWith("/api/");
  const isAction = method === "POST" && request.headers.has("next-action");
  // Everything but the API and build assets may be a page (the icon gets a page's policy too).
  const isPage = !isApi && !path.startsWith("/_next/");
  const fail = (status: number, code: string, message: string) =>
    isApi || isAction || !isPage ? jsonError(status, code, message, common) : htmlError(status, status === 403 ? "Not allowed" : "Refused", message, common);

  if (config.mode === "none") {
    let hostname = "";
    try {
      hostname = new URL(`http://${request.headers.get("host") ?? ""}`).hostname;
    } catch {
      /* not a host */
    }
    if (!isLoopbackHost(hostname)) return fail(421, "misdirected", "This demo server (no sign-in) only answers requests addressed to localhost.");
  }

  // Next.js answers a path it cannot percent-decode with a 500 (App Router apps have no error page for its 400).
  if (!decodablePath(path)) return fail(400, "invalid_input", "The URL is not validly percent-encoded.");

  const refusal = crossOriginRefusal(method, request.headers, config.mode === "entra", https);
  if (refusal) return fail(403, "cross_origin", `Refused: ${refusal}.`);

  const access = requiredAccess(method, path, isAction);
  if (access !== "public") {
    const principal = await principalFromCookie(sessionCookieValue(request.headers.get("cookie"), https));
    if (!principal) {
      if (isApi || isAction || !isPage) return jsonError(401, "unauthenticated", "Sign in to use Speech Posture.", common);
      // Next.js turns a same-origin Location into a relative one, so the browser stays on the host it asked for.
      const target = new URL("/signin", request.url);
      target.search = `?next=${encodeURIComponent(returnPath(request))}`;
      const res = NextResponse.redirect(target, 307);
      for (const [k, v] of Object.entries(common)) res.headers.set(k, v);
      res.headers.set("cache-control", "no-store");
      return res;
    }
    if (!hasRole(principal.roles, access)) return fail(403, "forbidden", `This needs the ${access} role, which your account does not have.`);
  }

  if (isAction) {
    const malformed = await malformedActionBody(request);
    if (malformed) return jsonError(400, "invalid_input", `Refused: ${malformed}.`, common);
  }

  // An upload that says it is too large is refused without running the route.
  if (method === "POST" && path === UPLOAD_PATH) {
    const limit = uploadLimitBytes();
    if (declaredTooLarge(request.headers, limit)) {
      return new Response(
        JSON.stringify({ error: { code: "payload_too_large", message: `The request body is larger than the limit of ${limit} bytes`, limit } }),
        {
          status: 413,
          headers: { ...common, "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-security-policy": NON_PAGE_POLICY },
        },
      );
    }
  }

  const requestHeaders = new Headers(request.headers);
  let policy = NON_PAGE_POLICY;
  if (isPage) {
    const nonce = newNonce();
    policy = pageContentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", signInOrigins: signInOrigins(config), https });
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", policy);
  } else {
    requestHeaders.delete("x-nonce");
    requestHeaders.delete("content-security-policy");
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(common)) response.headers.set(k, v);
  response.headers.set("content-security-policy", policy);
  if (isApi) response.headers.set("cache-control", "no-store, no-transform");
  return response;
}
