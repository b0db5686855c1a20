/**
 * `POST /providers/Microsoft.ResourceGraph/resources`: scope, quota, KQL, paging with `$skipToken`.
 * Rows come back only for what the caller may read, "without any indication that the result might
 * be partial" (azure-docs `governance/resource-graph/overview.md`); 403 only when none of the listed
 * subscriptions is readable. Denied subscriptions at tenant scope are listed but contribute no rows.
 * Role and policy assignments at management groups come back only with an "above" `authorizationScopeFilter`.
 * `policyresources` and `securityresources` hold Azure's own verdicts (emulator/generate/verdicts).
 */
import { createHash } from "node:crypto";
import { ARG_TABLES, KqlError, runQuery, type QueryResult, type Row } from "@/emulator/kql";
import { groupKey, type ArgTable } from "@/emulator/tenant-index";
import type { RequestContext, ServerState } from "@/emulator/http/context";
import { armError, authorizationFailed } from "@/emulator/http/errors";
import { quotaHeaders } from "@/emulator/http/quota";
import type { Reply } from "@/emulator/http/respond";
import { decodeSkipToken, encodeSkipToken } from "@/emulator/http/skip-token";
import { countCaller } from "@/emulator/http/stats";

export const ARG_API_VERSIONS = ["2019-04-01", "2020-04-01-preview", "2021-03-01", "2022-10-01", "2024-04-01"];
const MAX_PAGE = 1000;
/** `QueryRequestOptions.authorizationScopeFilter` (resourcegraph 2024-04-01). */
const SCOPE_FILTERS = ["AtScopeAndBelow", "AtScopeAndAbove", "AtScopeExact", "AtScopeAboveAndBelow"] as const;
type ScopeFilter = (typeof SCOPE_FILTERS)[number];
export const TENANT_SUBSCRIPTION_LIMIT_HEADER = "x-ms-tenant-subscription-limit-hit";

interface QueryRequest {
  subscriptions?: string[];
  managementGroups?: string[];
  query: string;
  options: { skipToken?: string; top?: number; skip?: number; resultFormat: "objectArray" | "table"; authorizationScopeFilter: ScopeFilter };
}

const TYPE_NAMES: Record<string, string> = { string: "string", bool: "boolean", long: "integer", real: "number", dynamic: "object" };

export function handleResourceGraph(ctx: RequestContext, state: ServerState): Reply {
  const version = ctx.url.searchParams.get("api-version");
  if (!version) return badApiVersion(undefined);
  if (!ARG_API_VERSIONS.includes(version)) return badApiVersion(version);
  const headers: Record<string, string> = {};
  if (state.quota) {
    // A principal is an object of one tenant: one application signing in to another tenant is another
    // principal there, with its own quota (the same `oid` in two tenants' tokens is two principals).
    const q = state.quota.take(`${ctx.tenantId}/${ctx.caller}`);
    Object.assign(headers, quotaHeaders(q));
    if (!q.allowed) {
      state.stats.arg429++;
      countCaller(state.stats, ctx.caller, "arg").arg429++;
      // No Retry-After: the real quota 429 carries only the quota headers (azure-facts §10).
      return {
        status: 429,
        headers,
        body: armError("RateLimiting", "Please provide below info when asking for support: timestamp = " + new Date().toISOString() + ".", [
          {
            code: "RateLimiting",
            message:
              "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.",
          },
        ]),
      };
    }
  }
  countCaller(state.stats, ctx.caller, "arg");
  const parsed = parseRequest(ctx.body);
  if ("error" in parsed) return { status: 400, headers, body: parsed };
  const request = parsed;

  const { index, faults, access, tenancy } = state;
  const caller = ctx.caller;
  const restricted = access.restricted(caller);
  // A token reaches its own tenant's subscriptions and those delegated to the caller (Lighthouse); others do not exist for it.
  const reached = (sub: string) => tenancy.reaches(caller, ctx.tenantId, sub);
  const readable = (sub: string) => reached(sub) && (!restricted || access.subscriptionAccess(caller, sub) !== "none");
  let scope: string[];
  let listOnly: ReadonlySet<string> = new Set();
  if (request.managementGroups?.length) {
    // Management groups are the token's own tenant's: a customer's groups are not delegated, its subscriptions are.
    const unknown = request.managementGroups.find((mg) => !index.groupChain(mg, ctx.tenantId));
    if (unknown)
      return {
        status: 403,
        headers,
        body: authorizationFailed(caller, "Microsoft.ResourceGraph/resources/read", `/providers/Microsoft.Management/managementGroups/${unknown}`),
      };
    const under = new Set(request.managementGroups.flatMap((mg) => index.subscriptionsUnder(mg, ctx.tenantId)));
    scope = index.visible.map((s) => s.subscriptionId.toLowerCase()).filter((s) => under.has(s) && readable(s));
    listOnly = faults.deniedSubscriptions;
    if (restricted && !scope.length) {
      return {
        status: 403,
        headers,
        body: authorizationFailed(
          caller,
          "Microsoft.ResourceGraph/resources/read",
          `/providers/Microsoft.Management/managementGroups/${request.managementGroups[0]}`,
        ),
      };
    }
  } else if (request.subscriptions?.length) {
    state.stats.argMaxSubscriptionsPerRequest = Math.max(state.stats.argMaxSubscriptionsPerRequest, request.subscriptions.length);
    const listed = [...new Map(request.subscriptions.map((s) => [s.toLowerCase(), s])).entries()];
    const ok = ([key]: [string, string]) => index.subscriptions.get(key)?.visible === true && !faults.deniedSubscriptions.has(key) && readable(key);
    scope = listed.filter(ok).map(([key]) => key);
    if (!scope.length) {
      // Nothing listed is readable: the one case Resource Graph answers 403 (unknown IDs included).
      const body = authorizationFailed(caller, "Microsoft.ResourceGraph/resources/read", `/subscriptions/${listed[0][1]}`);
      body.error.details = listed.map(([, s]) => ({
        ...authorizationFailed(caller, "Microsoft.ResourceGraph/resources/read", `/subscriptions/${s}`).error,
        target: `/subscriptions/${s}`,
      }));
      return { status: 403, headers, body };
    }
  } else {
    scope = index.visible.map((s) => s.subscriptionId.toLowerCase()).filter(readable);
    listOnly = faults.deniedSubscriptions;
  }
  if (!request.subscriptions?.length && scope.length > state.tenantSubscriptionLimit) {
    // A tenant or management-group scope covers only the first N subscriptions the principal can access,
    // and says so in a header (azure-docs governance/resource-graph/concepts/guidance-for-throttled-requests.md).
    scope = scope.slice(0, state.tenantSubscriptionLimit);
    headers[TENANT_SUBSCRIPTION_LIMIT_HEADER] = "true";
  }
  const filter = request.options.authorizationScopeFilter;

  const key = createHash("sha1")
    .update(
      JSON.stringify([
        request.subscriptions?.length ? scope : [request.managementGroups ?? "*", ...[...listOnly].sort()],
        request.options.resultFormat,
        request.query,
        access.viewKey(caller),
        ctx.tenantId.toLowerCase(),
        tenancy.hasDelegations(caller) ? caller : "",
        filter,
        scope.length,
      ]),
    )
    .digest("hex");
  const token = request.options.skipToken ? decodeSkipToken(request.options.skipToken) : undefined;
  if (request.options.skipToken && (!token || token.key !== key)) {
    return {
      status: 400,
      headers,
      body: armError(
        "InvalidSkipToken",
        "The $skipToken is not valid for this request: send it back with exactly the query and scope (subscriptions or management groups) it was issued for.",
      ),
    };
  }

  let result = state.cache.get(key);
  if (result) state.stats.argCacheHits++;
  else {
    try {
      result = runQuery(request.query, (table) => (isArgTable(table) ? rowsInScope(state, caller, table, scope, listOnly, filter) : undefined));
    } catch (error) {
      if (error instanceof KqlError) {
        return {
          status: 400,
          headers,
          body: armError("InvalidQuery", `Query is invalid: ${error.message}`, [{ code: "InvalidQuery", message: error.message }]),
        };
      }
      throw error;
    }
    state.cache.set(key, result);
  }
  return { status: 200, headers, body: page(result, request, token?.offset, token?.pageSize, key, state) };
}

function page(result: QueryResult, request: QueryRequest, tokenOffset: number | undefined, tokenPageSize: number | undefined, key: string, state: ServerState) {
  const total = result.rows.length;
  const pageSize = request.options.top ?? tokenPageSize ?? MAX_PAGE;
  // Paging is impossible for take/limit queries or all-dynamic results: ARG truncates instead.
  const offset = result.unpageable ? 0 : (tokenOffset ?? request.options.skip ?? 0);
  const rows = result.rows.slice(offset, offset + pageSize);
  const more = offset + pageSize < total;
  state.stats.argRowsReturned += rows.length;
  const data =
    request.options.resultFormat === "table"
      ? {
          columns: result.columns.map((c) => ({ name: c.name, type: TYPE_NAMES[c.type] })),
          rows: rows.map((r: Row) => result.columns.map((c) => r[c.name] ?? null)),
        }
      : rows;
  const body: Record<string, unknown> = {
    totalRecords: total,
    count: rows.length,
    data,
    facets: [],
    resultTruncated: result.unpageable && more ? "true" : "false",
  };
  if (more && !result.unpageable) body.$skipToken = encodeSkipToken({ key, offset: offset + pageSize, pageSize });
  return body;
}

/** A table's rows over the scope, as this caller may read them. */
function rowsInScope(state: ServerState, caller: string, table: ArgTable, scope: string[], listOnly: ReadonlySet<string>, filter: ScopeFilter): Row[] {
  const { index, access } = state;
  let rows = index.rows(table, scope, listOnly);
  if (table === "authorizationresources")
    rows = [...filterAssignments(rows, filter), ...groupAssignments(index.groupAssignments, index, scope, listOnly, filter)];
  if (table === "policyresources") rows = [...rows, ...groupAssignments(index.groupPolicyAssignments, index, scope, listOnly, filter)];
  if (!access.restricted(caller)) return rows;
  if (table === "authorizationresources") return rows.filter((r) => access.canReadAssignment(caller, assignmentScope(r)));
  if (table === "policyresources") return rows.filter((r) => canReadPolicyRow(access, caller, r));
  if (table === "securityresources") return rows.filter((r) => access.canRead(caller, String(child(child(r, "properties"), "resourceDetails").Id ?? r.id)));
  return rows.filter((r) => r.type === "microsoft.resources/subscriptions" || access.canRead(caller, String(r.id)));
}

const child = (o: unknown, key: string): Record<string, unknown> => {
  const v = o && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined;
  return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
};

/**
 * A policy state is readable with the resource it judges; an exemption with the scope it sits at;
 * an assignment where it applies, as role assignments are (it is inherited below its scope).
 */
function canReadPolicyRow(access: ServerState["access"], caller: string, row: Row): boolean {
  const props = child(row, "properties");
  const type = String(row.type).toLowerCase();
  if (type === "microsoft.policyinsights/policystates") return access.canRead(caller, String(props.resourceId ?? ""));
  if (type === "microsoft.authorization/policyassignments") return access.canReadAssignment(caller, String(props.scope ?? ""));
  return access.canRead(caller, String(row.id).replace(/\/providers\/Microsoft\.Authorization\/policyExemptions\/[^/]+$/i, ""));
}

function assignmentScope(row: Row): string {
  const scope = (row.properties as { scope?: unknown } | null)?.scope;
  return typeof scope === "string" ? scope : String(row.id).replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, "");
}

/** `AtScopeExact` and `AtScopeAndAbove` leave out what is assigned below the subscriptions in scope. */
function filterAssignments(rows: Row[], filter: ScopeFilter): Row[] {
  if (filter === "AtScopeAndBelow" || filter === "AtScopeAboveAndBelow") return rows;
  return rows.filter((r) => /^\/subscriptions\/[^/]+$/i.test(assignmentScope(r)));
}

/** Role or policy assignments at the management groups above the subscriptions in scope, once each, for the "above" filters. */
function groupAssignments(
  byGroup: ReadonlyMap<string, Row[]>,
  index: ServerState["index"],
  scope: string[],
  listOnly: ReadonlySet<string>,
  filter: ScopeFilter,
): Row[] {
  if (filter !== "AtScopeAndAbove" && filter !== "AtScopeAboveAndBelow") return [];
  const groups = new Set<string>();
  for (const s of scope) {
    const tenant = index.tenantOf(s);
    if (tenant && !listOnly.has(s)) for (const g of index.subscriptionChain(s)) groups.add(groupKey(tenant.tenantId, g.name));
  }
  return [...groups].flatMap((g) => byGroup.get(g) ?? []);
}

function isArgTable(name: string): name is ArgTable {
  return (ARG_TABLES as readonly string[]).includes(name);
}

function badApiVersion(version: string | undefined): Reply {
  if (version === undefined) {
    return { status: 400, body: armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.") };
  }
  return {
    status: 400,
    body: armError("InvalidApiVersionParameter", `The api-version '${version}' is invalid. The supported versions are '${ARG_API_VERSIONS.join(",")}'.`),
  };
}

function invalid(message: string) {
  return armError("InvalidRequestContent", message);
}

function parseRequest(text: string): QueryRequest | ReturnType<typeof armError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return invalid("The request content was invalid and could not be deserialized: the body is not JSON.");
  }
  if (!raw || typeof raw !== "object") return invalid("The request content must be a JSON object.");
  const b = raw as Record<string, unknown>;
  if (typeof b.query !== "string" || b.query.trim() === "") return invalid("The 'query' property is required.");
  const strings = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.every((s) => typeof s === "string"));
  if (!strings(b.subscriptions)) return invalid("'subscriptions' must be an array of subscription IDs.");
  if (!strings(b.managementGroups)) return invalid("'managementGroups' must be an array of management group names.");
  const subs = (b.subscriptions ?? undefined) as string[] | undefined;
  const mgs = (b.managementGroups ?? undefined) as string[] | undefined;
  if (subs?.length && mgs?.length) return invalid("Specify either 'subscriptions' or 'managementGroups', not both.");
  const o = (b.options ?? {}) as Record<string, unknown>;
  if (typeof o !== "object") return invalid("'options' must be an object.");
  const top = o.$top;
  const skip = o.$skip;
  if (top !== undefined && top !== null && (!Number.isInteger(top) || (top as number) < 1 || (top as number) > MAX_PAGE)) {
    return invalid(`'options.$top' must be an integer from 1 to ${MAX_PAGE}.`);
  }
  if (skip !== undefined && skip !== null && (!Number.isInteger(skip) || (skip as number) < 0))
    return invalid("'options.$skip' must be a non-negative integer.");
  const format = o.resultFormat ?? "objectArray";
  if (format !== "objectArray" && format !== "table") return invalid("'options.resultFormat' must be 'objectArray' or 'table'.");
  const scopeFilter = o.authorizationScopeFilter ?? "AtScopeAndBelow";
  if (!SCOPE_FILTERS.includes(scopeFilter as ScopeFilter)) return invalid(`'options.authorizationScopeFilter' must be one of ${SCOPE_FILTERS.join(", ")}.`);
  const skipToken = o.$skipToken;
  if (skipToken !== undefined && skipToken !== null && typeof skipToken !== "string") return invalid("'options.$skipToken' must be a string.");
  return {
    subscriptions: subs,
    managementGroups: mgs,
    query: b.query,
    options: {
      skipToken: (skipToken as string | undefined) || undefined,
      top: (top as number | undefined) ?? undefined,
      skip: (skip as number | undefined) ?? undefined,
      resultFormat: format,
      authorizationScopeFilter: scopeFilter as ScopeFilter,
    },
  };
}
