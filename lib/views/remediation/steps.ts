/** Script pieces every filled-in remediation shares: resource arguments, the identity step, key vault access, new names. */
import { bicepString, commentText, sh } from "./quote";
import type { NamedResource, RemediationTarget, VaultTarget } from "./target";

/** What a control's filler returns: the CLI and Bicep with real names, and portal steps naming the resources. */
export interface FilledScripts {
  readonly portal: readonly string[];
  readonly cli: string;
  readonly bicep: string;
}

/** The Storage Blob Data Contributor role (BYOS needs exactly this one). */
export const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

/** `--name … --resource-group … --subscription …` of a resource. */
export function args(r: NamedResource, nameFlag = "--name"): string {
  return `${nameFlag} ${sh(r.name)} --resource-group ${sh(r.resourceGroup)} --subscription ${sh(r.subscriptionId)}`;
}

/** "name (resource group rg, subscription sub)": how portal steps name a resource. */
export function where(r: NamedResource): string {
  return `\`${r.name}\` (resource group \`${r.resourceGroup}\`, subscription \`${r.subscriptionId}\`)`;
}

/**
 * Lines that leave `$principal` holding the account's system-assigned identity: the identity is
 * turned on first when the account has none, so the read never comes back empty.
 */
export function accountPrincipal(t: RemediationTarget): string[] {
  const lines: string[] = [];
  if (!t.hasSystemIdentity) {
    lines.push(
      `# ${commentText(t.name)} has no system-assigned managed identity yet: turn it on first.`,
      `az cognitiveservices account identity assign ${args(t)}`,
    );
  }
  lines.push(`principal=$(az cognitiveservices account show ${args(t)} --query identity.principalId -o tsv)`);
  return lines;
}

/** Lines that grant `$variable`'s principal use of keys in a vault (RBAC role or access policy, as the vault is set up). */
export function grantKeyUse(
  vault: VaultTarget | { name: string; rbac: boolean; id?: string; resourceGroup?: string; subscriptionId?: string },
  variable: string,
): string[] {
  if (vault.rbac) {
    const scope = vault.id ? sh(vault.id) : `"$(az keyvault show --name ${sh(vault.name)} --query id -o tsv)"`;
    return [
      `az role assignment create --assignee-object-id "$${variable}" --assignee-principal-type ServicePrincipal \\`,
      `  --role "Key Vault Crypto Service Encryption User" --scope ${scope}`,
    ];
  }
  return [`az keyvault set-policy --name ${sh(vault.name)} --object-id "$${variable}" --key-permissions get wrapKey unwrapKey`];
}

/** The key vault a new customer-managed key goes in when none is in use: named after the account, created protected. */
export function newVault(t: RemediationTarget): { name: string; uri: string; lines: string[] } {
  const base = t.name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "")
    .replace(/^[^a-z]+/, "");
  const name = `kv-${base || "speech"}`.slice(0, 24).replace(/-+$/, "");
  return {
    name,
    uri: `https://${name}.vault.azure.net/`,
    lines: [
      `# No key vault is in use yet: create one in ${commentText(t.name)}'s region, protected as CMK-3 requires.`,
      `az keyvault create --name ${sh(name)} --resource-group ${sh(t.resourceGroup)} --subscription ${sh(t.subscriptionId)} \\`,
      `  --location ${location(t)} --enable-purge-protection true --retention-days 90 --enable-rbac-authorization true`,
    ],
  };
}

/** The account's region, or a lookup of its resource group's when the document had none. */
export function location(t: RemediationTarget): string {
  return t.location ? sh(t.location) : `"$(az group show --name ${sh(t.resourceGroup)} --subscription ${sh(t.subscriptionId)} --query location -o tsv)"`;
}

/** A storage account name (3–24 lower-case letters and digits) derived from the account's. */
export function newStorageName(t: RemediationTarget, suffix: string): string {
  const base = t.name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `st${base}`.slice(0, 24 - suffix.length) + suffix;
}

/** A Bicep `existing` reference to a resource in another resource group. */
export function bicepExisting(symbol: string, type: string, r: NamedResource): string {
  return [
    `resource ${symbol} '${type}' existing = {`,
    `  name: ${bicepString(r.name)}`,
    `  scope: resourceGroup(${bicepString(r.subscriptionId)}, ${bicepString(r.resourceGroup)})`,
    `}`,
  ].join("\n");
}

/** "// In the template that deploys <name> (resource group …, subscription …):" */
export function inTemplateOf(r: NamedResource): string {
  return commentText(`// In the template that deploys ${r.name} (resource group ${r.resourceGroup}, subscription ${r.subscriptionId}):`);
}
