/**
 * BYOS family: is customer data kept in a storage account the customer owns, does that account
 * exist, and can Speech reach it only through its managed identity.
 */
import { idKey, isGrantScopeFor, subscriptionOf } from "@/lib/posture/ids";
import { errorReason, type RoleGrant, type SnapshotIndex } from "@/lib/posture/indexes";
import { EMPTY_ARRAY, shown, text } from "@/lib/posture/read";
import { STORAGE_BLOB_DATA_CONTRIBUTOR, type SnapshotError } from "@/lib/posture/snapshot";
import type { AccountView, Control, Evidence, LinkedStorage, Outcome } from "@/lib/posture/types";
import {
  aboutStorage,
  applyingError,
  describeError,
  errorEvidence,
  ev,
  exact,
  fail,
  linkedStorage,
  notApplicable,
  outcomeOf,
  pass,
  storageSubject,
  unknown,
  verb,
} from "./common";

const NIST_BYOS = ["SC-28(1)"];

const BYOS_TAIL = " keeps customer data in customer-owned storage (userOwnedStorage links a storage account).";
const NO_BYOS_TAIL =
  " keeps customer data in Microsoft-managed storage: no customer-owned storage account is linked " +
  "(userOwnedStorage is empty). BYOS can only be chosen when a Speech resource is created, so the resource " +
  "has to be recreated with a linked storage account.";

export const byos1: Control = {
  id: "BYOS-1",
  title: "Customer data is kept in customer-owned storage",
  severity: "high",
  family: "byos",
  rule:
    "Pass when `properties.userOwnedStorage` has at least one entry with a non-empty `resourceId`; " +
    "otherwise fail. BYOS can only be chosen when the resource is created.",
  rationale:
    "Without bring-your-own-storage (BYOS), the audio, transcripts, custom models and logs that Speech " +
    "stores sit in Microsoft-managed storage under Microsoft-managed keys, outside the customer's own " +
    "access, network and key controls. Microsoft names BYOS as Speech's equivalent of Customer Lockbox.",
  remediation: {
    portal: [
      "BYOS cannot be added to an existing resource: plan a replacement Speech resource.",
      "Create a storage account (StorageV2) in the same region as the new Speech resource.",
      "Create the Speech resource (Create a resource > Speech) and, under Storage account, choose Yes for bring-your-own-storage and select that storage account.",
      "Move clients, custom models and endpoints to the new resource, then delete the old one.",
    ],
    cli:
      "az cognitiveservices account create --name <speech-name> --resource-group <rg> --location <region> \\\n" +
      "  --kind SpeechServices --sku S0 --custom-domain <speech-name> --assign-identity \\\n" +
      '  --storage \'[{"resourceId":"/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<storage>"}]\'',
    bicep: [
      "resource speech 'Microsoft.CognitiveServices/accounts@2025-06-01' = {",
      "  name: speechName",
      "  location: location",
      "  kind: 'SpeechServices'",
      "  sku: { name: 'S0' }",
      "  identity: { type: 'SystemAssigned' }",
      "  properties: {",
      "    customSubDomainName: speechName",
      "    userOwnedStorage: [ { resourceId: storage.id } ]",
      "  }",
      "}",
    ].join("\n"),
  },
  references: {
    azurePolicy: { id: "46aa9b05-0e60-4eae-a88b-1e9d374fa515", name: "Cognitive Services accounts should use customer owned storage" },
    nist: NIST_BYOS,
  },
  evaluate(account) {
    const raw = account.props.userOwnedStorage;
    const evidence = [
      ev(`${account.ref}properties.userOwnedStorage[*].resourceId`, Array.isArray(raw) ? linkedIds(account.linked) : null, "at least one storage account ID"),
    ];
    if (account.linked.length > 0) return pass(account.name + BYOS_TAIL, evidence);
    return fail(account.name + NO_BYOS_TAIL, evidence);
  },
};

function linkedIds(linked: readonly LinkedStorage[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < linked.length; i++) ids.push(linked[i].id);
  return ids;
}

const NO_BYOS_MESSAGE = "Not applicable: no customer-owned storage account is linked to this resource (BYOS-1 fails).";

/** The outcome of a storage control for an account without BYOS; it shows BYOS-1's evidence. */
export function noLinkedStorage(account: AccountView, ctx: SnapshotIndex): Outcome {
  return notApplicable(NO_BYOS_MESSAGE, outcomeOf(byos1, account, ctx).evidence);
}

/** Evidence that a linked storage account has no document in the snapshot. */
export function notVisibleEvidence(storage: LinkedStorage): Evidence {
  return ev(`${storage.ref}id`, null, "a Microsoft.Storage/storageAccounts document with this ID");
}

const EXISTS = [" exists.", " exist."] as const;

export const byos2: Control = {
  id: "BYOS-2",
  title: "Linked storage account exists",
  severity: "high",
  family: "byos",
  rule:
    "Not applicable when BYOS-1 fails. Pass when every linked storage account is in the snapshot. Otherwise, of the " +
    "missing ones: fail when one is not hidden (no resourceGraph error at its ID or resource group) although its " +
    "subscription was scanned (a dangling link); else unknown (not_visible) when one's subscription was not scanned; " +
    "else unknown with the error's reason of the first hidden one.",
  rationale:
    "A BYOS link cannot be changed. If the linked storage account is deleted or moved, Speech stops working " +
    "and the resource has to be recreated; until then, data written before may be orphaned. Resource Graph silently " +
    "leaves out what the scan may not read, so a storage account the scan was refused is not taken for a deleted one.",
  remediation: {
    portal: [
      "Open the Speech resource > Overview > JSON View and note the userOwnedStorage resourceId.",
      "Search for that storage account; if it was moved, move it back to the same subscription, resource group and name.",
      "If it was deleted and cannot be recovered, create a new Speech resource with a new storage account (see BYOS-1).",
      "If the finding is unknown because access was denied, give the scanning identity Reader on the storage account or its resource group and scan again.",
    ],
    cli:
      "az storage account show --ids <linked-storage-id>\n" +
      "# if it was deleted recently, list recoverable accounts:\n" +
      "az storage account list --query \"[?name=='<storage>']\"",
    bicep:
      "// The link cannot be repointed. Redeploy the Speech resource with an existing storage account:\n" +
      "resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = { name: storageName }\n" +
      "// ... userOwnedStorage: [ { resourceId: storage.id } ] (see BYOS-1)",
  },
  references: { nist: NIST_BYOS },
  evaluate(account, ctx) {
    if (account.linked.length === 0) return noLinkedStorage(account, ctx);
    const evidence: Evidence[] = [];
    const dangling: LinkedStorage[] = [];
    const unscanned: LinkedStorage[] = [];
    const hidden: LinkedStorage[] = [];
    for (let i = 0; i < account.linked.length; i++) {
      const s = account.linked[i];
      if (s.doc) {
        evidence.push(ev(`${s.ref}id`, s.doc.id, "a Microsoft.Storage/storageAccounts document with this ID"));
        continue;
      }
      evidence.push(notVisibleEvidence(s));
      if (!s.scanned) {
        unscanned.push(s);
        evidence.push(ev(`subscription:${subscriptionOf(s.id) ?? "(none in the ID)"} scanned`, false, true));
      } else if (s.hiddenBy) {
        hidden.push(s);
        evidence.push(...errorEvidence(s.hiddenBy));
      } else dangling.push(s);
    }
    const kept = exact(evidence);
    if (dangling.length > 0) {
      return fail(
        `${storageSubject(dangling)} ${verb(dangling, "does", "do")} not exist although ${verb(dangling, "its", "their")} ` +
          `subscription was scanned: the link is dangling and Speech stops working. ${account.name} has to be recreated ` +
          "with an existing storage account.",
        kept,
      );
    }
    if (unscanned.length > 0) {
      return unknown(
        "not_visible",
        `${storageSubject(unscanned)} could not be checked: ${verb(unscanned, "its", "their")} subscription was not scanned.`,
        kept,
      );
    }
    if (hidden.length > 0) {
      const first = hidden[0].hiddenBy!;
      return unknown(
        errorReason(first),
        `${storageSubject(hidden)} could not be checked: Resource Graph did not return ${verb(hidden, "it", "them")} ` +
          `(${describeError(first)}), so ${verb(hidden, "it", "they")} may exist without the scan being allowed to see ${verb(hidden, "it", "them")}.`,
        kept,
      );
    }
    return pass(aboutStorage(account.linked, EXISTS), kept);
  },
};

const NO_ROLE_COVERAGE: readonly Evidence[] = [ev("snapshot coverage", "roleAssignments not collected", "roleAssignments")];
const ROLE_EXPECTED =
  `Storage Blob Data Contributor (${STORAGE_BLOB_DATA_CONTRIBUTOR}) for the account's principal at the storage account, ` +
  "its resource group, its subscription, / or one of its subscription's management groups";

export const byos3: Control = {
  id: "BYOS-3",
  title: "Speech reaches its storage only through its managed identity",
  severity: "medium",
  family: "byos",
  rule:
    "In order: not applicable when BYOS-1 fails; unknown (not_collected) when role assignments were not collected; " +
    "unknown with the error's reason when a roleAssignments error applies to the account or a linked storage account; " +
    "unknown (not_visible) when a linked storage account's subscription was not scanned. Pass when `identity.type` " +
    "contains SystemAssigned and, for every linked storage account, the identity's principal holds Storage Blob Data " +
    "Contributor at the account, its resource group, its subscription, / or a management group among the " +
    "subscription's `managementGroupAncestors`. Unknown (not_visible) for a storage account whose subscription's " +
    "ancestors are not known while such a grant exists at some management group; otherwise fail. Several linked " +
    "accounts combine: fail, then unknown, then pass.",
  rationale:
    "Speech reaches BYOS storage through the trusted-services path with its system-assigned managed identity and " +
    "the Storage Blob Data Contributor role. Without that role Speech cannot write its data; a user-assigned " +
    "identity is not supported for Speech BYOS, and keys should not be used instead.",
  remediation: {
    portal: [
      "Open the Speech resource > Identity and turn System assigned to On (if it is off); copy the Object (principal) ID.",
      "Open the linked storage account > Access control (IAM) > Add role assignment.",
      "Choose Storage Blob Data Contributor, assign access to Managed identity, select the Speech resource, and save.",
    ],
    cli:
      "principal=$(az cognitiveservices account show -n <speech-name> -g <rg> --query identity.principalId -o tsv)\n" +
      'az role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal \\\n' +
      '  --role "Storage Blob Data Contributor" --scope <linked-storage-id>',
    bicep: [
      "resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
      "  scope: storage",
      "  name: guid(storage.id, speech.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')",
      "  properties: {",
      "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')",
      "    principalId: speech.identity.principalId",
      "    principalType: 'ServicePrincipal'",
      "  }",
      "}",
    ].join("\n"),
  },
  references: { mcsb: ["IM-3"], nist: NIST_BYOS },
  evaluate(account, ctx) {
    if (account.linked.length === 0) return noLinkedStorage(account, ctx);
    if (!ctx.coverage.has("roleAssignments")) {
      return unknown(
        "not_collected",
        account.name + ": role assignments were not collected, so it cannot be checked whether Speech reaches its storage through its managed identity.",
        NO_ROLE_COVERAGE,
      );
    }
    const error = roleAssignmentError(account, ctx);
    if (error) {
      return unknown(
        errorReason(error),
        `Role assignments could not be read (${describeError(error)}), so it cannot be checked whether ${account.name} reaches its storage through its managed identity.`,
        errorEvidence(error),
      );
    }
    const unscanned = unscannedStorage(account.linked);
    if (unscanned.length > 0) {
      return unknown(
        "not_visible",
        `The subscription of ${linkedStorage(unscanned)} was not scanned, so its role assignments cannot be seen.`,
        unscanned.map((s) => ev(`subscription:${subscriptionOf(s.id) ?? "(none in the ID)"} scanned`, false, true)),
      );
    }
    return judgeIdentityAccess(account, ctx);
  },
};

const NO_SYSTEM_IDENTITY_TAIL =
  " has no system-assigned managed identity (identity.type does not contain SystemAssigned), so Speech cannot reach " +
  "its storage through the trusted-services path; Speech BYOS does not support a user-assigned identity.";
const IDENTITY_ACCESS_TAIL = " reaches its linked storage with its system-assigned managed identity (Storage Blob Data Contributor).";

function unscannedStorage(linked: readonly LinkedStorage[]): readonly LinkedStorage[] {
  for (let i = 0; i < linked.length; i++) if (!linked[i].scanned) return linked.filter((s) => !s.scanned);
  return EMPTY_ARRAY;
}

function judgeIdentityAccess(account: AccountView, ctx: SnapshotIndex): Outcome {
  const type = account.identity.type;
  const principal = text(account.identity.principalId);
  const typeEvidence = ev(`${account.ref}identity.type`, shown(type), "contains SystemAssigned");
  if (typeof type !== "string" || !type.toLowerCase().includes("systemassigned")) {
    return fail(account.name + NO_SYSTEM_IDENTITY_TAIL, [typeEvidence]);
  }
  const evidence: Evidence[] = [typeEvidence, ev(`${account.ref}identity.principalId`, shown(account.identity.principalId), "the principal holding the role")];
  const grants = principal === undefined ? undefined : ctx.roleAssignments.get(idKey(principal));
  const missing: LinkedStorage[] = [];
  const unresolved: LinkedStorage[] = [];
  for (let i = 0; i < account.linked.length; i++) {
    const s = account.linked[i];
    const ancestors = ctx.managementGroupsOf(s.subscriptionKey);
    const grant = grants && grantOn(grants, s.key, ancestors);
    if (grant) {
      evidence.push(ev(`roleAssignment:${grant.id} properties.scope`, grant.scope, ROLE_EXPECTED));
      continue;
    }
    const atSomeGroup = ancestors === undefined && grants ? managementGroupGrant(grants) : undefined;
    if (atSomeGroup) {
      unresolved.push(s);
      evidence.push(
        ev(`roleAssignment:${atSomeGroup.id} properties.scope`, atSomeGroup.scope, ROLE_EXPECTED),
        ev(`subscription:${subscriptionOf(s.id) ?? "(none in the ID)"} managementGroupAncestors`, null, "the subscription's management groups"),
      );
    } else {
      missing.push(s);
      evidence.push(ev(`${s.ref}roleAssignments`, null, ROLE_EXPECTED));
    }
  }
  if (missing.length > 0) {
    return fail(
      `${account.name}'s managed identity has no Storage Blob Data Contributor role assignment on ${linkedStorage(missing)} ` +
        "(checked the storage account, its resource group, its subscription, the root scope and the management groups above the subscription).",
      exact(evidence),
    );
  }
  if (unresolved.length > 0) {
    return unknown(
      "not_visible",
      `${account.name}'s managed identity holds Storage Blob Data Contributor at a management group, but the management groups ` +
        `above the subscription of ${linkedStorage(unresolved)} are not known, so it cannot be told whether that grant covers it.`,
      exact(evidence),
    );
  }
  return pass(account.name + IDENTITY_ACCESS_TAIL, exact(evidence));
}

/**
 * A Storage Blob Data Contributor grant covering the storage account: at its ID, its resource group,
 * its subscription, `/`, or a management group among the subscription's ancestors.
 */
function grantOn(grants: readonly RoleGrant[], storageKey: string, ancestors: ReadonlySet<string> | undefined): RoleGrant | undefined {
  for (let i = 0; i < grants.length; i++) {
    const grant = grants[i];
    if (!grant.blobDataContributor) continue;
    if (grant.managementGroup !== undefined ? ancestors?.has(grant.managementGroup) : isGrantScopeFor(grant.scopeKey, storageKey)) return grant;
  }
  return undefined;
}

/** A Storage Blob Data Contributor grant at some management group (it may cover a storage account). */
function managementGroupGrant(grants: readonly RoleGrant[]): RoleGrant | undefined {
  for (let i = 0; i < grants.length; i++) if (grants[i].blobDataContributor && grants[i].managementGroup !== undefined) return grants[i];
  return undefined;
}

/**
 * The roleAssignments error that applies: the account's most specific entry (its ID, resource
 * group, subscription), else each linked storage account's, in `userOwnedStorage` order.
 */
function roleAssignmentError(account: AccountView, ctx: SnapshotIndex): SnapshotError | undefined {
  const bySource = ctx.errors.get("roleAssignments");
  if (bySource === undefined) return undefined;
  const direct = applyingError(account, "roleAssignments", ctx);
  if (direct) return direct;
  for (let i = 0; i < account.linked.length; i++) {
    const s = account.linked[i];
    const found = ctx.errorFor("roleAssignments", s.key, s.subscriptionKey === "" ? undefined : ctx.scopeOfSubscription(s.subscriptionKey));
    if (found) return found;
  }
  return undefined;
}

export const BYOS_CONTROLS: readonly Control[] = [byos1, byos2, byos3];
