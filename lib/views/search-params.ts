/** Next's `searchParams` object ↔ URLSearchParams, and building links that keep or change URL state. */

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

export function toURLSearchParams(sp: SearchParamsRecord | undefined): URLSearchParams {
  const out = new URLSearchParams();
  if (!sp) return out;
  for (const [k, v] of Object.entries(sp)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}

/** The first value of a parameter, trimmed; undefined when absent or blank. */
export function first(sp: SearchParamsRecord | undefined, name: string): string | undefined {
  const v = sp?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  return t ? t : undefined;
}

/** A positive page number from the URL (1 when absent or not a number). */
export function pageParam(sp: SearchParamsRecord | undefined, name = "page"): number {
  const v = first(sp, name);
  const n = v && /^\d{1,7}$/.test(v) ? Number(v) : 1;
  return n >= 1 ? n : 1;
}

/** `path?params`, dropping empty values; `changes` set (string/array) or delete (undefined/null) parameters. */
export function hrefWith(path: string, current: URLSearchParams, changes: Record<string, string | string[] | number | null | undefined>): string {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    next.delete(k);
    if (v === undefined || v === null || v === "") continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) if (one !== "") next.append(k, one);
  }
  const qs = next.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The dashboard URL of a resource: `/resources/subscriptions/…/accounts/name`. */
export function resourceHref(resourceId: string, scanId?: string): string {
  const path = resourceId
    .split("/")
    .filter((s) => s !== "")
    .map((s) => encodeDotSegment(encodeURIComponent(s)))
    .join("/");
  return `/resources/${path}${scanId ? `?scan=${encodeURIComponent(scanId)}` : ""}`;
}

/**
 * A segment of only dots would move a link up the path ("/resources/subscriptions/../../api/…"
 * is "/api/…"), and browsers treat "%2E" as a dot too, so its dots are encoded twice ("%252E"):
 * the link stays under /resources/. Azure names never consist of dots alone.
 */
function encodeDotSegment(segment: string): string {
  return /^\.+$/.test(segment) ? segment.replace(/\./g, "%252E") : segment;
}

/** The resource ID back from the catch-all route segments. */
export function resourceIdFromSegments(segments: readonly string[]): string {
  return (
    "/" +
    segments
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      })
      .join("/")
  );
}

/**
 * The blast-radius page of a storage account or key vault: every Speech resource depending on it.
 * A vault the scan knows only by name gets a name-only ID.
 */
export function dependenciesHref(resourceId: string | null, kind: "storage" | "vault", name: string, scanId?: string): string {
  const id = resourceId ?? (kind === "vault" ? `/providers/Microsoft.KeyVault/vaults/${name}` : `/providers/Microsoft.Storage/storageAccounts/${name}`);
  return resourceHref(id, scanId).replace(/^\/resources\//, "/dependencies/");
}

export function subscriptionHref(subscriptionId: string, scanId?: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}${scanId ? `?scan=${encodeURIComponent(scanId)}` : ""}`;
}

export function findingsHref(filters: Record<string, string | string[] | undefined>): string {
  return hrefWith("/findings", new URLSearchParams(), filters);
}
