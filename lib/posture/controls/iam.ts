/**
 * IAM family: key (local) authentication on the resource and on its storage, and the resource's
 * managed identity.
 */
import { eqCi, shown, text } from "@/lib/posture/read";
import type { Control } from "@/lib/posture/types";
import { ev, fail, pass } from "./common";
import { evaluateLinkedStorage, unseen, type StorageRule } from "./storage-check";

const MCSB_LOCAL_AUTH = ["IM-1"];
const NIST_LOCAL_AUTH = ["AC-2", "IA-2"];

export const iam1: Control = {
  id: "IAM-1",
  title: "Key (local) authentication is disabled",
  severity: "medium",
  family: "iam",
  rule: "Pass when `properties.disableLocalAuth` is true; otherwise fail.",
  rationale:
    "API keys are shared secrets that identify no one, are easily leaked and grant full data-plane access. With " +
    "local authentication disabled, every caller must use a Microsoft Entra identity that can be audited and revoked.",
  remediation: {
    portal: [
      "Move every client to Microsoft Entra ID authentication (the resource needs a custom subdomain).",
      "Local authentication is not exposed in the portal: use the CLI or Bicep to set disableLocalAuth to true.",
    ],
    cli: "az resource update --ids <speech-id> --set properties.disableLocalAuth=true",
    bicep: "properties: { customSubDomainName: speechName, disableLocalAuth: true }",
  },
  references: {
    azurePolicy: {
      id: "71ef260a-8f18-47b7-abcb-62d0673d94dc",
      name: "Azure AI Services resources should have key access disabled (disable local authentication)",
    },
    mcsb: MCSB_LOCAL_AUTH,
    nist: NIST_LOCAL_AUTH,
    defender: "Azure AI Services resources should have key access disabled (disable local authentication)",
  },
  evaluate(account) {
    const value = account.props.disableLocalAuth;
    const evidence = [ev(`${account.ref}properties.disableLocalAuth`, shown(value), true)];
    if (value === true) return pass(account.name + " does not accept API keys (local authentication is disabled).", evidence);
    return fail(account.name + " still accepts API keys (disableLocalAuth is not true).", evidence);
  },
};

const sharedKeyRule: StorageRule = {
  judge(storage, evidence) {
    const value = storage.props.allowSharedKeyAccess;
    evidence.push(ev(`${storage.ref}properties.allowSharedKeyAccess`, shown(value), false));
    return value === false;
  },
  passTail: [" refuses shared-key requests.", " refuse shared-key requests."],
  failTail: [
    " still accepts shared-key requests (allowSharedKeyAccess is not false).",
    " still accept shared-key requests (allowSharedKeyAccess is not false).",
  ],
  unseenTail: unseen("whether it refuses shared-key requests"),
};

export const iam2: Control = {
  id: "IAM-2",
  title: "Linked storage refuses shared-key access",
  severity: "high",
  family: "iam",
  rule:
    "Not applicable when BYOS-1 fails; unknown (not_visible) when a linked storage account is not in the snapshot. " +
    "Pass when the storage account's `allowSharedKeyAccess` is false; fail when it is true or absent (absent means allowed).",
  rationale:
    "Anyone holding a storage account key (or a SAS signed with it) can read every blob, bypassing Entra ID, RBAC and " +
    "audit. Speech does not need shared keys: it reaches BYOS storage with its managed identity.",
  remediation: {
    portal: ["Open the linked storage account > Settings > Configuration.", "Set Allow storage account key access to Disabled, and save."],
    cli: "az storage account update --name <storage> --resource-group <rg> --allow-shared-key-access false",
    bicep: "properties: { allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' }",
  },
  references: { mcsb: MCSB_LOCAL_AUTH, nist: NIST_LOCAL_AUTH },
  evaluate: (account, ctx) => evaluateLinkedStorage(account, ctx, sharedKeyRule),
};

export const iam3: Control = {
  id: "IAM-3",
  title: "Resource has a managed identity",
  severity: "medium",
  family: "iam",
  rule: "Pass when `identity.type` is present and not None; otherwise fail.",
  rationale:
    "A managed identity lets the resource reach its storage and key vault without stored secrets; BYOS and " + "customer-managed keys both depend on it.",
  remediation: {
    portal: ["Open the Speech resource > Resource Management > Identity.", "Under System assigned, set Status to On, and save."],
    cli: "az cognitiveservices account identity assign --name <speech-name> --resource-group <rg>",
    bicep: "identity: { type: 'SystemAssigned' }",
  },
  references: {
    azurePolicy: { id: "fe3fd216-4f83-4fc1-8984-2bbec80a3418", name: "Cognitive Services accounts should use a managed identity" },
    mcsb: ["IM-3"],
  },
  evaluate(account) {
    const type = account.identity.type;
    const evidence = [ev(`${account.ref}identity.type`, shown(type), "SystemAssigned, UserAssigned or both")];
    if (text(type) !== undefined && !eqCi(type, "none")) return pass(account.name + " has a managed identity.", evidence);
    return fail(account.name + " has no managed identity (identity.type is not set or None).", evidence);
  },
};

export const IAM_CONTROLS: readonly Control[] = [iam1, iam2, iam3];
