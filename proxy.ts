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
