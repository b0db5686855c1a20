/**
 * Cognitive Services account rows (`microsoft.cognitiveservices/accounts`) with the properties of
 * azure-facts §1. "Absent" in a plan means the property is left out, as ARG shows unset values.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { AccountPlan } from "./plan";
import { resourceId, row, type Place } from "./documents";

export interface AccountInput {
  name: string;
  kind: string;
  plan: AccountPlan;
  principalId: string;
  userAssigned: { id: string; principalId: string; clientId: string };
  /** Undefined leaves `userOwnedStorage` out. */
  userOwnedStorage?: { resourceId: string }[];
  cmkVaultUri: string;
  cmkKeyName: string;
  cmkKeyVersion: string;
  privateEndpointNames: string[];
  networkResourceGroup: string;
  ipRules: string[];
  createdOn: string;
  internalId: string;
  tags: Record<string, string>;
}

/** Shared by every account (frozen, so a test that mutates it fails loudly instead of leaking). */
const CAPABILITIES = Object.freeze(
  ["VirtualNetworks", "CustomerManagedKey", "CustomerManagedStorage", "TrustedServices", "MaxFineTuneCount", "CommitmentPlan", "RaiMonitor"].map((name) =>
    Object.freeze({ name }),
  ),
);

export function accountRow(place: Place, input: AccountInput): AzureDocument {
  const { plan } = input;
  const id = resourceId(place, "Microsoft.CognitiveServices", "accounts", input.name);
  const subdomain = plan.subdomain ? input.name.toLowerCase() : undefined;
  const endpoint = subdomain ? `https://${subdomain}.cognitiveservices.azure.com/` : `https://${place.location}.api.cognitive.microsoft.com/`;
  const properties: Record<string, unknown> = {
    endpoint,
    internalId: input.internalId,
    dateCreated: input.createdOn,
    isMigrated: false,
    provisioningState: "Succeeded",
    capabilities: CAPABILITIES,
  };
  if (subdomain) properties.customSubDomainName = subdomain;
  if (input.userOwnedStorage) properties.userOwnedStorage = input.userOwnedStorage;
  if (plan.publicNetworkAccess !== "absent") properties.publicNetworkAccess = plan.publicNetworkAccess;
  if (plan.defaultAction !== "absent") {
    properties.networkAcls = {
      defaultAction: plan.defaultAction,
      virtualNetworkRules: [],
      ipRules: input.ipRules.map((value) => ({ value })),
      bypass: "AzureServices",
    };
  }
  properties.privateEndpointConnections = plan.privateEndpoints.map((status, i) => {
    const pe = input.privateEndpointNames[i];
    return {
      id: `${id}/privateEndpointConnections/${pe}.${input.internalId.slice(0, 8)}`,
      name: `${pe}.${input.internalId.slice(0, 8)}`,
      type: "Microsoft.CognitiveServices/accounts/privateEndpointConnections",
      location: place.location,
      properties: {
        privateEndpoint: {
          id: `/subscriptions/${place.subscriptionId}/resourceGroups/${input.networkResourceGroup}/providers/Microsoft.Network/privateEndpoints/${pe}`,
        },
        groupIds: ["account"],
        privateLinkServiceConnectionState: {
          status,
          description: status === "Approved" ? "Auto-Approved" : status === "Pending" ? "Awaiting approval" : "Rejected by owner",
          actionsRequired: "None",
        },
        provisioningState: "Succeeded",
      },
    };
  });
  if (plan.cmk === "cognitive-explicit") properties.encryption = { keySource: "Microsoft.CognitiveServices" };
  if (plan.cmk === "keyvault" || plan.cmk === "keyvault-no-keyname") {
    const kvp: Record<string, unknown> = {
      keyName: plan.cmk === "keyvault" ? input.cmkKeyName : "",
      keyVaultUri: input.cmkVaultUri,
    };
    if (plan.cmkKeyVersion === "pinned") kvp.keyVersion = input.cmkKeyVersion;
    if (plan.cmkKeyVersion === "empty") kvp.keyVersion = "";
    properties.encryption = { keySource: "Microsoft.KeyVault", keyVaultProperties: kvp };
  }
  if (plan.disableLocalAuth !== "absent") properties.disableLocalAuth = plan.disableLocalAuth;
  if (plan.restrictOutbound !== "absent") {
    properties.restrictOutboundNetworkAccess = plan.restrictOutbound;
    if (plan.restrictOutbound) properties.allowedFqdnList = ["login.microsoftonline.com"];
  }
  return row(place, id, input.name, "Microsoft.CognitiveServices/accounts", properties, {
    kind: input.kind,
    sku: { name: "S0" },
    identity: identity(place, plan, input),
    tags: input.tags,
  });
}

function identity(place: Place, plan: AccountPlan, input: AccountInput): Record<string, unknown> | null {
  const uai = () => ({ [input.userAssigned.id]: { principalId: input.userAssigned.principalId, clientId: input.userAssigned.clientId } });
  switch (plan.identity) {
    case "absent":
      return null;
    case "None":
      return { type: "None" };
    case "SystemAssigned":
      return { type: "SystemAssigned", principalId: input.principalId, tenantId: place.tenantId };
    case "SystemAssigned, UserAssigned":
      return { type: "SystemAssigned, UserAssigned", principalId: input.principalId, tenantId: place.tenantId, userAssignedIdentities: uai() };
    case "UserAssigned":
      return { type: "UserAssigned", userAssignedIdentities: uai() };
  }
}
