/**
 * The types the controls rely on, per kind of document. Only fields a control reads are listed;
 * both spellings are listed where the two resource providers differ (accounts write
 * `keyVaultProperties.keyVaultUri`, storage writes `keyvaultproperties.keyvaulturi`).
 */
import { array, bool, object, record, str, type Shape } from "./shape";

const keyVaultProperties = object({
  keyName: str,
  keyname: str,
  keyVersion: str,
  keyversion: str,
  keyVaultUri: str,
  keyvaulturi: str,
});

const networkAcls = object({
  defaultAction: str,
  ipRules: array(object({ value: str })),
  virtualNetworkRules: array(object({ id: str })),
});

/** Fields every document must type correctly: they decide what the document is. */
export const anyDocument: Shape = object({ type: str, kind: str, subscriptionId: str });

export const speechAccount: Shape = object({
  name: str,
  location: str,
  resourceGroup: str,
  tags: record(str),
  identity: object({ type: str, principalId: str }),
  properties: object({
    userOwnedStorage: array(object({ resourceId: str })),
    encryption: object({
      keySource: str,
      keyVaultProperties,
      keyvaultproperties: keyVaultProperties,
    }),
    publicNetworkAccess: str,
    networkAcls,
    privateEndpointConnections: array(
      object({
        name: str,
        properties: object({
          privateEndpoint: object({ id: str }),
          privateLinkServiceConnectionState: object({ status: str }),
        }),
      }),
    ),
    disableLocalAuth: bool,
    restrictOutboundNetworkAccess: bool,
  }),
});

export const storageAccount: Shape = object({
  properties: object({
    encryption: object({
      keySource: str,
      keyvaultproperties: keyVaultProperties,
      keyVaultProperties,
      requireInfrastructureEncryption: bool,
    }),
    allowSharedKeyAccess: bool,
    publicNetworkAccess: str,
    networkAcls,
  }),
});

export const keyVault: Shape = object({
  properties: object({ vaultUri: str, enableSoftDelete: bool, enablePurgeProtection: bool }),
});

export const roleAssignment: Shape = object({
  properties: object({ principalId: str, roleDefinitionId: str, scope: str }),
});

/** A network security perimeter association: which resource, in which profile, in which mode. */
export const perimeterAssociation: Shape = object({
  properties: object({ privateLinkResource: object({ id: str }), profile: object({ id: str }), accessMode: str }),
});

/** One value of an ARM diagnosticSettings list. */
export const diagnosticSetting: Shape = object({
  name: str,
  properties: object({
    workspaceId: str,
    storageAccountId: str,
    eventHubAuthorizationRuleId: str,
    marketplacePartnerId: str,
    logs: array(object({ category: str, categoryGroup: str, enabled: bool })),
  }),
});

/** One Speech-to-text custom endpoint (read name `loggingEnabled`, write name `contentLoggingEnabled`). */
export const speechEndpoint: Shape = object({
  displayName: str,
  self: str,
  properties: object({ loggingEnabled: bool, contentLoggingEnabled: bool }),
});
