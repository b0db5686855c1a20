/**
 * A complete Snapshot of an emulator tenant, without HTTP: what a perfect collection would
 * return. Lets tests and the benchmark store realistic scans quickly.
 */
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, isSpeechAccount, type AzureDocument, type Snapshot } from "@/lib/posture/snapshot";
import { vaultNameFromUri, vaultUrisInUse } from "@/lib/posture/key-vaults";
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
  // A loop, not push(...rows): a 100,000-account tenant has more verdict rows than a call takes arguments.
  for (const row of verdictsInScope(
    tenant,
    resources.filter((d) => inVisible(d.id)),
  ))
    resources.push(row);
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
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints", "azurePolicy", "defender"],
    resources,
    diagnosticSettings,
    speechEndpoints,
    errors: [],
  };
}

const prop = (d: AzureDocument, key: string) => (d.properties as Record<string, unknown> | null | undefined)?.[key];

/**
 * The verdict rows the collector reads: policy states and assessments of the Speech accounts, their
 * linked storage and their vaults in use; the exemptions on those resources; the assignments the
 * states name.
 */
function verdictsInScope(tenant: Tenant, visible: AzureDocument[]): AzureDocument[] {
  const accounts = visible.filter(isSpeechAccount);
  const linked = new Set(
    accounts.flatMap((a) => ((prop(a, "userOwnedStorage") as { resourceId?: string }[] | undefined) ?? []).map((u) => String(u.resourceId).toLowerCase())),
  );
  const storage = visible.filter((d) => linked.has(d.id.toLowerCase()));
  const vaultNames = new Set(vaultUrisInUse(accounts, storage).map((u) => vaultNameFromUri(u)?.toLowerCase()));
  const vaults = visible.filter((d) => d.type?.toLowerCase() === "microsoft.keyvault/vaults" && vaultNames.has(String(d.name).toLowerCase()));
  const subjects = new Set([...accounts, ...storage, ...vaults].map((d) => d.id.toLowerCase()));
  const accountIds = new Set(accounts.map((a) => a.id.toLowerCase()));
  const states = (tenant.policyResources ?? []).filter(
    (r) => r.type === "microsoft.policyinsights/policystates" && subjects.has(String(prop(r, "resourceId")).toLowerCase()),
  );
  const cited = new Set(states.map((s) => String(prop(s, "policyAssignmentId")).toLowerCase()));
  const others = (tenant.policyResources ?? []).filter(
    (r) =>
      (r.type === "microsoft.authorization/policyassignments" && cited.has(r.id.toLowerCase())) ||
      (r.type === "microsoft.authorization/policyexemptions" &&
        subjects.has(r.id.toLowerCase().replace(/\/providers\/microsoft\.authorization\/policyexemptions\/[^/]+$/, ""))),
  );
  const assessments = (tenant.securityResources ?? []).filter((r) =>
    accountIds.has(String((prop(r, "resourceDetails") as { Id?: string } | undefined)?.Id).toLowerCase()),
  );
  return [...states, ...others, ...assessments];
}
