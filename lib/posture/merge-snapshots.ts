/**
 * Several targets' snapshots as one estate snapshot: every subscription keeps its own tenant, a
 * subscription or document two targets both reached (a Lighthouse delegation and its customer's
 * own target) counts once, and a coverage item only some parts collected stays honest: the parts
 * without it get an `errors` entry on each of their subscriptions for that source, so their
 * findings say "not collected" instead of borrowing another tenant's coverage. Pure: no I/O.
 */
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type AzureDocument, type CoverageItem, type ErrorSource, type Snapshot, type SubscriptionInfo } from "./snapshot";

/** Coverage items that an `errors` source can stand in for, part by part. */
const PER_PART: Partial<Record<CoverageItem, ErrorSource>> = {
  roleAssignments: "roleAssignments",
  diagnosticSettings: "diagnosticSettings",
  speechEndpoints: "speechEndpoints",
  azurePolicy: "azurePolicy",
  defender: "defender",
};

const lower = (s: string) => s.toLowerCase();

export function mergeSnapshots(parts: readonly Snapshot[]): Snapshot {
  if (parts.length === 0) throw new Error("Nothing to merge: no snapshot was collected.");
  if (parts.length === 1) return parts[0];
  const tenants = new Set(parts.map((p) => p.tenantId).filter((t): t is string => !!t));
  const coverage = [...new Set(parts.flatMap((p) => p.coverage))];
  const subscriptions = new Map<string, SubscriptionInfo>();
  const resources = new Map<string, AzureDocument>();
  const merged: Snapshot = {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    // The estate is as old as its oldest part.
    collectedAt: parts.map((p) => p.collectedAt).sort()[0],
    ...(tenants.size === 1 ? { tenantId: [...tenants][0] } : {}),
    subscriptions: [],
    coverage,
    resources: [],
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
  };
  for (const part of parts) {
    for (const s of part.subscriptions) {
      const key = lower(s.subscriptionId);
      if (subscriptions.has(key)) continue;
      subscriptions.set(key, { ...s, ...(s.tenantId || part.tenantId ? { tenantId: s.tenantId ?? part.tenantId } : {}) });
    }
    for (const d of part.resources) if (!resources.has(lower(d.id))) resources.set(lower(d.id), d);
    Object.assign(merged.diagnosticSettings, part.diagnosticSettings ?? {});
    Object.assign(merged.speechEndpoints, part.speechEndpoints ?? {});
    for (const e of part.errors ?? []) merged.errors.push(e);
    for (const item of coverage) {
      const source = PER_PART[item];
      if (!source || part.coverage.includes(item)) continue;
      for (const s of part.subscriptions) {
        merged.errors.push({
          scope: `/subscriptions/${s.subscriptionId}`,
          source,
          reason: "collection_error",
          code: "NotCollected",
          message: `${item} was not collected for this subscription's target${part.tenantId ? ` (tenant ${part.tenantId})` : ""}.`,
        });
      }
    }
  }
  merged.subscriptions = [...subscriptions.values()];
  merged.resources = [...resources.values()];
  return merged;
}
