/**
 * Azure resource ID and URI helpers. Azure compares IDs case-insensitively, so every lookup key
 * goes through `idKey`; the original spelling is kept separately for display. These run once per
 * document on the evaluation hot path, so they scan characters instead of splitting strings.
 */

/**
 * The lookup key of an ID, scope or map key: trimmed, lower-cased, trailing slashes removed (so
 * `…/accounts/x/` finds `…/accounts/x`; the root scope stays "/").
 */
export function idKey(id: string): string {
  const key = hasOuterSpace(id) ? id.trim().toLowerCase() : id.toLowerCase();
  return key.length > 1 && key.charCodeAt(key.length - 1) === 47 /* / */ ? trimTrailingSlash(key) : key;
}

function hasOuterSpace(s: string): boolean {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32 || s.charCodeAt(0) === 0xa0);
}

/** The subscription GUID in `/subscriptions/{id}/…`, as spelled; undefined for other scopes. */
export function subscriptionOf(id: string): string | undefined {
  const s = hasOuterSpace(id) ? id.trim() : id;
  return segmentAt(s, "/subscriptions/", 0);
}

/** The resource group in `/subscriptions/{s}/resourceGroups/{rg}/…`, as spelled. */
export function resourceGroupOf(id: string): string | undefined {
  const s = hasOuterSpace(id) ? id.trim() : id;
  const sub = segmentAt(s, "/subscriptions/", 0);
  if (sub === undefined) return undefined;
  return segmentAt(s, "/resourcegroups/", "/subscriptions/".length + sub.length);
}

/** The segment after `prefix` (lower case, with slashes) when `s` has it at `at`. */
function segmentAt(s: string, prefix: string, at: number): string | undefined {
  if (!startsWithCi(s, prefix, at)) return undefined;
  const start = at + prefix.length;
  const end = s.indexOf("/", start);
  const segment = end < 0 ? s.slice(start) : s.slice(start, end);
  return segment === "" ? undefined : segment;
}

/** Case-insensitive (ASCII) `s.startsWith(lowerPrefix, at)` without allocating. */
function startsWithCi(s: string, lowerPrefix: string, at: number): boolean {
  if (s.length < at + lowerPrefix.length) return false;
  for (let i = 0; i < lowerPrefix.length; i++) {
    const c = s.charCodeAt(at + i);
    const p = lowerPrefix.charCodeAt(i);
    if (c !== p && !(c >= 65 && c <= 90 && c + 32 === p)) return false;
  }
  return true;
}

/** The last path segment: the resource's name. */
export function lastSegment(id: string): string {
  let end = id.length;
  while (end > 0 && (id.charCodeAt(end - 1) === 47 || id.charCodeAt(end - 1) <= 32)) end--;
  const start = id.lastIndexOf("/", end - 1) + 1;
  return start === 0 && end === id.length ? id : id.slice(start, end);
}

/** Removes trailing slashes, except for the root scope "/" itself. */
export function trimTrailingSlash(key: string): string {
  let end = key.length;
  while (end > 1 && key.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === key.length ? key : key.slice(0, end);
}

/**
 * Whether a role assignment at `scopeKey` reaches the resource `targetKey` as CONTROLS.md counts
 * it (both already `idKey`-ed): the resource itself, its resource group, its subscription or `/`,
 * by whole path segments (`…/stspeech0` is not `…/stspeech01`'s), and no other path prefix
 * (`/subscriptions`, `…/providers/Microsoft.Storage` are not scopes a grant covers it from).
 */
export function isGrantScopeFor(scopeKey: string, targetKey: string): boolean {
  const scope = trimTrailingSlash(scopeKey);
  if (scope === "/") return true;
  const target = trimTrailingSlash(targetKey);
  if (target === scope) return true;
  if (!(target.length > scope.length && target.startsWith(scope) && target.charCodeAt(scope.length) === 47)) return false;
  // A proper ancestor: only "/subscriptions/{s}" or "/subscriptions/{s}/resourcegroups/{rg}".
  const segments = scope.split("/");
  return (
    segments[1] === "subscriptions" &&
    segments[2] !== "" &&
    (segments.length === 3 || (segments.length === 5 && segments[3] === "resourcegroups" && segments[4] !== ""))
  );
}

/**
 * The key a Key Vault URI is matched by (CONTROLS.md "Reading the documents"): its host and port,
 * lower-cased, with port 443 counting as no port; scheme, user info, path, query and trailing `/`
 * are ignored (`HTTPS://KV.vault.azure.net:443/keys` and `kv.vault.azure.net` match).
 */
export function vaultUriKey(uri: string): string {
  const s = uri.trim().toLowerCase();
  const scheme = s.indexOf("://");
  let start = scheme < 0 ? 0 : scheme + 3;
  let end = s.length;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const at = s.lastIndexOf("@", end - 1);
  if (at >= start) start = at + 1;
  let host = s.slice(start, end);
  if (host.endsWith(":443")) host = host.slice(0, -4);
  else if (host.endsWith(":")) host = host.slice(0, -1);
  return host;
}

/** An ID key and every scope above it, cut at each `/` (the scopes a policy exemption or role grant may sit at). */
export function scopesAbove(key: string): string[] {
  const out = [key];
  for (let i = key.lastIndexOf("/"); i > 0; i = key.lastIndexOf("/", i - 1)) out.push(key.slice(0, i));
  return out;
}
