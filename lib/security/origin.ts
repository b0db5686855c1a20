/**
 * Cross-site request forgery: a state-changing request (anything but GET, HEAD and OPTIONS) is
 * served only when it comes from a page of this same origin. Browsers send `Origin` on such
 * requests; with sign-in on it is required, and in the local demo a request without it (a command
 * line client) is let through unless `Sec-Fetch-Site` says it crossed sites.
 */
import { isStateChanging } from "@/lib/auth/access";

export function requestHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return (forwarded || headers.get("host") || "").toLowerCase() || null;
}

/** Why the request is refused, or null when it may proceed. */
export function crossOriginRefusal(method: string, headers: Headers, requireOrigin: boolean): string | null {
  if (!isStateChanging(method)) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `a ${site} request may not change anything`;
  const origin = headers.get("origin");
  if (!origin) return requireOrigin ? "a request that changes something must carry an Origin header" : null;
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return "the request's Origin is not a web origin";
    host = url.host.toLowerCase();
  } catch {
    return "the request's Origin is not a web origin";
  }
  const expected = requestHost(headers);
  if (!expected || host !== expected) return `requests from ${origin} may not change anything here`;
  return null;
}
