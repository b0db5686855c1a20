/** Following a Speech account's references: linked storage IDs and the key vaults its keys live in. */
import type { AzureDocument } from "@/lib/posture/snapshot";

function props(doc: AzureDocument): Record<string, unknown> {
  return (doc.properties ?? {}) as Record<string, unknown>;
}

function nonBlank(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

export function linkedStorageIds(accounts: Iterable<AzureDocument>): string[] {
  const ids = new Map<string, string>();
  for (const a of accounts) {
    const uos = props(a).userOwnedStorage;
    if (!Array.isArray(uos)) continue;
    for (const entry of uos) {
      const id = (entry as { resourceId?: unknown } | null)?.resourceId;
      if (nonBlank(id) && !ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id.trim());
    }
  }
  return [...ids.values()];
}

/** The subscription GUID of an ARM ID, or undefined when the ID has none. */
export function subscriptionOfId(id: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(id);
  return m ? m[1] : undefined;
}

/** Vault URIs named by account keys (Microsoft.KeyVault) and storage keys (Microsoft.Keyvault). */
export function vaultUrisInUse(accounts: Iterable<AzureDocument>, storage: Iterable<AzureDocument>): string[] {
  const uris: string[] = [];
  for (const a of accounts) {
    const enc = props(a).encryption as { keySource?: unknown; keyVaultProperties?: { keyVaultUri?: unknown } } | undefined;
    if (typeof enc?.keySource === "string" && enc.keySource.toLowerCase() === "microsoft.keyvault" && nonBlank(enc.keyVaultProperties?.keyVaultUri)) {
      uris.push(enc.keyVaultProperties.keyVaultUri);
    }
  }
  for (const s of storage) {
    const enc = props(s).encryption as { keySource?: unknown; keyvaultproperties?: { keyvaulturi?: unknown } } | undefined;
    if (typeof enc?.keySource === "string" && enc.keySource.toLowerCase() === "microsoft.keyvault" && nonBlank(enc.keyvaultproperties?.keyvaulturi)) {
      uris.push(enc.keyvaultproperties.keyvaulturi);
    }
  }
  return uris;
}

/** `https://kv-x.vault.azure.net/` → `kv-x`; anything that is not a vault-style URL → undefined. */
export function vaultNameFromUri(uri: string): string | undefined {
  try {
    const host = new URL(uri.trim()).hostname;
    const name = host.split(".")[0];
    return /^[a-z0-9-]{3,24}$/i.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
