/**
 * Builders for Resource Graph rows, shaped as ARG returns them: the standard columns in ARG's
 * order, `type` and `resourceGroup` lower-cased, `id` keeping the casing it was created with,
 * and `properties` spelled as each resource provider spells it (see azure-facts §1, §3, §4).
 */
import type { AzureDocument } from "@/lib/posture/snapshot";

export interface Place {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
}

export const BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export function resourceId(place: Place, provider: string, type: string, name: string): string {
  return `/subscriptions/${place.subscriptionId}/resourceGroups/${place.resourceGroup}/providers/${provider}/${type}/${name}`;
}

/** The ARG row envelope; `extra` overrides any column. */
export function row(
  place: Place,
  id: string,
  name: string,
  type: string,
  properties: Record<string, unknown> | null,
  extra: Partial<AzureDocument> = {},
): AzureDocument {
  return {
    id,
    name,
    type: type.toLowerCase(),
    tenantId: place.tenantId,
    kind: "",
    location: place.location,
    resourceGroup: place.resourceGroup.toLowerCase(),
    subscriptionId: place.subscriptionId,
    managedBy: "",
    sku: null,
    plan: null,
    properties,
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
    ...extra,
  };
}

/** A `managementGroupAncestorsChain` entry (nearest group first, the tenant root group last). */
export interface GroupRef {
  name: string;
  displayName: string;
}

export function subscriptionRow(
  tenantId: string,
  sub: { subscriptionId: string; displayName: string; state: string },
  ancestors: readonly GroupRef[] = [{ name: tenantId, displayName: "Tenant Root Group" }],
): AzureDocument {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    name: sub.displayName,
    type: "microsoft.resources/subscriptions",
    tenantId,
    kind: "",
    location: "",
    resourceGroup: "",
    subscriptionId: sub.subscriptionId,
    managedBy: "",
    sku: null,
    plan: null,
    properties: {
      subscriptionPolicies: {
        locationPlacementId: "Public_2014-09-01",
        quotaId: "EnterpriseAgreement_2014-09-01",
        spendingLimit: "Off",
      },
      state: sub.state,
      managementGroupAncestorsChain: ancestors.map((g) => ({ displayName: g.displayName, name: g.name })),
    },
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

export function resourceGroupRow(place: Place, tags: Record<string, string>): AzureDocument {
  const id = `/subscriptions/${place.subscriptionId}/resourceGroups/${place.resourceGroup}`;
  return row(place, id, place.resourceGroup, "microsoft.resources/subscriptions/resourcegroups", { provisioningState: "Succeeded" }, { tags });
}

export interface RoleAssignmentInput {
  guid: string;
  scope: string;
  subscriptionId: string;
  principalId: string;
  principalType: "ServicePrincipal" | "User" | "Group";
  roleGuid: string;
  createdOn: string;
}

/** An `authorizationresources` row for a role assignment at any scope (a management group's has no subscription). */
export function roleAssignmentRow(tenantId: string, input: RoleAssignmentInput): AzureDocument {
  const rg = /\/resourcegroups\/([^/]+)/i.exec(input.scope)?.[1] ?? "";
  const definitions = input.subscriptionId ? `/subscriptions/${input.subscriptionId}/providers` : "/providers";
  return {
    id: `${input.scope}/providers/Microsoft.Authorization/roleAssignments/${input.guid}`,
    name: input.guid,
    type: "microsoft.authorization/roleassignments",
    tenantId,
    kind: "",
    location: "",
    resourceGroup: rg.toLowerCase(),
    subscriptionId: input.subscriptionId,
    managedBy: "",
    sku: null,
    plan: null,
    properties: {
      roleDefinitionId: `${definitions}/Microsoft.Authorization/roleDefinitions/${input.roleGuid}`,
      principalType: input.principalType,
      principalId: input.principalId,
      scope: input.scope,
      condition: null,
      conditionVersion: null,
      createdOn: input.createdOn,
      updatedOn: input.createdOn,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

export interface VaultInput {
  name: string;
  softDelete: boolean;
  purgeProtection: boolean;
  createdOn: string;
}

export function vaultRow(place: Place, input: VaultInput): AzureDocument {
  const id = resourceId(place, "Microsoft.KeyVault", "vaults", input.name);
  const properties: Record<string, unknown> = {
    sku: { family: "A", name: "standard" },
    tenantId: place.tenantId,
    accessPolicies: [],
    enabledForDeployment: false,
    enabledForDiskEncryption: false,
    enabledForTemplateDeployment: false,
    enableSoftDelete: input.softDelete,
    softDeleteRetentionInDays: 90,
    enableRbacAuthorization: true,
    vaultUri: `https://${input.name}.vault.azure.net/`,
    provisioningState: "Succeeded",
    publicNetworkAccess: "Enabled",
  };
  // Purge protection cannot be turned off, so Azure omits it rather than saying false.
  if (input.purgeProtection) properties.enablePurgeProtection = true;
  return row(place, id, input.name, "Microsoft.KeyVault/vaults", properties, {
    tags: { "created-on": input.createdOn.slice(0, 10) },
  });
}

export function workspaceRow(place: Place, name: string, customerId: string): AzureDocument {
  const id = resourceId(place, "Microsoft.OperationalInsights", "workspaces", name);
  return row(place, id, name, "Microsoft.OperationalInsights/workspaces", {
    customerId,
    provisioningState: "Succeeded",
    sku: { name: "PerGB2018" },
    retentionInDays: 30,
    publicNetworkAccessForIngestion: "Enabled",
    publicNetworkAccessForQuery: "Enabled",
  });
}

export function perimeterRow(place: Place, name: string, perimeterGuid: string): AzureDocument {
  const id = resourceId(place, "Microsoft.Network", "networkSecurityPerimeters", name);
  return row(place, id, name, "Microsoft.Network/networkSecurityPerimeters", { provisioningState: "Succeeded", perimeterGuid });
}

/**
 * A `microsoft.network/networksecurityperimeters/resourceassociations` row (NSP spec 2025-07-01
 * `NspAssociation`): the associated resource, the perimeter profile and the access mode.
 */
export function perimeterAssociationRow(place: Place, perimeterId: string, resource: string, accessMode: "Enforced" | "Learning" | "Audit"): AzureDocument {
  const name = `assoc-${resource.split("/").pop()}`;
  return row(place, `${perimeterId}/resourceAssociations/${name}`, name, "Microsoft.Network/networkSecurityPerimeters/resourceAssociations", {
    accessMode,
    hasProvisioningIssues: "no",
    privateLinkResource: { id: resource },
    profile: { id: `${perimeterId}/profiles/defaultProfile` },
    provisioningState: "Succeeded",
  });
}
