/**
 * The tenant dimension of a stored scan: which tenant each subscription belongs to (its own, as
 * collected), a summary per tenant scored from the findings index by the contract's rule, and the
 * subscription keys a `tenant=` filter narrows to. Names come from the scan targets when known.
 */
import { SEVERITY_WEIGHT } from "@/lib/posture/score";
import { SEVERITIES, STATUSES, type Severity } from "@/lib/posture/vocabulary";
import { InvalidInputError } from "./errors";
import { findingsIndex } from "./findings/scan-index";
import type { Store } from "./handle";

/** Subscriptions of a scan with no recorded tenant (scans from before tenants were kept). */
export const UNKNOWN_TENANT = "unknown";

export interface TenantSummary {
  /** Lower-cased tenant GUID, or UNKNOWN_TENANT. */
  tenantId: string;
  /** The scan target's display name, when a target names this tenant. */
  displayName: string | null;
  subscriptions: number;
  resources: number;
  score: number | null;
  counts: { pass: number; fail: number; unknown: number; not_applicable: number };
}

const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `tenant=` value: a tenant GUID (any case) or `unknown`; anything else names the parameter. */
export function parseTenantParam(value: string | null | undefined, field = "tenant"): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.toLowerCase() === UNKNOWN_TENANT) return UNKNOWN_TENANT;
  if (!TENANT.test(v)) throw new InvalidInputError(field, `not a tenant ID: ${JSON.stringify(v.slice(0, 80))}; expected a GUID`);
  return v.toLowerCase();
}

/** Lower-cased subscription key → tenant (UNKNOWN_TENANT when none was recorded). */
export function subscriptionTenants(store: Store, scanId: string): Promise<Map<string, string>> {
  return store.cache.get(
    ["subscription-tenants", scanId],
    async () => {
      const rows = await store.db.selectFrom("scan_subscriptions").select(["subscription_key", "tenant_id"]).where("scan_id", "=", scanId).execute();
      return new Map(rows.map((r) => [r.subscription_key, r.tenant_id ?? UNKNOWN_TENANT]));
    },
    (m) => m.size + 1,
  );
}

/** The subscription keys of one tenant in a scan (empty when the scan has none of it). */
export async function tenantSubscriptionKeys(store: Store, scanId: string, tenantId: string): Promise<string[]> {
  const all = await subscriptionTenants(store, scanId);
  return [...all].filter(([, t]) => t === tenantId).map(([key]) => key);
}

/** One summary per tenant of a succeeded scan, by display name then tenant ID. */
export async function scanTenants(store: Store, scanId: string): Promise<TenantSummary[]> {
  const [tenants, ix, rows, targets] = await Promise.all([
    subscriptionTenants(store, scanId),
    findingsIndex(store, scanId),
    store.db.selectFrom("scan_subscriptions").select(["subscription_key", "resources"]).where("scan_id", "=", scanId).execute(),
    store.db.selectFrom("targets").select(["tenant_id", "display_name"]).execute(),
  ]);
  const names = new Map(targets.map((t) => [t.tenant_id, t.display_name]));
  const byTenant = new Map<string, TenantSummary & { passWeight: number; judgedWeight: number }>();
  const entry = (tenantId: string) => {
    let e = byTenant.get(tenantId);
    if (!e) {
      e = {
        tenantId,
        displayName: names.get(tenantId) ?? null,
        subscriptions: 0,
        resources: 0,
        score: null,
        counts: { pass: 0, fail: 0, unknown: 0, not_applicable: 0 },
        passWeight: 0,
        judgedWeight: 0,
      };
      byTenant.set(tenantId, e);
    }
    return e;
  };
  for (const r of rows) {
    const e = entry(tenants.get(r.subscription_key) ?? UNKNOWN_TENANT);
    e.subscriptions++;
    e.resources += Number(r.resources);
  }
  const subTenant = ix.subKeys.map((key) => entry(tenants.get(key) ?? UNKNOWN_TENANT));
  for (let i = 0; i < ix.size; i++) {
    const e = subTenant[ix.sub[i]];
    const status = STATUSES[ix.status[i]];
    const weight = SEVERITY_WEIGHT[SEVERITIES[ix.severity[i]] as Severity] ?? 0;
    e.counts[status]++;
    if (status === "pass") e.passWeight += weight;
    if (status === "pass" || status === "fail") e.judgedWeight += weight;
  }
  return [...byTenant.values()]
    .map(({ passWeight, judgedWeight, ...t }) => ({ ...t, score: judgedWeight === 0 ? null : Math.floor((100 * passWeight) / judgedWeight) }))
    .sort((a, b) => (a.displayName ?? "\uffff").localeCompare(b.displayName ?? "\uffff") || a.tenantId.localeCompare(b.tenantId));
}
