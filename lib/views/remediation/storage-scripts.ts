/** Filled-in CLI and Bicep for the controls about linked storage (BYOS) and the key vaults in use. */
import { vaultUriKey } from "@/lib/posture/ids";
import type { Evidence } from "@/lib/posture/types";
import { enforceAssociations } from "./account-scripts";
import { bicepString, commentText, sh } from "./quote";
import {
  accountPrincipal,
  args,
  BLOB_CONTRIBUTOR,
  bicepExisting,
  grantKeyUse,
  inTemplateOf,
  location,
  newStorageName,
  newVault,
  type FilledScripts,
} from "./steps";
import { vaultFor, type RemediationTarget, type StorageTarget } from "./target";

type Scripts = Omit<FilledScripts, "portal">;

/**
 * A replacement Speech resource with new customer-owned storage (BYOS can only be chosen when a
 * resource is created). `infrastructure`: the new storage also gets double encryption (CMK-5).
 */
function replacement(t: RemediationTarget, infrastructure: boolean): Scripts {
  const newName = `${t.name}-byos`.slice(0, 64);
  const storage = newStorageName(t, infrastructure ? "dbl" : "byos");
  const at = `--resource-group ${sh(t.resourceGroup)} --subscription ${sh(t.subscriptionId)}`;
  const cli = [
    `# BYOS can only be chosen when a Speech resource is created: ${commentText(t.name)} is replaced by ${commentText(newName)}.`,
    `az storage account create --name ${sh(storage)} ${at} --location ${location(t)} \\`,
    `  --sku Standard_LRS --kind StorageV2 --allow-shared-key-access false --allow-blob-public-access false --min-tls-version TLS1_2${
      infrastructure ? " \\\n  --require-infrastructure-encryption true" : ""
    }`,
    `storage_id=$(az storage account show --name ${sh(storage)} ${at} --query id -o tsv)`,
    `az cognitiveservices account create --name ${sh(newName)} ${at} --location ${location(t)} \\`,
    `  --kind ${sh(t.kind)} --sku ${sh(t.sku)} --custom-domain ${sh(newName.toLowerCase())} --assign-identity \\`,
    `  --storage "[{\\"resourceId\\":\\"$storage_id\\"}]"`,
    `principal=$(az cognitiveservices account show --name ${sh(newName)} ${at} --query identity.principalId -o tsv)`,
    `az role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal \\`,
    `  --role "Storage Blob Data Contributor" --scope "$storage_id"`,
    `# Then move clients, custom models and endpoints to ${commentText(newName)}, and delete ${commentText(t.name)}.`,
  ];
  const bicep = [
    commentText(`// Deploy to resource group ${t.resourceGroup} (subscription ${t.subscriptionId}): a replacement for ${t.name}.`),
    "resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {",
    `  name: ${bicepString(storage)}`,
    "  location: resourceGroup().location",
    "  kind: 'StorageV2'",
    "  sku: { name: 'Standard_LRS' }",
    `  properties: { allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2'${
      infrastructure ? ", encryption: { requireInfrastructureEncryption: true, keySource: 'Microsoft.Storage' }" : ""
    } }`,
    "}",
    "resource speech 'Microsoft.CognitiveServices/accounts@2025-06-01' = {",
    `  name: ${bicepString(newName)}`,
    "  location: resourceGroup().location",
    `  kind: ${bicepString(t.kind)}`,
    `  sku: { name: ${bicepString(t.sku)} }`,
    "  identity: { type: 'SystemAssigned' }",
    `  properties: { customSubDomainName: ${bicepString(newName.toLowerCase())}, userOwnedStorage: [ { resourceId: storage.id } ] }`,
    "}",
    ...roleAssignmentBicep("storage", "speech.id", "speech.identity.principalId"),
  ];
  return { cli: cli.join("\n"), bicep: bicep.join("\n") };
}

function roleAssignmentBicep(scope: string, speechId: string, principal: string): string[] {
  return [
    "resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
    `  scope: ${scope}`,
    `  name: guid(${scope}.id, ${speechId}, '${BLOB_CONTRIBUTOR}')`,
    "  properties: {",
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${BLOB_CONTRIBUTOR}')`,
    `    principalId: ${principal}`,
    "    principalType: 'ServicePrincipal'",
    "  }",
    "}",
  ];
}

export const byos1 = (t: RemediationTarget): Scripts => replacement(t, false);
export const cmk5 = (t: RemediationTarget): Scripts => replacement(t, true);

export function byos2(t: RemediationTarget): Scripts {
  const missing = t.storage.filter((s) => !s.visible);
  const cli: string[] = [];
  for (const s of missing.length ? missing : t.storage) {
    cli.push(
      `# Linked storage account ${commentText(s.name)} (resource group ${commentText(s.resourceGroup)}) was not in the scan.`,
      `az storage account show --ids ${sh(s.id)}`,
      `# Moved? Look for it by name in its subscription (a BYOS link follows only the original ID):`,
      `az storage account list --subscription ${sh(s.subscriptionId)} --query ${sh(`[?name=='${s.name}'].id`)} -o tsv`,
    );
  }
  cli.push(`# If it was deleted and cannot be restored, ${commentText(t.name)} must be recreated with new storage (see BYOS-1).`);
  const first = (missing.length ? missing : t.storage)[0];
  return {
    cli: cli.join("\n"),
    bicep: first
      ? [
          `// The link cannot be repointed. A replacement Speech resource can reuse an existing storage account:`,
          bicepExisting("storage", "Microsoft.Storage/storageAccounts@2025-06-01", first),
          `// ... userOwnedStorage: [ { resourceId: storage.id } ] (see BYOS-1)`,
        ].join("\n")
      : "// No storage account is linked: see BYOS-1.",
  };
}

export function byos3(t: RemediationTarget): Scripts {
  const cli = [...accountPrincipal(t)];
  const bicep: string[] = [];
  if (!t.hasSystemIdentity) {
    bicep.push(commentText(`// ${t.name} has no system-assigned identity yet: turn it on first (the CLI's first step, or IAM-3).`));
  }
  for (const s of t.storage) {
    cli.push(
      `az role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal \\`,
      `  --role "Storage Blob Data Contributor" --scope ${sh(s.id)}`,
    );
    bicep.push(
      commentText(`// Deploy to resource group ${s.resourceGroup} (subscription ${s.subscriptionId}), where ${s.name} is.`),
      bicepExisting("speech", "Microsoft.CognitiveServices/accounts@2025-06-01", t),
      `resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = { name: ${bicepString(s.name)} }`,
      ...roleAssignmentBicep("storage", "speech.id", "speech.identity.principalId"),
    );
  }
  return { cli: cli.join("\n"), bicep: bicep.join("\n") };
}

/** Lines that leave `$variable` holding a storage account's system-assigned identity, turning it on when missing. */
function storagePrincipal(s: StorageTarget, variable: string): string[] {
  const lines: string[] = [];
  if (!s.hasSystemIdentity) {
    lines.push(
      `# ${commentText(s.name)} has no system-assigned managed identity yet: turn it on first.`,
      `az storage account update ${args(s)} --assign-identity`,
    );
  }
  lines.push(`${variable}=$(az storage account show ${args(s)} --query identity.principalId -o tsv)`);
  return lines;
}

export function cmk2(t: RemediationTarget): Scripts {
  const targets = t.storage.filter((s) => s.visible && s.keyVaultUri === undefined);
  const cli: string[] = [];
  const bicep: string[] = [];
  // The account's own vault when it has one; otherwise a new protected vault.
  const existing = vaultFor(t, t.keyVaultUri);
  let vault: { name: string; uri: string; rbac: boolean; id?: string };
  if (existing) vault = existing;
  else {
    const created = newVault(t);
    cli.push(...created.lines);
    vault = { name: created.name, uri: created.uri, rbac: true };
  }
  targets.forEach((s, i) => {
    const variable = `storage_principal${targets.length > 1 ? i + 1 : ""}`;
    const key = `${s.name}-cmk`;
    cli.push(
      ...storagePrincipal(s, variable),
      ...grantKeyUse(vault, variable),
      `az keyvault key create --vault-name ${sh(vault.name)} --name ${sh(key)} --kty RSA --size 2048`,
      `az storage account update ${args(s)} \\`,
      `  --encryption-key-source Microsoft.Keyvault --encryption-key-vault ${sh(vault.uri)} --encryption-key-name ${sh(key)}`,
    );
    bicep.push(
      inTemplateOf(s),
      "identity: { type: 'SystemAssigned' }",
      "properties: {",
      "  encryption: {",
      "    keySource: 'Microsoft.Keyvault'",
      `    keyvaultproperties: { keyvaulturi: ${bicepString(vault.uri)}, keyname: ${bicepString(key)} }`,
      "    services: { blob: { enabled: true, keyType: 'Account' } }",
      "  }",
      "}",
    );
  });
  if (targets.length === 0) cli.push("# Every visible linked storage account already uses a customer-managed key.");
  return { cli: cli.join("\n"), bicep: bicep.join("\n") || "// Nothing to change in the visible linked storage." };
}

/** Vaults in use (the account's key, each linked storage's key) that lack soft delete or purge protection, or are not in the scan. */
export function cmk3(t: RemediationTarget): Scripts {
  const uris = [t.keyVaultUri, ...t.storage.map((s) => s.keyVaultUri)].filter((u): u is string => u !== undefined);
  const seen = new Set<string>();
  const cli: string[] = [];
  const bicep: string[] = [];
  for (const uri of uris) {
    const key = vaultUriKey(uri);
    if (seen.has(key)) continue;
    seen.add(key);
    const vault = vaultFor(t, uri);
    if (!vault) {
      const name = key.split(".")[0];
      cli.push(`# The vault at ${commentText(uri)} was not in the scan: check it, then protect it as below.`, `az keyvault show --name ${sh(name)}`);
      continue;
    }
    if (!vault.softDeleteOff && vault.purgeProtection) continue;
    cli.push(`az keyvault update ${args(vault)}${vault.softDeleteOff ? " --enable-soft-delete true" : ""} --enable-purge-protection true`);
    bicep.push(inTemplateOf(vault), "properties: { enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true }");
  }
  if (cli.length === 0) cli.push("# Every key vault in use already has soft delete and purge protection.");
  return { cli: cli.join("\n"), bicep: bicep.join("\n") || "// Nothing to change in the visible key vaults." };
}

export function cmk4(t: RemediationTarget): Scripts {
  const pinned = t.storage.filter((s) => s.keyVersion !== undefined && s.keyVaultUri !== undefined && s.keyName !== undefined);
  const cli: string[] = [];
  const bicep: string[] = [];
  for (const s of pinned) {
    cli.push(
      `az storage account update ${args(s)} \\`,
      `  --encryption-key-source Microsoft.Keyvault --encryption-key-vault ${sh(s.keyVaultUri!)} \\`,
      `  --encryption-key-name ${sh(s.keyName!)} --encryption-key-version ""`,
    );
    bicep.push(inTemplateOf(s), `keyvaultproperties: { keyvaulturi: ${bicepString(s.keyVaultUri!)}, keyname: ${bicepString(s.keyName!)}, keyversion: '' }`);
  }
  if (cli.length === 0) cli.push("# No visible linked storage account pins a key version.");
  return { cli: cli.join("\n"), bicep: bicep.join("\n") || "// Nothing to change in the visible linked storage." };
}

export function net3(t: RemediationTarget, evidence: readonly Evidence[]): Scripts {
  const cli: string[] = [];
  const bicep: string[] = [];
  const tenant = t.tenantId ? sh(t.tenantId) : `"$(az account show --query tenantId -o tsv)"`;
  for (const s of t.storage.filter((x) => x.visible)) {
    cli.push(
      `# Let ${commentText(t.name)} through as a resource instance first, then close ${commentText(s.name)} to public networks.`,
      `az storage account network-rule add ${args(s, "--account-name")} \\`,
      `  --resource-id ${sh(t.id)} --tenant-id ${tenant}`,
      `az storage account update ${args(s)} --default-action Deny --bypass None`,
    );
    bicep.push(
      inTemplateOf(s),
      `properties: { networkAcls: { defaultAction: 'Deny', bypass: 'None', resourceAccessRules: [ { tenantId: ${t.tenantId ? bicepString(t.tenantId) : "tenant().tenantId"}, resourceId: ${bicepString(t.id)} } ] } }`,
    );
  }
  const perimeter = enforceAssociations(evidence, t.storage[0]?.id ?? "", "storageAssociation");
  cli.push(...perimeter.cli);
  bicep.push(...perimeter.bicep);
  if (cli.length === 0) cli.push("# No visible linked storage account to change.");
  return { cli: cli.join("\n"), bicep: bicep.join("\n") || "// Nothing to change in the visible linked storage." };
}

export function iam2(t: RemediationTarget): Scripts {
  const visible = t.storage.filter((s) => s.visible);
  const cli = visible.map((s) => `az storage account update ${args(s)} --allow-shared-key-access false`);
  if (cli.length) cli.unshift("# Clients that sign requests with the account key stop working: move them to Microsoft Entra ID first.");
  else cli.push("# No visible linked storage account to change.");
  return {
    cli: cli.join("\n"),
    bicep:
      visible
        .map((s) => `${inTemplateOf(s)}\nproperties: { allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' }`)
        .join("\n") || "// Nothing to change in the visible linked storage.",
  };
}
