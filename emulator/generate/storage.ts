/**
 * Storage account rows (`microsoft.storage/storageaccounts`) with the posture fields of
 * azure-facts §3: note the storage RP's spellings (`Microsoft.Keyvault`, lower-case
 * `keyvaultproperties.{keyname,keyversion,keyvaulturi}`) and that absent booleans mean defaults.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { StoragePlan } from "./plan";
import { resourceId, row, type Place } from "./documents";

export interface StorageInput {
  name: string;
  plan: StoragePlan;
  /** The vault URI as this account's CMK settings spell it; undefined = no `keyvaulturi`. */
  keyVaultUri?: string;
  keyName: string;
  keyVersion: string;
  principalId: string;
  createdOn: string;
  /** A Speech account allowed through the firewall (resource instance rule). */
  speechAccountId?: string;
  tags: Record<string, string>;
}

export function storageRow(place: Place, input: StorageInput): AzureDocument {
  const { plan } = input;
  const id = resourceId(place, "Microsoft.Storage", "storageAccounts", input.name);
  const cmk = plan.keySource.toLowerCase() === "microsoft.keyvault";
  const service = { enabled: true, keyType: "Account", lastEnabledTime: input.createdOn };
  const encryption: Record<string, unknown> = {
    keySource: plan.keySource,
    services: { blob: { ...service }, file: { ...service } },
  };
  if (plan.infrastructureEncryption !== null) encryption.requireInfrastructureEncryption = plan.infrastructureEncryption;
  if (cmk) {
    const kv: Record<string, unknown> = { keyname: input.keyName };
    if (plan.keyVersion === "pinned") kv.keyversion = input.keyVersion;
    if (plan.keyVersion === "empty") kv.keyversion = "";
    if (input.keyVaultUri !== undefined) {
      kv.keyvaulturi = input.keyVaultUri;
      const base = input.keyVaultUri.replace(/\/$/, "");
      kv.currentVersionedKeyIdentifier = `${base}/keys/${input.keyName}/${input.keyVersion}`;
      kv.lastKeyRotationTimestamp = input.createdOn;
    }
    encryption.keyvaultproperties = kv;
  }
  const deny = plan.network === "deny" || plan.network === "disabled" || plan.network === "perimeter";
  const networkAcls: Record<string, unknown> = {
    bypass: "AzureServices",
    virtualNetworkRules: [],
    ipRules: [],
    defaultAction: deny ? "Deny" : "Allow",
  };
  if (deny && input.speechAccountId) {
    networkAcls.resourceAccessRules = [{ tenantId: place.tenantId, resourceId: input.speechAccountId }];
  }
  const properties: Record<string, unknown> = {
    dnsEndpointType: "Standard",
    defaultToOAuthAuthentication: plan.sharedKey === false,
    publicNetworkAccess: plan.network === "disabled" ? "Disabled" : plan.network === "perimeter" ? "SecuredByPerimeter" : "Enabled",
    keyCreationTime: { key1: input.createdOn, key2: input.createdOn },
    allowCrossTenantReplication: false,
    privateEndpointConnections: [],
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    isHnsEnabled: false,
    networkAcls,
    supportsHttpsTrafficOnly: true,
    encryption,
    accessTier: "Hot",
    provisioningState: "Succeeded",
    creationTime: input.createdOn,
    primaryEndpoints: {
      dfs: `https://${input.name}.dfs.core.windows.net/`,
      web: `https://${input.name}.z6.web.core.windows.net/`,
      blob: `https://${input.name}.blob.core.windows.net/`,
      queue: `https://${input.name}.queue.core.windows.net/`,
      table: `https://${input.name}.table.core.windows.net/`,
      file: `https://${input.name}.file.core.windows.net/`,
    },
    primaryLocation: place.location,
    statusOfPrimary: "available",
  };
  if (plan.network === "absent") delete properties.publicNetworkAccess;
  // `allowSharedKeyAccess: null` is how ARG shows "never set" — it means allowed.
  if (plan.sharedKey !== null) properties.allowSharedKeyAccess = plan.sharedKey;
  return row(place, id, input.name, "Microsoft.Storage/storageAccounts", properties, {
    kind: "StorageV2",
    sku: { name: "Standard_ZRS", tier: "Standard" },
    identity: cmk ? { type: "SystemAssigned", principalId: input.principalId, tenantId: place.tenantId } : null,
    tags: input.tags,
  });
}
