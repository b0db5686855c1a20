/**
 * Speech-to-text data plane, one account per custom subdomain: `GET /speech/{subdomain}/speechtotext/v3.2/endpoints`
 * (and the `/speechtotext/endpoints?api-version=` form). A closed network refuses the call with the
 * service's own 403 messages unless the scanner sits inside the private network.
 */
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { RequestContext, ServerState } from "@/emulator/http/context";
import { armError, authorizationFailed, SPEECH_FIREWALL_DENIED, SPEECH_PUBLIC_ACCESS_DISABLED } from "@/emulator/http/errors";
import type { Reply } from "@/emulator/http/respond";
import { TenantIndex } from "@/emulator/tenant-index";

const ROUTE = /^\/speech\/([^/]+)\/speechtotext\/(?:(v3\.[12])\/)?endpoints$/i;
const DATED_VERSIONS = ["2024-11-15", "2025-10-15"];
const MAX_TOP = 100;

export function handleSpeech(ctx: RequestContext, state: ServerState): Reply {
  const m = ROUTE.exec(ctx.path.replace(/\/$/, ""));
  if (!m) return { status: 404, body: armError("NotFound", `The emulator does not serve '${ctx.method} ${ctx.path}' on the Speech data plane.`) };
  if (ctx.method !== "GET") return { status: 405, body: armError("MethodNotAllowed", "The emulator serves only GET on the Speech data plane.") };
  const [, subdomain, pathVersion] = m;
  if (!pathVersion) {
    const v = ctx.url.searchParams.get("api-version");
    if (!v || !DATED_VERSIONS.includes(v)) {
      return {
        status: 400,
        body: armError("InvalidArgument", `The api-version '${v ?? ""}' is not supported. Supported versions: ${DATED_VERSIONS.join(", ")}.`),
      };
    }
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
  if (!subscription.visible || state.faults.isDeniedResource(account.id, subscription.subscriptionId)) {
    return { status: 403, body: authorizationFailed(ctx.caller, "Microsoft.CognitiveServices/accounts/SpeechServices/speechrest/endpoints/read", account.id) };
  }
  const skip = intParam(ctx.url, "skip", 0);
  const top = intParam(ctx.url, "top", MAX_TOP);
  if (skip === undefined || top === undefined || top < 1) {
    return { status: 400, body: armError("InvalidArgument", "The parameters 'skip' and 'top' must be non-negative integers, 'top' at least 1.") };
  }
  const size = Math.min(top, MAX_TOP);
  const all = state.index.tenant.speechEndpoints.get(account.id.toLowerCase()) ?? [];
  const body: Record<string, unknown> = { values: all.slice(skip, skip + size) };
  if (skip + size < all.length) {
    const next = new URL(ctx.url.pathname, ctx.origin);
    for (const [k, v] of ctx.url.searchParams) if (k !== "skip" && k !== "top") next.searchParams.set(k, v);
    next.searchParams.set("skip", String(skip + size));
    next.searchParams.set("top", String(size));
    body["@nextLink"] = next.toString();
  }
  return { status: 200, body };
}

function intParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}
