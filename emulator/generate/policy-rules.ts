/**
 * The `policyRule` of each built-in the reconciliation maps (emulator/fixtures/azure-policy, verbatim
 * from Azure/azure-policy), written out as code: what Azure Policy would record for one resource
 * under the definition's default parameters. `equals`/`notEquals` compare strings case-insensitively
 * and a missing field is "not equal" (Azure Policy's documented semantics).
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import { readFileSync } from "node:fs";

// Read as a file, not imported: the emulator also runs as a plain Node process (tsx), whose ESM
// loader refuses a JSON import without an import attribute.
const cmkDefinition = JSON.parse(readFileSync(new URL("../fixtures/azure-policy/67121cc7-ff39-4ab8-b7e3-95b84dab487d.json", import.meta.url), "utf8")) as {
  properties: { parameters: { excludedKinds: { defaultValue: string[] } } };
};

export type RuleOutcome = "Compliant" | "NonCompliant";

/** A definition as the emulator evaluates it; `evaluate` is undefined when the resource's type is not in the rule's `if`. */
export interface BuiltIn {
  readonly guid: string;
  readonly displayName: string;
  readonly category: string;
  readonly resourceType: string;
  /** `audit` or `auditifnotexists`, as policy states spell `policyDefinitionAction`. */
  readonly action: string;
  evaluate(doc: AzureDocument, diagnosticSettings: readonly object[] | undefined): RuleOutcome;
}

const ACCOUNT = "microsoft.cognitiveservices/accounts";
const STORAGE = "microsoft.storage/storageaccounts";
const VAULT = "microsoft.keyvault/vaults";

type Props = Record<string, unknown>;
const props = (doc: AzureDocument): Props => (doc.properties && typeof doc.properties === "object" ? (doc.properties as Props) : {});
const child = (o: unknown, key: string): Props => {
  const v = o && typeof o === "object" ? (o as Props)[key] : undefined;
  return v && typeof v === "object" ? (v as Props) : {};
};
/** Azure Policy `equals` on a string field: case-insensitive; booleans compare as their text. */
const equalsText = (v: unknown, expected: string) => v !== undefined && v !== null && String(v).toLowerCase() === expected.toLowerCase();
const outcome = (nonCompliant: boolean): RuleOutcome => (nonCompliant ? "NonCompliant" : "Compliant");

/** The CMK built-in's `excludedKinds` default, read from the definition itself. */
export const CMK_EXCLUDED_KINDS: readonly string[] = cmkDefinition.properties.parameters.excludedKinds.defaultValue;

/** Every built-in of AZURE_MAPPINGS, by GUID. */
export const BUILT_INS: readonly BuiltIn[] = [
  {
    guid: "46aa9b05-0e60-4eae-a88b-1e9d374fa515",
    displayName: "Cognitive Services accounts should use customer owned storage",
    category: "Cognitive Services",
    resourceType: ACCOUNT,
    action: "audit",
    // userOwnedStorage[*] count < 1 and capabilities[*] named CustomerManagedStorage count > 0.
    evaluate: (doc) => {
      const p = props(doc);
      const linked = Array.isArray(p.userOwnedStorage) ? p.userOwnedStorage.length : 0;
      const capable = Array.isArray(p.capabilities) && p.capabilities.some((c) => equalsText((c as Props | null)?.name, "CustomerManagedStorage"));
      return outcome(linked < 1 && capable);
    },
  },
  {
    guid: "67121cc7-ff39-4ab8-b7e3-95b84dab487d",
    displayName: "Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)",
    category: "Cognitive Services",
    resourceType: ACCOUNT,
    action: "audit",
    // encryption.keySource notEquals Microsoft.KeyVault and kind notIn excludedKinds (default list).
    evaluate: (doc) => {
      const cmk = equalsText(child(props(doc), "encryption").keySource, "Microsoft.KeyVault");
      const excluded = CMK_EXCLUDED_KINDS.some((k) => equalsText(doc.kind, k));
      return outcome(!cmk && !excluded);
    },
  },
  {
    guid: "037eea7a-bd0a-46c5-9a66-03aea78705d3",
    displayName: "Azure AI Services resources should restrict network access",
    category: "Azure Ai Services",
    resourceType: ACCOUNT,
    action: "audit",
    // publicNetworkAccess notEquals Disabled and networkAcls.defaultAction notEquals Deny.
    evaluate: (doc) => {
      const p = props(doc);
      return outcome(!equalsText(p.publicNetworkAccess, "Disabled") && !equalsText(child(p, "networkAcls").defaultAction, "Deny"));
    },
  },
  {
    guid: "d6759c02-b87f-42b7-892e-71b3f471d782",
    displayName: "Azure AI Services resources should use Azure Private Link",
    category: "Azure Ai Services",
    resourceType: ACCOUNT,
    action: "audit",
    // privateEndpointConnections[*] with privateLinkServiceConnectionState.status == Approved: count < 1.
    evaluate: (doc) => {
      const pecs = props(doc).privateEndpointConnections;
      const approved = Array.isArray(pecs)
        ? pecs.filter((c) => equalsText(child(child(c, "properties"), "privateLinkServiceConnectionState").status, "Approved")).length
        : 0;
      return outcome(approved < 1);
    },
  },
  {
    guid: "71ef260a-8f18-47b7-abcb-62d0673d94dc",
    displayName: "Azure AI Services resources should have key access disabled (disable local authentication)",
    category: "Azure Ai Services",
    resourceType: ACCOUNT,
    action: "audit",
    evaluate: (doc) => outcome(!equalsText(props(doc).disableLocalAuth, "true")),
  },
  {
    guid: "fe3fd216-4f83-4fc1-8984-2bbec80a3418",
    displayName: "Cognitive Services accounts should use a managed identity",
    category: "Cognitive Services",
    resourceType: ACCOUNT,
    action: "audit",
    // identity.type exists false, or equals None.
    evaluate: (doc) => {
      const type = child(doc, "identity").type;
      return outcome(type === undefined || type === null || equalsText(type, "None"));
    },
  },
  {
    guid: "1b4d1c4e-934c-4703-944c-27c82c06bebb",
    displayName: "Diagnostic logs in Azure AI services resources should be enabled",
    category: "Azure Ai Services",
    resourceType: ACCOUNT,
    action: "auditifnotexists",
    // AuditIfNotExists: any diagnostic setting whose logs[*] exists, i.e. at least one logs entry,
    // enabled or not, of any category, with or without a destination.
    evaluate: (_doc, settings) => outcome(!(settings ?? []).some((s) => (child(s, "properties").logs as unknown[] | undefined)?.length)),
  },
  {
    guid: "6fac406b-40ca-413b-bf8e-0bf964659c25",
    displayName: "Storage accounts should use customer-managed key for encryption",
    category: "Storage",
    resourceType: STORAGE,
    action: "audit",
    evaluate: (doc) => outcome(!equalsText(child(props(doc), "encryption").keySource, "Microsoft.Keyvault")),
  },
  {
    guid: "4733ea7b-a883-42fe-8cac-97454c2a9e4a",
    displayName: "Storage accounts should have infrastructure encryption",
    category: "Storage",
    resourceType: STORAGE,
    action: "audit",
    evaluate: (doc) => outcome(!equalsText(child(props(doc), "encryption").requireInfrastructureEncryption, "true")),
  },
  {
    guid: "34c877ad-507e-4c82-993e-3452a6e0ad3c",
    displayName: "Storage accounts should restrict network access",
    category: "Storage",
    resourceType: STORAGE,
    action: "audit",
    // Only networkAcls.defaultAction: publicNetworkAccess and perimeters are not looked at.
    evaluate: (doc) => outcome(!equalsText(child(props(doc), "networkAcls").defaultAction, "Deny")),
  },
  {
    guid: "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54",
    displayName: "Storage accounts should prevent shared key access",
    category: "Storage",
    resourceType: STORAGE,
    action: "audit",
    // allowSharedKeyAccess exists false, or equals "", or equals "true".
    evaluate: (doc) => {
      const v = props(doc).allowSharedKeyAccess;
      return outcome(v === undefined || v === null || v === "" || equalsText(v, "true"));
    },
  },
  {
    guid: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
    displayName: "Key vaults should have deletion protection enabled",
    category: "Key Vault",
    resourceType: VAULT,
    action: "audit",
    // createMode notEquals recover, and (enableSoftDelete false, or enablePurgeProtection absent or false);
    // the emulator's documents come from api-versions ≥ 2019-09-01, where an absent enableSoftDelete means on.
    evaluate: (doc) => {
      const p = props(doc);
      if (equalsText(p.createMode, "recover")) return "Compliant";
      const purge = p.enablePurgeProtection;
      return outcome(equalsText(p.enableSoftDelete, "false") || purge === undefined || purge === null || equalsText(purge, "false"));
    },
  },
  {
    guid: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
    displayName: "Key vaults should have soft delete enabled",
    category: "Key Vault",
    resourceType: VAULT,
    action: "audit",
    evaluate: (doc) => {
      const p = props(doc);
      if (equalsText(p.createMode, "recover")) return "Compliant";
      return outcome(p.enableSoftDelete === undefined || p.enableSoftDelete === null || equalsText(p.enableSoftDelete, "false"));
    },
  },
];
