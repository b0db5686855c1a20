/**
 * For a route the proxy does not run on (the snapshot upload: see proxy.ts's matcher, so that
 * Next.js does not buffer its body before anything is checked): the proxy's own checks, run by
 * the route on the request's headers alone, before it reads any of the body.
 */
import { NextRequest } from "next/server";
import { handleRequest } from "./proxy-handler";

/** The proxy's refusal, or the security headers it would have put on the answer. */
export async function proxyChecks(request: Request): Promise<{ refusal: Response } | { headers: Headers }> {
  const headers = new Headers(request.headers);
  if (!headers.has("host")) headers.set("host", new URL(request.url).host);
  const answer = await handleRequest(new NextRequest(request.url, { method: request.method, headers }));
  if (answer.headers.get("x-middleware-next") !== "1") {
    // The body is never read: ask the client to close rather than send the rest of it.
    answer.headers.set("connection", "close");
    return { refusal: answer };
  }
  const security = new Headers();
  for (const [name, value] of answer.headers) if (!name.startsWith("x-middleware-")) security.set(name, value);
  return { headers: security };
}

/** `response` with the given headers added (a new Response when its headers are immutable). */
export function withHeaders(response: Response, headers: Headers): Response {
  const out = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  for (const [name, value] of headers) out.headers.set(name, value);
  return out;
}
