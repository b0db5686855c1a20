/**
 * A complete Snapshot of an emulator tenant, without HTTP: what a perfect collection would
 * return. Lets tests and the benchmark store realistic scans quickly.
 */
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type Snapshot } from "@/lib/posture/snapshot";
import type { Tenant } from "./tenant";
import { TenantIndex } from "./tenant-index";

const GROUP_ASSIGNMENT = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\//i;

export function tenantSnapshot(tenant: Tenant, collectedAt = new Date().toISOString()): Snapshot {
  const index = new TenantIndex(tenant);
  const visible = tenant.subscriptions.filter((s) => s.visible);
  const visibleKeys = new Set(visible.map((s) => s.subscriptionId.toLowerCase()));
  const inVisible = (id: string) => visibleKeys.has((id.split("/")[2] ?? "").toLowerCase());
  // Grants at a management group above a visible subscription come back with AtScopeAboveAndBelow.
  const groupsAbove = new Set([...visibleKeys].flatMap((s) => index.subscriptionChain(s).map((g) => g.name.toLowerCase())));
  const aboveVisible = (id: string) => groupsAbove.has(GROUP_ASSIGNMENT.exec(id)?.[1]?.toLowerCase() ?? "");
  const resources = [...tenant.resources, ...tenant.roleAssignments].filter((d) => inVisible(d.id) || aboveVisible(d.id));
  const diagnosticSettings: Record<string, unknown[]> = {};
  const speechEndpoints: Record<string, unknown[]> = {};
  for (const doc of tenant.resources) {
    if (!inVisible(doc.id) || doc.type?.toLowerCase() !== "microsoft.cognitiveservices/accounts") continue;
    diagnosticSettings[doc.id] = tenant.diagnosticSettings.get(doc.id.toLowerCase()) ?? [];
    speechEndpoints[doc.id] = tenant.speechEndpoints.get(doc.id.toLowerCase()) ?? [];
  }
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt,
    tenantId: tenant.tenantId,
    subscriptions: visible.map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName,
      state: s.state,
      managementGroupAncestors: index.subscriptionChain(s.subscriptionId.toLowerCase()).map((g) => g.name),
    })),
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
    resources,
    diagnosticSettings,
    speechEndpoints,
    errors: [],
  };
}
