/**
 * ARM GETs the collector makes: the subscription list, diagnostic settings per resource, and
 * single resources (accounts, storage accounts, vaults) in the ARM GET shape. IDs match
 * case-insensitively. What the caller may not read answers 403 `AuthorizationFailed` (checked
 * before existence, as ARM authorizes first); what is readable but missing answers 404.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { RequestContext, ServerState } from "@/emulator/http/context";
import { armError, authorizationFailed, resourceNotFound } from "@/emulator/http/errors";
import type { Reply } from "@/emulator/http/respond";
import { checkApiVersion } from "./api-versions";
import { wrongTenant } from "@/emulator/tenancy";

const SUBSCRIPTION_PAGE = 100;
const ACCOUNT_PAGE = 100;
const RESOURCE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)$/i;
const DIAGNOSTICS = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+)\/providers\/microsoft\.insights\/diagnosticSettings$/i;
const CANONICAL_TYPES: Record<string, string> = {
  "microsoft.cognitiveservices/accounts": "Microsoft.CognitiveServices/accounts",
  "microsoft.storage/storageaccounts": "Microsoft.Storage/storageAccounts",
  "microsoft.keyvault/vaults": "Microsoft.KeyVault/vaults",
  "microsoft.operationalinsights/workspaces": "Microsoft.OperationalInsights/workspaces",
};

export function handleArm(ctx: RequestContext, state: ServerState): Reply {
  if (ctx.method !== "GET") {
    return { status: 405, body: armError("MethodNotAllowed", `The emulator serves only GET on '${ctx.path}'.`) };
  }
  if (ctx.path.includes("//")) {
    // ARM routes by path segments; an empty one (`//subscriptions/…`) matches no route and is not repaired.
    return { status: 400, body: armError("InvalidRequestUri", `The request URI '${ctx.url.pathname}' is not valid: it contains an empty path segment.`) };
  }
  const path = ctx.path.replace(/\/$/, "");
  let m: RegExpExecArray | null;
  if (/^\/subscriptions$/i.test(path)) return listSubscriptions(ctx, state);
  if ((m = /^\/subscriptions\/([^/]+)$/i.exec(path))) return getSubscription(ctx, state, m[1]);
  if ((m = DIAGNOSTICS.exec(path))) return diagnosticSettings(ctx, state, m[1]);
  if ((m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts$/i.exec(path))) return listAccounts(ctx, state, m[1]);
  if ((m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)$/i.exec(path))) return getResourceGroup(ctx, state, m[1], path);
  if ((m = RESOURCE.exec(path))) return getResource(ctx, state, m[1], path, m[3]);
  return { status: 404, body: armError("NotFound", `The emulator does not serve '${ctx.method} ${ctx.path}'.`) };
}

/** 401 for a token of another tenant on a subscription not delegated to the caller; undefined when it reaches it. */
export function refuseOtherTenant(ctx: RequestContext, state: ServerState, subscriptionId: string): Reply | undefined {
  const owner = state.index.tenantOf(subscriptionId);
  if (!owner || state.tenancy.reaches(ctx.caller, ctx.tenantId, subscriptionId)) return undefined;
  return {
    status: 401,
    headers: {
      "www-authenticate": `Bearer authorization_uri="https://login.windows.net/${owner.tenantId}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
    },
    body: wrongTenant(ctx.tenantId, owner.tenantId),
  };
}

/** 404/401/403 for a subscription the caller cannot read; undefined when it can. */
function denySubscription(ctx: RequestContext, state: ServerState, subscriptionId: string, action: string, scope: string): Reply | undefined {
  const sub = state.index.subscriptions.get(subscriptionId.toLowerCase());
  if (!sub) return { status: 404, body: armError("SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`) };
  const foreign = refuseOtherTenant(ctx, state, subscriptionId);
  if (foreign) return foreign;
  if (!sub.visible || state.faults.isDeniedResource(scope, subscriptionId) || !state.access.canRead(ctx.caller, scope)) {
    return { status: 403, body: authorizationFailed(ctx.caller, action, scope) };
  }
  return undefined;
}

/** A subscription as ARM lists it: under its own tenant, with the tenants that manage it through Lighthouse. */
function subscriptionBody(state: ServerState, s: { subscriptionId: string; displayName: string; state: string }) {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: state.tenancy.managedBy(s.subscriptionId).map((tenantId) => ({ tenantId })),
    subscriptionId: s.subscriptionId,
    tenantId: state.index.tenantOf(s.subscriptionId)!.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
  };
}

function listSubscriptions(ctx: RequestContext, state: ServerState): Reply {
  const bad = checkApiVersion(ctx.url, "subscriptions");
  if (bad) return bad;
  // Denied subscriptions are still listed: the caller sees them but cannot read inside them.
  // A principal sees the subscriptions it holds any role in (at them, below them or above them).
  const { access } = state;
  const listed = state.index.visible.filter(
    (s) =>
      state.tenancy.reaches(ctx.caller, ctx.tenantId, s.subscriptionId) &&
      (!access.restricted(ctx.caller) || access.subscriptionAccess(ctx.caller, s.subscriptionId) !== "none"),
  );
  return paged(
    ctx,
    listed.map((s) => subscriptionBody(state, s)),
    SUBSCRIPTION_PAGE,
  );
}

function getSubscription(ctx: RequestContext, state: ServerState, id: string): Reply {
  const { access } = state;
  const partly =
    access.restricted(ctx.caller) &&
    state.index.subscriptions.has(id.toLowerCase()) &&
    state.tenancy.reaches(ctx.caller, ctx.tenantId, id) &&
    access.subscriptionAccess(ctx.caller, id) === "some";
  const bad =
    checkApiVersion(ctx.url, "subscriptions") ??
    (partly ? undefined : denySubscription(ctx, state, id, "Microsoft.Resources/subscriptions/read", `/subscriptions/${id}`));
  if (bad) return bad;
  return { status: 200, body: subscriptionBody(state, state.index.subscriptions.get(id.toLowerCase())!) };
}

function diagnosticSettings(ctx: RequestContext, state: ServerState, resourceId: string): Reply {
  const subscriptionId = resourceId.split("/")[2];
  const bad =
    checkApiVersion(ctx.url, "microsoft.insights/diagnosticsettings", state.index.document(resourceId)?.location) ??
    denySubscription(ctx, state, subscriptionId, "microsoft.insights/diagnosticSettings/read", resourceId);
  if (bad) return bad;
  if (!state.index.document(resourceId)) return { status: 404, body: resourceNotFound(resourceId) };
  return { status: 200, body: { value: state.index.diagnosticSettings(resourceId) ?? [] } };
}

function listAccounts(ctx: RequestContext, state: ServerState, subscriptionId: string): Reply {
  const scope = `/subscriptions/${subscriptionId}`;
  const { access } = state;
  // A list at subscription scope is filtered to what the caller reads; refused only when it reads nothing there.
  const partly =
    access.restricted(ctx.caller) &&
    state.tenancy.reaches(ctx.caller, ctx.tenantId, subscriptionId) &&
    access.subscriptionAccess(ctx.caller, subscriptionId) === "some";
  const bad =
    checkApiVersion(ctx.url, "microsoft.cognitiveservices/accounts") ??
    (partly ? undefined : denySubscription(ctx, state, subscriptionId, "Microsoft.CognitiveServices/accounts/read", scope));
  if (bad) return bad;
  const accounts = state.index
    .rows("resources", [subscriptionId.toLowerCase()])
    .filter((r) => String(r.type).toLowerCase() === "microsoft.cognitiveservices/accounts" && access.canRead(ctx.caller, String(r.id)))
    .map((r) => armShape(r as AzureDocument));
  return paged(ctx, accounts, ACCOUNT_PAGE);
}

function getResourceGroup(ctx: RequestContext, state: ServerState, subscriptionId: string, id: string): Reply {
  const bad =
    checkApiVersion(ctx.url, "resourcegroups") ?? denySubscription(ctx, state, subscriptionId, "Microsoft.Resources/subscriptions/resourceGroups/read", id);
  if (bad) return bad;
  const doc = state.index.resourceGroup(id);
  if (!doc) return { status: 404, body: armError("ResourceGroupNotFound", `Resource group '${id.split("/")[4]}' could not be found.`) };
  return {
    status: 200,
    body: { id: doc.id, name: doc.name, type: "Microsoft.Resources/resourceGroups", location: doc.location, tags: doc.tags, properties: doc.properties },
  };
}

function getResource(ctx: RequestContext, state: ServerState, subscriptionId: string, id: string, namespace: string): Reply {
  const doc = state.index.document(id);
  const type = `${namespace}/${id.split("/")[7]}`.toLowerCase();
  if (!CANONICAL_TYPES[type])
    return { status: 404, body: armError("NotFound", `The emulator does not serve resources of type '${namespace}/${id.split("/")[7]}'.`) };
  const bad = checkApiVersion(ctx.url, type, doc?.location) ?? denySubscription(ctx, state, subscriptionId, `${CANONICAL_TYPES[type]}/read`, id);
  if (bad) return bad;
  if (!doc) return { status: 404, body: resourceNotFound(id) };
  return { status: 200, body: armShape(doc) };
}

/** The ARM GET form of a Resource Graph row: canonical type, no ARG-only columns or empty envelope fields. */
export function armShape(doc: AzureDocument): Record<string, unknown> {
  const { resourceGroup: _rg, subscriptionId: _s, tenantId: _t, managedBy, plan, zones, extendedLocation, identity, kind, type, ...rest } = doc;
  const out: Record<string, unknown> = { ...rest, type: CANONICAL_TYPES[String(type).toLowerCase()] ?? type };
  if (kind) out.kind = kind;
  if (identity) out.identity = identity;
  if (managedBy) out.managedBy = managedBy;
  if (plan) out.plan = plan;
  if (zones) out.zones = zones;
  if (extendedLocation) out.extendedLocation = extendedLocation;
  if (out.type === "Microsoft.CognitiveServices/accounts")
    out.etag = `"${String((doc.properties as Record<string, unknown> | null)?.internalId ?? "").slice(0, 8)}-0000-0100-0000-000000000000"`;
  return out;
}

/** An ARM list page: `value` plus an absolute `nextLink` carrying a `$skiptoken` offset. */
function paged(ctx: RequestContext, items: unknown[], size: number): Reply {
  const raw = ctx.url.searchParams.get("$skiptoken");
  const offset = raw === null ? 0 : Number(raw);
  if (!Number.isInteger(offset) || offset < 0) return { status: 400, body: armError("InvalidSkipToken", `The $skiptoken '${raw}' is not valid.`) };
  const body: Record<string, unknown> = { value: items.slice(offset, offset + size) };
  if (offset + size < items.length) {
    const next = new URL(ctx.url.pathname, ctx.origin);
    next.searchParams.set("api-version", ctx.url.searchParams.get("api-version") ?? "");
    next.searchParams.set("$skiptoken", String(offset + size));
    body.nextLink = next.toString();
  }
  return { status: 200, body };
}
