/**
 * Azure's own verdicts beside ours (CONTROLS.md "Azure's own verdicts (reconciliation)"): which
 * Azure Policy states and Defender for Cloud assessments speak to a control for one account, how
 * they combine into `azure.state`, and whether we agree. Pure, like the controls.
 */
import { idKey } from "./ids";
import { child, text } from "./read";
import type { AzureDocument, CoverageItem } from "./snapshot";
import type { AzureSource, AzureVerdict, ControlId, DefenderSource, PolicySource, Status } from "./types";

import type { Agreement, AzureState } from "./vocabulary";

export type { Agreement, AzureSource, AzureState, AzureVerdict, DefenderSource, PolicySource };

/** Whose setting a policy definition judges: the account, its linked storage or its key vaults. */
export type AzureSubject = "account" | "storage" | "vault";

export interface AzureMapping {
  readonly policies: readonly { readonly definitionId: string; readonly subject: AzureSubject; readonly name: string }[];
  readonly defender: readonly { readonly key: string; readonly name: string }[];
  /** Why Azure's verdict can differ from ours: what the built-ins check, read from their definitions. */
  readonly differences: readonly string[];
}

const account = (definitionId: string, name: string) => ({ definitionId, subject: "account" as const, name });
const storage = (definitionId: string, name: string) => ({ definitionId, subject: "storage" as const, name });
const vault = (definitionId: string, name: string) => ({ definitionId, subject: "vault" as const, name });

const SCOPE_NOTE =
  "Azure judges the storage account (or vault) on its own, only where a policy assignment covers it; it does not know the account holds Speech data, so a storage account in a subscription outside the assignment gets no verdict.";

/**
 * The CONTROLS.md table, with the built-ins' display names (Azure/azure-policy
 * built-in-policies/policyDefinitions) and Defender's recommendation titles. Controls missing here
 * have no Azure counterpart: Azure is silent on them.
 */
export const AZURE_MAPPINGS: Partial<Record<ControlId, AzureMapping>> = {
  "BYOS-1": {
    policies: [account("46aa9b05-0e60-4eae-a88b-1e9d374fa515", "Cognitive Services accounts should use customer owned storage")],
    defender: [],
    differences: [
      "The built-in judges only accounts whose kind reports the CustomerManagedStorage capability; any other account is Compliant whatever its storage. We fail every Speech resource without linked storage, because its data then sits in Microsoft-managed storage.",
    ],
  },
  "CMK-1": {
    policies: [account("67121cc7-ff39-4ab8-b7e3-95b84dab487d", "Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)")],
    defender: [
      {
        key: "18bf29b3-a844-e170-2826-4e95d0ba4dc9",
        name: "(Enable if required) Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)",
      },
    ],
    differences: [
      "The built-in's parameter excludedKinds leaves out CognitiveServices, AIServices, SpeechTranslation and TranscriptionIntelligence (among others) by default, and reports those accounts Compliant while they use Microsoft-managed keys.",
      "The Microsoft cloud security benchmark initiative sets this built-in's effect to Disabled, and Defender marks the recommendation 'Enable if required': by default Azure does not assess it at all.",
    ],
  },
  "CMK-2": {
    policies: [storage("6fac406b-40ca-413b-bf8e-0bf964659c25", "Storage accounts should use customer-managed key for encryption")],
    defender: [],
    differences: ["The built-in tests the same setting (encryption.keySource = Microsoft.Keyvault). " + SCOPE_NOTE],
  },
  "CMK-3": {
    policies: [
      vault("0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "Key vaults should have deletion protection enabled"),
      vault("1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", "Key vaults should have soft delete enabled"),
    ],
    defender: [],
    differences: [
      "Azure judges every vault in the assignment's scope; we judge only the vaults that hold this resource's keys and its storage's keys. " + SCOPE_NOTE,
    ],
  },
  "CMK-5": {
    policies: [storage("4733ea7b-a883-42fe-8cac-97454c2a9e4a", "Storage accounts should have infrastructure encryption")],
    defender: [],
    differences: ["The built-in tests the same setting (encryption.requireInfrastructureEncryption). " + SCOPE_NOTE],
  },
  "NET-1": {
    policies: [account("037eea7a-bd0a-46c5-9a66-03aea78705d3", "Azure AI Services resources should restrict network access")],
    defender: [{ key: "f738efb8-005f-680d-3d43-b3db762d6243", name: "Azure AI Services resources should restrict network access" }],
    differences: [
      "The built-in passes publicNetworkAccess = Disabled or networkAcls.defaultAction = Deny, as we do, but knows nothing of network security perimeters: an account SecuredByPerimeter in an enforced perimeter passes here and is NonCompliant there.",
    ],
  },
  "NET-2": {
    policies: [account("d6759c02-b87f-42b7-892e-71b3f471d782", "Azure AI Services resources should use Azure Private Link")],
    defender: [{ key: "54f53ddf-6ebd-461e-a247-394c542bc5d1", name: "Azure AI Services resources should use Azure Private Link" }],
    differences: [
      "The built-in tests the same setting (an Approved private endpoint connection); a difference means Azure's evaluation is older than our scan.",
    ],
  },
  "NET-3": {
    policies: [storage("34c877ad-507e-4c82-993e-3452a6e0ad3c", "Storage accounts should restrict network access")],
    defender: [],
    differences: [
      "The built-in looks only at networkAcls.defaultAction: a storage account with publicNetworkAccess = Disabled but defaultAction Allow is NonCompliant there and passes here; perimeters are not considered. " +
        SCOPE_NOTE,
    ],
  },
  "IAM-1": {
    policies: [account("71ef260a-8f18-47b7-abcb-62d0673d94dc", "Azure AI Services resources should have key access disabled (disable local authentication)")],
    defender: [
      { key: "13b10b36-aa99-4db6-b00c-dcf87c4761e6", name: "Azure AI Services resources should have key access disabled (disable local authentication)" },
    ],
    differences: ["The built-in tests the same setting (disableLocalAuth = true); a difference means Azure's evaluation is older than our scan."],
  },
  "IAM-2": {
    policies: [storage("8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", "Storage accounts should prevent shared key access")],
    defender: [],
    differences: ["The built-in tests the same setting (allowSharedKeyAccess = false; absent counts as allowed). " + SCOPE_NOTE],
  },
  "IAM-3": {
    policies: [account("fe3fd216-4f83-4fc1-8984-2bbec80a3418", "Cognitive Services accounts should use a managed identity")],
    defender: [],
    differences: ["The built-in tests the same setting (identity.type present and not None); a difference means Azure's evaluation is older than our scan."],
  },
  "LOG-2": {
    policies: [account("1b4d1c4e-934c-4703-944c-27c82c06bebb", "Diagnostic logs in Azure AI services resources should be enabled")],
    defender: [{ key: "dea5192e-1bb3-101b-b70c-4646546f5e1e", name: "Diagnostic logs in Azure AI services resources should be enabled" }],
    differences: [
      "The built-in (AuditIfNotExists) is satisfied by any diagnostic setting with any logs entry: it checks neither that the entry is enabled, nor its category, nor that the setting sends anywhere. We require an enabled Audit (or audit / allLogs group) entry and a destination.",
    ],
  },
};

export const POLICY_STATE_TYPE = "microsoft.policyinsights/policystates";
export const POLICY_EXEMPTION_TYPE = "microsoft.authorization/policyexemptions";
export const POLICY_ASSIGNMENT_TYPE = "microsoft.authorization/policyassignments";
export const ASSESSMENT_TYPE = "microsoft.security/assessments";

/** Policy states and assessments of the collected kinds, by the `idKey` of the resource they judge. */
export interface AzureVerdictIndex {
  readonly policy: boolean;
  readonly defender: boolean;
  readonly policyStates: ReadonlyMap<string, readonly PolicySource[]>;
  readonly assessments: ReadonlyMap<string, readonly DefenderSource[]>;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The GUID at the end of a definition ID (`…/policyDefinitions/{guid}`), lower-cased. */
function lastGuid(id: string): string {
  const key = idKey(id);
  return key.slice(key.lastIndexOf("/") + 1);
}

/** Indexes the verdict documents of a snapshot; null when neither kind was collected. */
export function buildAzureVerdictIndex(resources: readonly AzureDocument[], coverage: ReadonlySet<CoverageItem | string>): AzureVerdictIndex | null {
  const policy = coverage.has("azurePolicy");
  const defender = coverage.has("defender");
  if (!policy && !defender) return null;
  const policyStates = new Map<string, PolicySource[]>();
  const assessments = new Map<string, DefenderSource[]>();
  for (const doc of resources) {
    const type = typeof doc.type === "string" ? doc.type.trim().toLowerCase() : "";
    const props = child(doc, "properties");
    if (policy && type === POLICY_STATE_TYPE) {
      const resourceId = text(props.resourceId);
      const definitionId = text(props.policyDefinitionId);
      if (!resourceId || !definitionId) continue;
      push(policyStates, idKey(resourceId), {
        kind: "policy",
        definitionId,
        assignmentId: text(props.policyAssignmentId) ?? null,
        resourceId,
        complianceState: text(props.complianceState) ?? null,
        timestamp: text(props.timestamp) ?? null,
      });
    } else if (defender && type === ASSESSMENT_TYPE) {
      const details = child(props, "resourceDetails");
      const resourceId = text(details.Id) ?? text(details.id);
      const assessmentKey = text(doc.name);
      if (!resourceId || !assessmentKey) continue;
      push(assessments, idKey(resourceId), {
        kind: "defender",
        assessmentKey,
        resourceId,
        status: text(child(props, "status").code) ?? null,
      });
    }
  }
  return { policy, defender, policyStates, assessments };
}

/** The subjects of one account: its own ID, its visible linked storage accounts, its visible vaults in use. */
export interface AzureSubjects {
  readonly account: string;
  readonly storage: readonly string[];
  readonly vault: readonly string[];
}

const lower = (s: string | null) => (s ?? "").trim().toLowerCase();

/** `azure` for one control and account; null when neither kind of verdict was collected. */
export function azureVerdict(controlId: ControlId, subjects: AzureSubjects, index: AzureVerdictIndex | null): AzureVerdict | null {
  if (index === null) return null;
  const mapping = AZURE_MAPPINGS[controlId];
  if (mapping === undefined) return NONE;
  const sources: AzureSource[] = [];
  if (index.policy) {
    for (const { definitionId, subject } of mapping.policies) {
      const ids = subject === "account" ? [subjects.account] : subjects[subject];
      for (const id of ids) {
        for (const state of index.policyStates.get(idKey(id)) ?? []) if (lastGuid(state.definitionId) === definitionId) sources.push(state);
      }
    }
  }
  if (index.defender && mapping.defender.length > 0) {
    for (const assessment of index.assessments.get(idKey(subjects.account)) ?? []) {
      const key = lower(assessment.assessmentKey);
      if (mapping.defender.some((d) => d.key === key)) sources.push(assessment);
    }
  }
  return sources.length === 0 ? NONE : { state: combine(sources), sources };
}

const NONE: AzureVerdict = Object.freeze({ state: "none", sources: Object.freeze([]) as readonly AzureSource[] });

/** CONTROLS.md order: non_compliant, exempt, compliant, not_evaluated. */
export function combine(sources: readonly AzureSource[]): AzureState {
  const policy = sources.filter((s): s is PolicySource => s.kind === "policy").map((s) => lower(s.complianceState));
  const defender = sources.filter((s): s is DefenderSource => s.kind === "defender").map((s) => lower(s.status));
  if (policy.includes("noncompliant") || defender.includes("unhealthy")) return "non_compliant";
  if (policy.includes("exempt")) return "exempt";
  if (policy.includes("compliant") || defender.includes("healthy")) return "compliant";
  return sources.length > 0 ? "not_evaluated" : "none";
}

/**
 * Whether we agree with Azure. `azureErrorApplies`: an `errors` entry with source azurePolicy or
 * defender applies to the account, so Azure's side is incomplete.
 */
export function agreementOf(status: Status, azure: AzureVerdict | null, azureErrorApplies: boolean): Agreement {
  if (azure === null || azureErrorApplies) return "not_collected";
  if (status === "unknown" || status === "not_applicable") return "not_compared";
  if (azure.state === "none" || azure.state === "not_evaluated") return "azure_silent";
  if (azure.state === "exempt") return "azure_exempt";
  if (status === "pass") return azure.state === "compliant" ? "agree" : "azure_stricter";
  return azure.state === "non_compliant" ? "agree" : "azure_lenient";
}
