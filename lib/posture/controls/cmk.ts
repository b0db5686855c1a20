/**
 * CMK family: customer-managed keys on the resource and on its linked storage, the key vaults
 * that hold them, key-version pinning and infrastructure (double) encryption.
 */
import { lastSegment, vaultUriKey } from "@/lib/posture/ids";
import type { SnapshotIndex } from "@/lib/posture/indexes";
import { child, childEither, eqCi, shown, text, textEither, type Json } from "@/lib/posture/read";
import type { AccountView, Control, Evidence, LinkedStorage, Outcome } from "@/lib/posture/types";
import { notVisibleEvidence } from "./byos";
import { ev, exact, fail, joinNames, notApplicable, outcomeOf, pass, unknown } from "./common";
import { combineLinkedStorage, evaluateLinkedStorage, unseen, type StorageRule } from "./storage-check";

const MCSB_CMK = ["DP-5"];
const NIST_KEYS = ["SC-12"];

/** `properties.encryption.keyVaultProperties` (accounts) / `keyvaultproperties` (storage). */
function keyVaultProperties(props: Json): Json {
  return childEither(child(props, "encryption"), "keyVaultProperties", "keyvaultproperties");
}

/** The account's key, when CMK-1's rule holds. */
function accountKey(account: AccountView): { uri: string; name: string } | undefined {
  if (!eqCi(child(account.props, "encryption").keySource, "microsoft.keyvault")) return undefined;
  const kv = keyVaultProperties(account.props);
  const uri = textEither(kv, "keyVaultUri", "keyvaulturi");
  const name = textEither(kv, "keyName", "keyname");
  return uri !== undefined && name !== undefined ? { uri, name } : undefined;
}

const MICROSOFT_MANAGED = " encrypts its data with Microsoft-managed keys (keySource is not Microsoft.KeyVault).";

export const cmk1: Control = {
  id: "CMK-1",
  title: "Resource encrypts with a customer-managed key",
  severity: "medium",
  family: "cmk",
  rule:
    "Pass when `properties.encryption.keySource` is Microsoft.KeyVault and `keyVaultProperties.keyVaultUri` and " +
    "`keyName` are non-empty; otherwise fail (no `encryption` or `keySource` means Microsoft-managed keys).",
  rationale:
    "With Microsoft-managed keys the customer cannot revoke access to the data the resource stores. A " +
    "customer-managed key in the customer's vault puts key lifetime, rotation and revocation under the customer's control.",
  remediation: {
    portal: [
      "Make sure the resource has a system-assigned managed identity (Identity blade).",
      "In the key vault, give that identity get, wrap key and unwrap key permissions on the key (or the Key Vault Crypto Service Encryption User role).",
      "Open the Speech resource > Encryption, choose Customer Managed Keys, select the vault and key, and save.",
    ],
    cli:
      "az cognitiveservices account update --name <speech-name> --resource-group <rg> \\\n" +
      '  --encryption \'{"keySource":"Microsoft.KeyVault","keyVaultProperties":{"keyName":"<key>","keyVersion":"","keyVaultUri":"https://<vault>.vault.azure.net/"}}\'',
    bicep: [
      "resource speech 'Microsoft.CognitiveServices/accounts@2025-06-01' = {",
      "  // ...",
      "  identity: { type: 'SystemAssigned' }",
      "  properties: {",
      "    encryption: {",
      "      keySource: 'Microsoft.KeyVault'",
      "      keyVaultProperties: { keyVaultUri: vault.properties.vaultUri, keyName: keyName, keyVersion: '' }",
      "    }",
      "  }",
      "}",
    ].join("\n"),
  },
  references: {
    azurePolicy: {
      id: "67121cc7-ff39-4ab8-b7e3-95b84dab487d",
      name: "Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)",
    },
    mcsb: MCSB_CMK,
    nist: NIST_KEYS,
    defender: "(Enable if required) Azure AI Services resources should encrypt data at rest with a customer-managed key (CMK)",
  },
  evaluate(account) {
    const encryption = child(account.props, "encryption");
    const keySource = encryption.keySource;
    const keySourcePath = `${account.ref}properties.encryption.keySource`;
    if (!eqCi(keySource, "microsoft.keyvault")) {
      const evidence = [ev(keySourcePath, shown(keySource), "Microsoft.KeyVault")];
      return fail(account.name + MICROSOFT_MANAGED, evidence);
    }
    const kv = keyVaultProperties(account.props);
    const uri = textEither(kv, "keyVaultUri", "keyvaulturi");
    const name = textEither(kv, "keyName", "keyname");
    const evidence = [
      ev(keySourcePath, shown(keySource), "Microsoft.KeyVault"),
      ev(`${account.ref}properties.encryption.keyVaultProperties.keyVaultUri`, shown(uri), "a key vault URI"),
      ev(`${account.ref}properties.encryption.keyVaultProperties.keyName`, shown(name), "a key name"),
    ];
    if (uri === undefined || name === undefined) {
      const missing = uri === undefined ? (name === undefined ? "key vault URI and key name are" : "key vault URI is") : "key name is";
      return fail(`${account.name} is set to use a customer-managed key, but its ${missing} missing.`, evidence);
    }
    return pass(account.name + " encrypts its data with a customer-managed key from its own key vault.", evidence);
  },
};

function storageKeySource(storage: LinkedStorage): unknown {
  return child(storage.props, "encryption").keySource;
}

const storageCmkRule: StorageRule = {
  judge(storage, evidence) {
    const keySource = storageKeySource(storage);
    evidence.push(ev(`${storage.ref}properties.encryption.keySource`, shown(keySource), "Microsoft.Keyvault"));
    return eqCi(keySource, "microsoft.keyvault");
  },
  passTail: [" encrypts with a customer-managed key.", " encrypt with customer-managed keys."],
  failTail: [
    " encrypts with Microsoft-managed keys, not with a customer-managed key (keySource is not Microsoft.Keyvault).",
    " encrypt with Microsoft-managed keys, not with customer-managed keys (keySource is not Microsoft.Keyvault).",
  ],
  unseenTail: unseen("its encryption key"),
};

export const cmk2: Control = {
  id: "CMK-2",
  title: "Linked storage encrypts with a customer-managed key",
  severity: "high",
  family: "cmk",
  rule:
    "Not applicable when BYOS-1 fails; unknown (not_visible) when a linked storage account is not in the snapshot. " +
    "Pass when the storage account's `properties.encryption.keySource` is Microsoft.Keyvault (any casing); otherwise fail.",
  rationale:
    "The linked storage account holds the Speech resource's customer data. Encrypting it with a customer-managed " +
    "key lets the customer revoke access to that data and is part of the Lockbox-equivalent control.",
  remediation: {
    portal: [
      "Give the storage account a managed identity and grant it get, wrap key and unwrap key on the key (Key Vault Crypto Service Encryption User).",
      "Open the linked storage account > Security + networking > Encryption.",
      "Choose Customer-managed keys, select the key vault and key (leave the version to automatic), and save.",
    ],
    cli:
      "az storage account update --name <storage> --resource-group <rg> \\\n" +
      "  --encryption-key-source Microsoft.Keyvault --encryption-key-vault https://<vault>.vault.azure.net \\\n" +
      "  --encryption-key-name <key>",
    bicep: [
      "resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {",
      "  // ...",
      "  identity: { type: 'SystemAssigned' }",
      "  properties: {",
      "    encryption: {",
      "      keySource: 'Microsoft.Keyvault'",
      "      keyvaultproperties: { keyvaulturi: vault.properties.vaultUri, keyname: keyName }",
      "      services: { blob: { enabled: true, keyType: 'Account' } }",
      "    }",
      "  }",
      "}",
    ].join("\n"),
  },
  references: { mcsb: MCSB_CMK, nist: NIST_KEYS },
  evaluate: (account, ctx) => evaluateLinkedStorage(account, ctx, storageCmkRule),
};

/** One key vault a key comes from: the URI and where it was read (for evidence). */
interface VaultUse {
  readonly uri: string;
  readonly path: string;
}

const VAULT_EXPECTED = "a Microsoft.KeyVault/vaults document with this vaultUri";

export const cmk3: Control = {
  id: "CMK-3",
  title: "Key vaults holding the keys cannot lose them",
  severity: "high",
  family: "cmk",
  rule:
    "Vaults in use: the resource's key vault when CMK-1 passes, and the key vault of each visible linked storage " +
    "account encrypted with Microsoft.Keyvault (one without a key vault URI counts as a vault that is not visible). " +
    "A vault is matched by the host and port of `properties.vaultUri` (case-insensitive; port 443 counts as none; " +
    "scheme, path and trailing / ignored) and is protected when " +
    "`enableSoftDelete` is not false and `enablePurgeProtection` is true. In order: fail if a visible vault in use " +
    "is not protected; unknown (not_visible) if a vault in use or a linked storage account is not visible; not " +
    "applicable if no vault is in use; else pass.",
  rationale:
    "If the key is deleted or purged, data encrypted with it is lost for good. Soft delete and purge protection " +
    "make a deleted key recoverable for the retention period, even against a malicious administrator.",
  remediation: {
    portal: [
      "Open each key vault that holds a key for the resource or its storage > Properties.",
      "Check that soft delete is on, select Enable purge protection, and save (purge protection cannot be turned off again).",
    ],
    cli: "az keyvault update --name <vault> --resource-group <rg> --enable-purge-protection true",
    bicep: [
      "resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {",
      "  // ...",
      "  properties: {",
      "    enableSoftDelete: true",
      "    softDeleteRetentionInDays: 90",
      "    enablePurgeProtection: true",
      "  }",
      "}",
    ].join("\n"),
  },
  references: { mcsb: MCSB_CMK, nist: NIST_KEYS },
  evaluate(account, ctx) {
    const accountCmk = outcomeOf(cmk1, account, ctx);
    // The common case, decided without building anything: no key anywhere.
    if (accountCmk.status !== "pass" && account.linked.length === 0) return notApplicable(NO_VAULT_IN_USE, accountCmk.evidence);
    const evidence: Evidence[] = [];
    const uses: VaultUse[] = [];
    const problems: string[] = [];
    if (accountCmk.status === "pass") {
      const key = accountKey(account);
      if (key) uses.push({ uri: key.uri, path: `${account.ref}properties.encryption.keyVaultProperties.keyVaultUri` });
    }
    for (let i = 0; i < account.linked.length; i++) {
      const storage = account.linked[i];
      if (storage.doc === undefined) {
        problems.push(`linked storage account ${storage.name} is not in the snapshot`);
        evidence.push(notVisibleEvidence(storage));
        continue;
      }
      if (!eqCi(storageKeySource(storage), "microsoft.keyvault")) continue;
      const uri = textEither(keyVaultProperties(storage.props), "keyvaulturi", "keyVaultUri");
      const path = `${storage.ref}properties.encryption.keyvaultproperties.keyvaulturi`;
      if (uri === undefined) {
        problems.push(`linked storage account ${storage.name} uses a customer-managed key but names no key vault`);
        evidence.push(ev(path, null, "the URI of the key vault holding the storage account's key"));
      } else uses.push({ uri, path });
    }
    if (uses.length === 0 && problems.length === 0) return notApplicable(NO_VAULT_IN_USE, accountCmk.evidence);
    return judgeVaults(account, ctx, uses, evidence, problems);
  },
};

const NO_VAULT_IN_USE = "Not applicable: neither the resource nor its linked storage uses a customer-managed key, so no key vault is in use.";
const PROTECTED_TAIL = " has soft delete and purge protection enabled.";

/** `problems`: linked storage accounts whose vault cannot be known (not visible, or no vault URI). */
function judgeVaults(account: AccountView, ctx: SnapshotIndex, uses: VaultUse[], evidence: Evidence[], problems: string[]): Outcome {
  const unprotected: string[] = [];
  const protectedVaults: string[] = [];
  const seen: string[] = [];
  for (let i = 0; i < uses.length; i++) {
    const use = uses[i];
    const key = vaultUriKey(use.uri);
    if (seen.includes(key)) continue;
    seen.push(key);
    const entry = ctx.vaults.get(key);
    if (entry === undefined) {
      problems.push(`key vault ${use.uri} is not in the snapshot`);
      evidence.push(ev(use.path, use.uri, VAULT_EXPECTED));
      continue;
    }
    const props = child(entry.doc, "properties");
    const ref = `vault:${entry.doc.id} properties.`;
    evidence.push(ev(`${ref}enableSoftDelete`, shown(props.enableSoftDelete), "not false"));
    evidence.push(ev(`${ref}enablePurgeProtection`, shown(props.enablePurgeProtection), true));
    const name = text(entry.doc.name) ?? lastSegment(entry.doc.id);
    if (entry.protected) protectedVaults.push(name);
    else unprotected.push(`${name} (${props.enableSoftDelete === false ? "soft delete is disabled" : "purge protection is not enabled"})`);
  }
  const kept = exact(evidence);
  if (unprotected.length > 0) {
    return fail(
      `Key ${unprotected.length === 1 ? "vault" : "vaults"} ${joinNames(unprotected)} holding keys for ${account.name} ` +
        `or its storage can lose ${unprotected.length === 1 ? "its keys" : "their keys"} for good, and the data encrypted with them.`,
      kept,
    );
  }
  if (problems.length > 0) {
    return unknown("not_visible", `The key vaults holding keys for ${account.name} cannot all be checked: ${problems.join("; ")}.`, kept);
  }
  if (protectedVaults.length === 1) return pass(`Key vault ${protectedVaults[0]}${PROTECTED_TAIL}`, kept);
  return pass(`Key vaults ${joinNames(protectedVaults)} have soft delete and purge protection enabled.`, kept);
}

function pinnedVersion(storage: LinkedStorage): string | undefined {
  return textEither(keyVaultProperties(storage.props), "keyversion", "keyVersion");
}

const keyVersionRule: StorageRule = {
  judge(storage, evidence) {
    const version = pinnedVersion(storage);
    evidence.push(ev(`${storage.ref}properties.encryption.keyvaultproperties.keyversion`, shown(version), "empty (automatic rotation)"));
    return version === undefined;
  },
  passTail: [
    " follows the newest key version automatically (no key version is pinned).",
    " follow the newest key version automatically (no key version is pinned).",
  ],
  failTail: [
    " is pinned to one key version; it will not move to a rotated key until someone updates it.",
    " are pinned to key versions; they will not move to a rotated key until someone updates them.",
  ],
  unseenTail: unseen("its key version"),
};

export const cmk4: Control = {
  id: "CMK-4",
  title: "Linked storage follows the newest key version",
  severity: "low",
  family: "cmk",
  rule:
    "Not applicable unless CMK-2 passes. Pass when the storage account's `keyvaultproperties.keyversion` is empty or " +
    "absent (automatic rotation); fail when a version is pinned.",
  rationale:
    "With no key version set, Azure Storage checks the vault daily and moves to the newest key version by itself. " +
    "A pinned version keeps using an old key after rotation until someone updates the account.",
  remediation: {
    portal: [
      "Open the linked storage account > Security + networking > Encryption.",
      "Under Key version, choose Automatically update key version (or select the key without a version), and save.",
    ],
    cli:
      "az storage account update --name <storage> --resource-group <rg> \\\n" +
      "  --encryption-key-source Microsoft.Keyvault --encryption-key-vault https://<vault>.vault.azure.net \\\n" +
      '  --encryption-key-name <key> --encryption-key-version ""',
    bicep: "keyvaultproperties: { keyvaulturi: vault.properties.vaultUri, keyname: keyName, keyversion: '' }",
  },
  references: { mcsb: MCSB_CMK, nist: NIST_KEYS },
  evaluate(account, ctx) {
    const storageCmk = outcomeOf(cmk2, account, ctx);
    if (storageCmk.status !== "pass") {
      return notApplicable(
        `Not applicable: linked storage is not known to use a customer-managed key (CMK-2 is ${storageCmk.status.replace("_", " ")}).`,
        storageCmk.evidence,
      );
    }
    return combineLinkedStorage(account.linked, keyVersionRule);
  },
};

const infrastructureRule: StorageRule = {
  judge(storage, evidence) {
    const value = child(storage.props, "encryption").requireInfrastructureEncryption;
    evidence.push(ev(`${storage.ref}properties.encryption.requireInfrastructureEncryption`, shown(value), true));
    return value === true;
  },
  passTail: [" uses infrastructure (double) encryption.", " use infrastructure (double) encryption."],
  failTail: [
    " does not use infrastructure (double) encryption (requireInfrastructureEncryption is not true); it can only be turned on when a storage account is created.",
    " do not use infrastructure (double) encryption (requireInfrastructureEncryption is not true); it can only be turned on when a storage account is created.",
  ],
  unseenTail: unseen("its infrastructure encryption"),
};

export const cmk5: Control = {
  id: "CMK-5",
  title: "Linked storage uses infrastructure (double) encryption",
  severity: "low",
  family: "cmk",
  rule:
    "Not applicable when BYOS-1 fails; unknown (not_visible) when a linked storage account is not in the snapshot. " +
    "Pass when `properties.encryption.requireInfrastructureEncryption` is true; otherwise fail.",
  rationale:
    "Infrastructure encryption adds a second layer of AES-256 encryption with a different key at the infrastructure " +
    "level, so a flaw in one layer does not expose the data.",
  remediation: {
    portal: [
      "Infrastructure encryption can only be chosen when a storage account is created.",
      "Create a new storage account with Encryption > Enable infrastructure encryption selected.",
      "Because a BYOS link cannot be changed, a new Speech resource linked to the new storage account is needed (see BYOS-1).",
    ],
    cli:
      "az storage account create --name <new-storage> --resource-group <rg> --location <region> \\\n" +
      "  --sku Standard_LRS --kind StorageV2 --require-infrastructure-encryption true",
    bicep: "properties: { encryption: { requireInfrastructureEncryption: true, keySource: 'Microsoft.Keyvault' /* ... */ } }",
  },
  references: { mcsb: MCSB_CMK, nist: ["SC-28(1)"] },
  evaluate: (account, ctx) => evaluateLinkedStorage(account, ctx, infrastructureRule),
};

export const CMK_CONTROLS: readonly Control[] = [cmk1, cmk2, cmk3, cmk4, cmk5];
