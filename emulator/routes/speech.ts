/**
 * Speech-to-text data plane, one account per custom subdomain under `/speech/{subdomain}`:
 * `GET /speechtotext/endpoints?api-version=` and `GET /speechtotext/endpoints/{id}?api-version=`
 * (specs `data-plane/Speech/SpeechToText/stable/2025-10-15`). The path-versioned v3.0–v3.2 API was
 * retired on 2026-03-31 and is answered as gone. A closed network refuses the call with the gateway's
 * own 403 messages unless the scanner sits inside the private network.
 */
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { RequestContext, ServerState } from "@/emulator/http/context";
import { armError, authorizationFailed, SPEECH_FIREWALL_DENIED, SPEECH_PUBLIC_ACCESS_DISABLED } from "@/emulator/http/errors";
import type { Reply } from "@/emulator/http/respond";
import { TenantIndex } from "@/emulator/tenant-index";
import { refuseOtherTenant } from "./arm";

const ROUTE = /^\/speech\/([^/]+)\/speechtotext\/endpoints(?:\/([^/]+))?$/i;
const RETIRED = /^\/speech\/[^/]+\/speechtotext\/(v3\.[0-2](?:-preview\.\d+)?)(?:\/|$)/i;
/** Generally available dated versions (2024-05-15-preview is still served too, until its retirement date). */
export const SPEECH_API_VERSIONS = ["2024-05-15-preview", "2024-11-15", "2025-10-15"];
const MAX_TOP = 100;

/** The Speech service's own error body (`Error` in the spec: code, message, innerError at the top level). */
export function speechError(code: string, message: string, innerCode?: string) {
  return innerCode ? { code, message, innerError: { code: innerCode, message } } : { code, message };
}

export function handleSpeech(ctx: RequestContext, state: ServerState): Reply {
  const path = ctx.path.replace(/\/$/, "");
  const retired = RETIRED.exec(path);
  if (retired) {
    // No public document gives the status a retired path answers; 404 in the service's error shape (README).
    return {
      status: 404,
      body: speechError("NotFound", `Speech to text REST API ${retired[1]} was retired on 2026-03-31. Use /speechtotext/endpoints?api-version=2025-10-15.`),
    };
  }
  const m = ROUTE.exec(path);
  if (!m) return { status: 404, body: speechError("NotFound", `The Speech data plane does not serve '${ctx.method} ${ctx.url.pathname}'.`) };
  if (ctx.method !== "GET") return { status: 405, body: speechError("NotAllowed", "The emulator serves only GET on the Speech data plane.") };
  const [, subdomain, endpointId] = m;
  const version = ctx.url.searchParams.get("api-version");
  if (!version || !SPEECH_API_VERSIONS.includes(version)) {
    const what = version ? `The api-version '${version}' is not supported.` : "The api-version query parameter is required.";
    return {
      status: 400,
      body: speechError("InvalidRequest", `${what} Supported versions: ${SPEECH_API_VERSIONS.join(", ")}.`, "InvalidParameterValue"),
    };
  }
  const account = state.index.accountBySubdomain(subdomain);
  const subscription = account ? state.index.subscriptions.get(TenantIndex.subscriptionOf(account)) : undefined;
  if (!account || !isSpeechAccount(account) || !subscription) {
    return { status: 404, body: armError("ResourceNotFound", `No Speech resource answers at the custom subdomain '${subdomain}'.`) };
  }
  const props = (account.properties ?? {}) as { publicNetworkAccess?: unknown; networkAcls?: { defaultAction?: unknown } };
  if (!state.privateNetwork) {
    if (typeof props.publicNetworkAccess === "string" && props.publicNetworkAccess.toLowerCase() === "disabled") {
      return { status: 403, body: armError("Forbidden", SPEECH_PUBLIC_ACCESS_DISABLED) };
    }
    if (typeof props.networkAcls?.defaultAction === "string" && props.networkAcls.defaultAction.toLowerCase() === "deny") {
      return { status: 403, body: armError("Forbidden", SPEECH_FIREWALL_DENIED) };
    }
  }
  const foreign = refuseOtherTenant(ctx, state, subscription.subscriptionId);
  if (foreign) return foreign;
  if (!subscription.visible || state.faults.isDeniedResource(account.id, subscription.subscriptionId) || !state.access.canRead(ctx.caller, account.id)) {
    return { status: 403, body: authorizationFailed(ctx.caller, "Microsoft.CognitiveServices/accounts/SpeechServices/speechrest/endpoints/read", account.id) };
  }
  const base = `${ctx.origin}/speech/${subdomain}/speechtotext`;
  const all = state.index.speechEndpoints(account.id) ?? [];
  if (endpointId) {
    const found = all.find((e) => endpointIdOf(e) === endpointId.toLowerCase());
    if (!found) return { status: 404, body: speechError("NotFound", `The endpoint '${endpointId}' does not exist.`) };
    return { status: 200, body: rehost(found, base, version) };
  }
  const skip = intParam(ctx.url, "skip", 0);
  const top = intParam(ctx.url, "top", MAX_TOP);
  if (skip === undefined || top === undefined || top < 1) {
    return {
      status: 400,
      body: speechError("InvalidArgument", "The parameters 'skip' and 'top' must be non-negative integers, 'top' at least 1.", "InvalidParameterValue"),
    };
  }
  const size = Math.min(top, MAX_TOP);
  const body: Record<string, unknown> = { values: all.slice(skip, skip + size).map((e) => rehost(e, base, version)) };
  if (skip + size < all.length) {
    // As in the spec's example: skip, top, then the other parameters, api-version last.
    const next = new URL(`${base}/endpoints`);
    next.searchParams.set("skip", String(skip + size));
    next.searchParams.set("top", String(size));
    for (const [k, v] of ctx.url.searchParams) if (k !== "skip" && k !== "top" && k !== "api-version") next.searchParams.set(k, v);
    next.searchParams.set("api-version", version);
    body["@nextLink"] = next.toString();
  }
  return { status: 200, body };
}

function endpointIdOf(endpoint: object): string {
  const self = (endpoint as { self?: unknown }).self;
  return typeof self === "string" ? (/\/endpoints\/([^/?]+)/.exec(self)?.[1] ?? "").toLowerCase() : "";
}

/** `self` links as the service writes them: on the host the request went to, with the requested api-version. */
function rehost(endpoint: object, base: string, version: string): object {
  const move = (link: unknown) => {
    if (typeof link !== "string") return link;
    const m = /^https:\/\/[^/]+(?:\/speech\/[^/]+)?\/speechtotext(\/[^?]*)/.exec(link);
    return m ? `${base}${m[1]}?api-version=${version}` : link;
  };
  const e = endpoint as Record<string, unknown>;
  const out: Record<string, unknown> = { ...e, self: move(e.self) };
  for (const ref of ["model", "project"] as const) {
    const r = e[ref] as { self?: unknown } | undefined;
    if (r && typeof r === "object") out[ref] = { ...r, self: move(r.self) };
  }
  return out;
}

function intParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}
