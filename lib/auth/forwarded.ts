/**
 * What a reverse proxy says about the original request (`X-Forwarded-Proto`, `X-Forwarded-Host`)
 * is believed only when SPEECH_POSTURE_TRUST_PROXY=1 says one stands in front of the server and
 * sets those headers itself. Otherwise any client could send them: `X-Forwarded-Host: evil` made
 * `Origin: evil` look same-origin, and `X-Forwarded-Proto` picks which session cookie is read.
 */
import { isHttps } from "./session";

type Env = Record<string, string | undefined>;

export function trustProxy(env: Env = process.env): boolean {
  const v = env.SPEECH_POSTURE_TRUST_PROXY?.trim().toLowerCase();
  return v === "1" || v === "true";
}

/**
 * Whether the browser reached us over https. Untrusted, an `X-Forwarded-Proto` header makes the
 * request plain http (Next.js itself builds an https URL from that header).
 */
export function requestIsHttps(url: string, headers: Headers, env: Env = process.env): boolean {
  const forwardedProto = headers.get("x-forwarded-proto");
  if (trustProxy(env)) return isHttps(url, forwardedProto);
  return forwardedProto === null && url.startsWith("https:");
}

/** The host the browser addressed: the proxy's `X-Forwarded-Host` when trusted, else `Host`. */
export function requestHost(headers: Headers, env: Env = process.env): string | null {
  const forwarded = trustProxy(env) ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || headers.get("host") || "").toLowerCase() || null;
}
