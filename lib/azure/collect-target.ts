/**
 * Collecting one scan target: its tenant, its scope (all subscriptions, management groups or a
 * list) and its exclusions, into one Snapshot. The tenant of each subscription is its own, as
 * Resource Graph reports it (a Lighthouse-delegated one keeps its customer's tenant).
 */
import type { ScanTarget } from "@/lib/posture/targets";
import { collect, type CollectOptions, type CollectResult } from "./collect";
import type { AzureTarget } from "./target";

export type TargetCollectOptions = Omit<CollectOptions, "subscriptions" | "managementGroups" | "excludeSubscriptions" | "accountId">;

/** The collector's scope options for a target. */
export function scopeOptions(target: ScanTarget): Pick<CollectOptions, "subscriptions" | "managementGroups" | "excludeSubscriptions"> {
  const scope = target.scope;
  return {
    ...(scope.kind === "subscriptions" ? { subscriptions: scope.subscriptions } : {}),
    ...(scope.kind === "managementGroups" ? { managementGroups: scope.managementGroups } : {}),
    excludeSubscriptions: target.exclude,
  };
}

export async function collectTarget(target: ScanTarget, azure: AzureTarget, options: TargetCollectOptions = {}): Promise<CollectResult> {
  if (azure.tenantId && azure.tenantId.toLowerCase() !== target.tenantId) {
    throw new Error(`The Azure target signs in to tenant ${azure.tenantId}, not the scan target's tenant ${target.tenantId}.`);
  }
  const result = await collect({ ...azure, tenantId: target.tenantId }, { ...options, ...scopeOptions(target) });
  // Subscriptions Resource Graph did not say the tenant of belong to the target's tenant.
  for (const s of result.snapshot.subscriptions) s.tenantId ??= target.tenantId;
  return result;
}
