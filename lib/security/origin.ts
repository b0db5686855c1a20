/**
 * Cross-site request forgery: a state-changing request (anything but GET, HEAD and OPTIONS) is
 * served only when it comes from a page of this same origin, scheme and host (the host from
 * `X-Forwarded-Host` only behind a trusted proxy: lib/auth/forwarded.ts). Browsers send `Origin`
 * on such requests; with sign-in on it is required, and in the local demo a request without it
 * (a command line client) is let through unless `Sec-Fetch-Site` says it crossed sites.
 */
import { isStateChanging } from "@/lib/auth/access";
import { requestHost } from "@/lib/auth/forwarded";

export { requestHost };

/** Why the request is refused, or null when it may proceed. `https`: whether this request came over https. */
export function crossOriginRefusal(method: string, headers: Headers, requireOrigin: boolean, https: boolean): string | null {
  if (!isStateChanging(method)) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `a ${site} request may not change anything`;
  const origin = headers.get("origin");
  if (!origin) return requireOrigin ? "a request that changes something must carry an Origin header" : null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return "the request's Origin is not a web origin";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "the request's Origin is not a web origin";
  const expected = requestHost(headers);
  if (!expected || url.host.toLowerCase() !== expected || url.protocol !== (https ? "https:" : "http:")) {
    return `requests from ${origin} may not change anything here`;
  }
  return null;
}
