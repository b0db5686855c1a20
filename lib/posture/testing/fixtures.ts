/**
 * Test fixtures shaped like Azure's real responses (azure-facts §1–5): ARM spellings for
 * accounts (`keyVaultProperties.keyVaultUri`, `Microsoft.KeyVault`), storage's lower-case
 * `keyvaultproperties` and `Microsoft.Keyvault`, Resource Graph rows with lower-case `type`.
 */
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import type { AzureDocument, CoverageItem, Snapshot, SnapshotError } from "@/lib/posture/snapshot";
import type { ControlId, Finding } from "@/lib/posture/types";

export const SUB = "00000000-1111-2222-3333-444444444444";
export const OTHER_SUB = "99999999-8888-7777-6666-555555555555";
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-speech`;
export const ACCOUNT_ID = `${RG}/providers/Microsoft.CognitiveServices/accounts/speech-prod-01`;
export const PRINCIPAL = "6f1c1a52-9d0e-4c8b-a6f5-3b0f5d1f0a11";
export const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const FULL_COVERAGE: CoverageItem[] = ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"];

export function storageId(name: string, subscription = SUB, group = "rg-speech"): string {
  return `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}`;
}

export function vaultUri(name: string): string {
  return `https://${name}.vault.azure.net/`;
}

type Props = Record<string, unknown>;

/** An ARM GET of a Speech account; `props` are merged into `properties`. */
export function account(props: Props = {}, top: Partial<AzureDocument> = {}): AzureDocument {
  return {
    id: ACCOUNT_ID,
    name: "speech-prod-01",
    type: "Microsoft.CognitiveServices/accounts",
    kind: "SpeechServices",
    location: "westeurope",
    sku: { name: "S0" },
    identity: { type: "SystemAssigned", principalId: PRINCIPAL, tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
    tags: { env: "prod" },
    properties: { endpoint: "https://speech-prod-01.cognitiveservices.azure.com/", provisioningState: "Succeeded", ...props },
    ...top,
  };
}

/** The same account as a Resource Graph row: lower-case type, resourceGroup and subscriptionId columns. */
export function argAccount(props: Props = {}, top: Partial<AzureDocument> = {}): AzureDocument {
  return account(props, {
    type: "microsoft.cognitiveservices/accounts",
    resourceGroup: "rg-speech",
    subscriptionId: SUB,
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    ...top,
  });
}

export function linking(...ids: string[]): Props {
  return { userOwnedStorage: ids.map((resourceId) => ({ resourceId })) };
}

/** A hardened storage account (CMK with automatic key version, shared key off, firewall closed). */
export function storage(name: string, props: Props = {}, id = storageId(name)): AzureDocument {
  return {
    id,
    name,
    type: "microsoft.storage/storageaccounts",
    kind: "StorageV2",
    location: "westeurope",
    properties: {
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyvaultproperties: { keyname: "byos-key", keyversion: "", keyvaulturi: vaultUri("kv-speech") },
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" } },
      },
      allowSharedKeyAccess: false,
      publicNetworkAccess: "Disabled",
      networkAcls: { bypass: "None", defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
      ...props,
    },
  };
}

export function vault(name: string, props: Props = {}): AzureDocument {
  return {
    id: `${RG}/providers/Microsoft.KeyVault/vaults/${name}`,
    name,
    type: "Microsoft.KeyVault/vaults",
    location: "westeurope",
    properties: { vaultUri: vaultUri(name), enableSoftDelete: true, enablePurgeProtection: true, ...props },
  };
}

/** An `authorizationresources` row. */
export function roleAssignment(scope: string, principalId = PRINCIPAL, role = BLOB_CONTRIBUTOR, name = "1"): AzureDocument {
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "microsoft.authorization/roleassignments",
    properties: {
      principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      scope,
    },
  };
}

/** A network security perimeter association (Resource Graph `resources` row) of `resourceId`. */
export function perimeterAssociation(resourceId: string, accessMode: string, name = "assoc-1", profile = "profile-speech"): AzureDocument {
  const perimeter = `${RG}/providers/Microsoft.Network/networkSecurityPerimeters/nsp-speech`;
  return {
    id: `${perimeter}/resourceAssociations/${name}`,
    name,
    type: "microsoft.network/networksecurityperimeters/resourceassociations",
    location: "westeurope",
    properties: {
      privateLinkResource: { id: resourceId },
      profile: { id: `${perimeter}/profiles/${profile}` },
      accessMode,
      provisioningState: "Succeeded",
      hasProvisioningIssues: "no",
    },
  };
}

/** A role assignment at a management group, as `authorizationresources` returns it. */
export function managementGroupScope(name: string): string {
  return `/providers/Microsoft.Management/managementGroups/${name}`;
}

export interface SnapshotParts {
  resources: AzureDocument[];
  coverage?: CoverageItem[];
  subscriptions?: string[];
  /** `managementGroupAncestors` per listed subscription (left out when not given). */
  managementGroups?: Record<string, string[] | null>;
  diagnosticSettings?: Record<string, unknown[]>;
  speechEndpoints?: Record<string, unknown[]>;
  errors?: SnapshotError[];
}

export function snapshot(parts: SnapshotParts): Snapshot {
  return {
    kind: "speech-posture.snapshot",
    version: 1,
    collectedAt: "2026-11-28T10:00:00Z",
    subscriptions: (parts.subscriptions ?? [SUB]).map((subscriptionId) => ({
      subscriptionId,
      displayName: `Subscription ${subscriptionId.slice(0, 4)}`,
      ...(parts.managementGroups && Object.hasOwn(parts.managementGroups, subscriptionId)
        ? { managementGroupAncestors: parts.managementGroups[subscriptionId] }
        : {}),
    })),
    coverage: parts.coverage ?? FULL_COVERAGE,
    resources: parts.resources,
    diagnosticSettings: parts.diagnosticSettings ?? {},
    speechEndpoints: parts.speechEndpoints ?? {},
    errors: parts.errors ?? [],
  };
}

/** The finding of one control for the (only or named) account. */
export function findingOf(snap: Snapshot, controlId: ControlId, resourceId = ACCOUNT_ID): Finding {
  const found = evaluateSnapshot(snap).findings.find((f) => f.controlId === controlId && f.resourceId.toLowerCase() === resourceId.toLowerCase());
  if (!found) throw new Error(`no ${controlId} finding for ${resourceId}`);
  return found;
}

/** A snapshot with one account and whatever else it needs, evaluated for one control. */
export function judge(controlId: ControlId, parts: SnapshotParts): Finding {
  return findingOf(snapshot(parts), controlId);
}

/** A fully hardened BYOS setup: every control passes. */
export function hardened(): SnapshotParts {
  const st = storageId("stspeechprod01");
  return {
    resources: [
      account({
        ...linking(st),
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyName: "acct-key", keyVersion: "", keyVaultUri: vaultUri("kv-speech") } },
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", ipRules: [], virtualNetworkRules: [] },
        privateEndpointConnections: [
          {
            id: `${ACCOUNT_ID}/privateEndpointConnections/pec1`,
            name: "pec1",
            properties: {
              privateEndpoint: { id: `${RG}/providers/Microsoft.Network/privateEndpoints/pe-speech` },
              privateLinkServiceConnectionState: { status: "Approved", description: "Auto-Approved", actionsRequired: "None" },
              groupIds: ["account"],
              provisioningState: "Succeeded",
            },
          },
        ],
        disableLocalAuth: true,
        restrictOutboundNetworkAccess: true,
        allowedFqdnList: ["stspeechprod01.blob.core.windows.net"],
      }),
      storage("stspeechprod01"),
      vault("kv-speech"),
      roleAssignment(st),
    ],
    diagnosticSettings: {
      [ACCOUNT_ID]: [
        {
          id: `${ACCOUNT_ID}/providers/microsoft.insights/diagnosticSettings/audit`,
          name: "audit",
          properties: { workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/law`, logs: [{ categoryGroup: "audit", enabled: true }] },
        },
      ],
    },
    speechEndpoints: { [ACCOUNT_ID]: [] },
  };
}

/**
 * The snapshot without Azure's own verdicts (policy states, exemptions, assignments, assessments)
 * and their coverage: the emulator's tenant carries them, and a test that places its own starts here.
 */
export function withoutAzureVerdicts(snap: Snapshot): Snapshot {
  snap.resources = snap.resources.filter((r) => !/^microsoft\.(policyinsights\/|security\/|authorization\/policy)/i.test(String(r.type ?? "")));
  snap.coverage = snap.coverage.filter((c) => c !== "azurePolicy" && c !== "defender");
  return snap;
}
