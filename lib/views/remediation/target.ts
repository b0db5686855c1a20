/**
 * What a filled-in remediation needs to know about one Speech resource, read from the documents
 * its scan kept: its names and IDs, whether it has a system-assigned identity, its linked storage
 * accounts and the key vaults in use (each with the names and state a script depends on).
 */
import { idKey, lastSegment, resourceGroupOf, subscriptionOf, vaultUriKey } from "@/lib/posture/ids";
import { child, eqCi, list, obj, text, textEither, type Json } from "@/lib/posture/read";
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { AccountDocuments } from "@/lib/store/scans/documents";

/** An Azure resource by its parts: the ID as spelled and the names parsed from it. */
export interface NamedResource {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

export interface StorageTarget extends NamedResource {
  /** A document for it is in the scan (false: a dangling or hidden link, known only by its ID). */
  readonly visible: boolean;
  readonly hasSystemIdentity: boolean;
  /** Its customer-managed key, when it has one. */
  readonly keyVaultUri?: string;
  readonly keyName?: string;
  /** A pinned key version (empty: follows the newest). */
  readonly keyVersion?: string;
  /** The blob endpoint's host, when the document lists it. */
  readonly blobHost?: string;
}

export interface VaultTarget extends NamedResource {
  readonly uri: string;
  /** `enableSoftDelete` is explicitly false (anything else counts as on, as CMK-3 reads it). */
  readonly softDeleteOff: boolean;
  readonly purgeProtection: boolean;
  /** Access is granted with Azure RBAC (else with access policies). */
  readonly rbac: boolean;
}

/** A custom endpoint that logs audio and transcripts, with its data-plane URL. */
export interface LoggingEndpoint {
  readonly name: string;
  readonly self?: string;
}

export interface RemediationTarget extends NamedResource {
  readonly tenantId: string | null;
  readonly location: string | null;
  readonly kind: string;
  readonly customSubDomain: string | null;
  readonly sku: string;
  /** `identity.type` contains SystemAssigned (what BYOS and customer-managed keys need). */
  readonly hasSystemIdentity: boolean;
  /** The account's own customer-managed key settings, when it names any. */
  readonly keyVaultUri?: string;
  readonly keyName?: string;
  /** Linked storage accounts in `userOwnedStorage` order. */
  readonly storage: readonly StorageTarget[];
  /** Key vaults in use that are in the scan. */
  readonly vaults: readonly VaultTarget[];
  /** IDs of private endpoint connections waiting for approval. */
  readonly pendingConnections: readonly string[];
  /** Custom endpoints that log content (empty when none or not collected). */
  readonly loggingEndpoints: readonly LoggingEndpoint[];
}

/** The names of a resource ID; empty strings where the ID lacks a part. */
export function namedResource(id: string): NamedResource {
  return { id, name: lastSegment(id), subscriptionId: subscriptionOf(id) ?? "", resourceGroup: resourceGroupOf(id) ?? "" };
}

function hasSystemIdentity(doc: Json | undefined): boolean {
  const type = text(child(doc, "identity").type);
  return type !== undefined && type.toLowerCase().includes("systemassigned");
}

/** The target of one account's remediation; `tenantId` from the scan when the account document lacks it. */
export function remediationTarget(docs: AccountDocuments, scanTenantId: string | null): RemediationTarget {
  const account = docs.account;
  const props = child(account, "properties");
  const storageDocs = new Map(docs.storage.filter((d) => typeof d.id === "string").map((d) => [idKey(d.id), d]));
  const linkedIds = list(props.userOwnedStorage)
    .map((entry) => text(obj(entry)?.resourceId)?.trim())
    .filter((id): id is string => id !== undefined);
  const storage = [...new Map(linkedIds.map((id) => [idKey(id), id])).values()].map((id) => storageTarget(id, storageDocs.get(idKey(id))));
  const encryption = child(props, "encryption");
  const kv = obj(encryption.keyVaultProperties) ?? child(encryption, "keyvaultproperties");
  const usesKey = eqCi(encryption.keySource, "microsoft.keyvault");
  return {
    ...namedResource(account.id),
    name: text(account.name) ?? lastSegment(account.id),
    tenantId: text(account.tenantId) ?? scanTenantId,
    location: text(account.location) ?? null,
    kind: text(account.kind) ?? "SpeechServices",
    customSubDomain: text(props.customSubDomainName) ?? null,
    sku: text(child(account, "sku").name) ?? "S0",
    hasSystemIdentity: hasSystemIdentity(account),
    keyVaultUri: usesKey ? textEither(kv, "keyVaultUri", "keyvaulturi") : undefined,
    keyName: usesKey ? textEither(kv, "keyName", "keyname") : undefined,
    storage,
    vaults: docs.keyVaults.filter((d) => typeof d.id === "string").map(vaultTarget),
    pendingConnections: list(props.privateEndpointConnections)
      .map((c) => obj(c))
      .filter((c) => eqCi(child(child(c, "properties"), "privateLinkServiceConnectionState").status, "pending"))
      .map((c) => text(c?.id))
      .filter((id): id is string => id !== undefined),
    loggingEndpoints: list(docs.speechEndpoints).flatMap((e, i) => {
      const endpoint = obj(e);
      const p = child(endpoint, "properties");
      if (p.loggingEnabled !== true && p.contentLoggingEnabled !== true) return [];
      const self = text(endpoint?.self);
      return [{ name: text(endpoint?.displayName) ?? (self ? lastSegment(self.split("?")[0]) : `endpoint ${i + 1}`), self }];
    }),
  };
}

function storageTarget(id: string, doc: AzureDocument | undefined): StorageTarget {
  const encryption = child(doc, "properties").encryption;
  const enc = obj(encryption) ?? {};
  const kv = obj(enc.keyvaultproperties) ?? child(enc, "keyVaultProperties");
  const usesKey = eqCi(enc.keySource, "microsoft.keyvault");
  return {
    ...namedResource(id),
    visible: doc !== undefined,
    hasSystemIdentity: hasSystemIdentity(doc),
    keyVaultUri: usesKey ? textEither(kv, "keyvaulturi", "keyVaultUri") : undefined,
    keyName: usesKey ? textEither(kv, "keyname", "keyName") : undefined,
    keyVersion: usesKey ? textEither(kv, "keyversion", "keyVersion") : undefined,
    blobHost: hostOf(text(child(child(doc, "properties"), "primaryEndpoints").blob)),
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

function vaultTarget(doc: AzureDocument): VaultTarget {
  const props = child(doc, "properties");
  return {
    ...namedResource(doc.id),
    name: text(doc.name) ?? lastSegment(doc.id),
    uri: text(props.vaultUri) ?? `https://${lastSegment(doc.id)}.vault.azure.net/`,
    softDeleteOff: props.enableSoftDelete === false,
    purgeProtection: props.enablePurgeProtection === true,
    rbac: props.enableRbacAuthorization === true,
  };
}

/** The vault document a key URI points at, matched by host as CMK-3 matches them. */
export function vaultFor(target: RemediationTarget, uri: string | undefined): VaultTarget | undefined {
  if (uri === undefined) return undefined;
  const key = vaultUriKey(uri);
  return target.vaults.find((v) => vaultUriKey(v.uri) === key);
}
