/**
 * Next.js 16 proxy (formerly middleware), on the Node.js runtime, for every request: the central
 * place where sign-in, roles, same-origin checks and security headers are enforced. The logic
 * lives in lib/security/proxy-handler.ts; the route → role table in lib/auth/access.ts.
 */
import type { NextRequest } from "next/server";
import { handleRequest } from "./lib/security/proxy-handler";

export function proxy(request: NextRequest): Promise<Response> {
  return handleRequest(request);
}

// Every path but the snapshot upload. For a request the proxy runs on, Next.js buffers the body
// (up to next.config.js's proxyClientMaxBodySize) and waits for all of it before answering, even
// when the proxy refuses it; the upload route instead makes the proxy's checks itself on the
// headers (lib/security/route-guard.ts) before it reads a byte of its body.
export const config = {
  matcher: ["/((?!api/snapshots$).*)"],
};
