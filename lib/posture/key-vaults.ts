/**
 * Where a Speech account's keys live: the key vault named by the account's own key and by each
 * linked storage account's key. One walk, shared by the chain model, the evidence kept per account
 * and the collector (which must read exactly the vaults these name).
 */
import type { AzureDocument } from "./snapshot";
import { child, childEither, eqCi, textEither, type Json } from "./read";

/** `properties.encryption` of a document (`properties` may be passed directly as `props`). */
function encryptionOf(props: Json): Json {
  return child(props, "encryption");
}

/** Whether a document's `properties.encryption.keySource` is Microsoft.KeyVault (any casing). */
export function usesKeyVault(props: Json): boolean {
  return eqCi(encryptionOf(props).keySource, "microsoft.keyvault");
}

/**
 * `encryption.keyVaultProperties` (accounts spell it so) or `keyvaultproperties` (storage accounts),
 * whatever the document's casing.
 */
export function keyVaultProperties(props: Json): Json {
  return childEither(encryptionOf(props), "keyVaultProperties", "keyvaultproperties");
}

/** The key's vault URI, name and version as the document spells them (blank reads as absent). */
export function keyOf(props: Json): { uri?: string; name?: string; version?: string } {
  const kv = keyVaultProperties(props);
  return {
    uri: textEither(kv, "keyVaultUri", "keyvaulturi"),
    name: textEither(kv, "keyName", "keyname"),
    version: textEither(kv, "keyVersion", "keyversion"),
  };
}

/** The vault URI of a document's key when its key source is Microsoft.KeyVault. */
export function keyVaultUriOf(props: Json): string | undefined {
  return usesKeyVault(props) ? keyOf(props).uri : undefined;
}

/** Vault URIs named by the keys of these accounts and storage accounts, in that order. */
export function vaultUrisInUse(accounts: Iterable<AzureDocument>, storage: Iterable<AzureDocument>): string[] {
  const uris: string[] = [];
  for (const doc of [...accounts, ...storage]) {
    const uri = keyVaultUriOf(child(doc, "properties"));
    if (uri !== undefined) uris.push(uri);
  }
  return uris;
}

/** `https://kv-x.vault.azure.net/` → `kv-x`; anything that is not a vault-style URL → undefined. */
export function vaultNameFromUri(uri: string): string | undefined {
  try {
    const name = new URL(uri.trim()).hostname.split(".")[0];
    return /^[a-z0-9-]{3,24}$/i.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
