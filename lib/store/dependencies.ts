/**
 * What each Speech resource of a scan depends on — its linked storage accounts and the key vaults
 * holding its key or its storage's keys — read from the documents the scan kept, with the one
 * encryption-chain model of lib/posture. Search matches these names, and a storage account's or
 * key vault's page lists every Speech resource that depends on it (its blast radius).
 */
import { encryptionChainOfDocuments } from "@/lib/posture/encryption-chain";
import { idKey, lastSegment } from "@/lib/posture/ids";
import type { AccountDocuments } from "./scans/documents";
import { requireSucceededScan } from "./scans/state";
import type { Store } from "./store";

export type DependencyKind = "storage" | "vault";

export interface Dependency {
  kind: DependencyKind;
  /** The resource ID, when the scan knows it (a vault it could not read is known by its URI's name only). */
  id: string | null;
  name: string;
  /** How the Speech resource depends on it, in words. */
  via: string;
}

export interface ResourceDependencies {
  /** `resources.ord` of the Speech resource in its scan. */
  ord: number;
  resourceId: string;
  name: string;
  subscriptionId: string;
  score: number | null;
  dependencies: Dependency[];
}

/** Every Speech resource of a succeeded scan with what it depends on, in scan order (kept in the store's cache). */
export async function scanDependencies(store: Store, scanId: string): Promise<ResourceDependencies[]> {
  await requireSucceededScan(store, scanId);
  const list = await store.cache.get(
    ["scan-dependencies", scanId],
    async () => {
      const rows = await store.db
        .selectFrom("resources")
        .select(["ord", "resource_id", "name", "subscription_id", "score", "documents"])
        .where("scan_id", "=", scanId)
        .orderBy("ord")
        .execute();
      return {
        items: rows.map((r) => ({
          ord: Number(r.ord),
          resourceId: r.resource_id,
          name: r.name,
          subscriptionId: r.subscription_id,
          score: r.score === null ? null : Number(r.score),
          dependencies: dependenciesOf(r.documents),
        })),
      };
    },
    (v) => v.items.length * 4,
  );
  return list.items;
}

function dependenciesOf(documentsJson: string): Dependency[] {
  const docs = JSON.parse(documentsJson) as AccountDocuments | null;
  if (!docs?.account) return [];
  const chain = encryptionChainOfDocuments(docs);
  const out: Dependency[] = [];
  for (const s of chain.storages) {
    out.push({ kind: "storage", id: s.storage.resourceId, name: s.storage.title, via: "linked storage (BYOS): holds its customer data" });
  }
  chain.vaults.forEach((v, i) => {
    const holds: string[] = [];
    if (chain.accountVault === i) holds.push("its own key (CMK)");
    for (const s of chain.storages) if (s.vault === i) holds.push(`the key of its storage ${s.storage.title}`);
    out.push({ kind: "vault", id: v.resourceId, name: v.title, via: `key vault: holds ${holds.join(" and ") || "a key"}` });
  });
  return out;
}

/**
 * A storage account or key vault ID's kind, by its provider path; undefined for anything else. A
 * vault known only by name is written `/providers/Microsoft.KeyVault/vaults/<name>`.
 */
export function dependencyKindOf(resourceId: string): DependencyKind | undefined {
  const key = idKey(resourceId);
  if (/\/providers\/microsoft\.storage\/storageaccounts\/[^/]+$/.test(key)) return "storage";
  if (/\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/.test(key)) return "vault";
  return undefined;
}

/**
 * Whether a dependency is the named resource: the same ID when both are full resource IDs, else
 * the same name (a vault the scan could not read is known by its URI's name only; storage account
 * and key vault names are unique across Azure).
 */
function isSame(d: Dependency, kind: DependencyKind, key: string, name: string): boolean {
  if (d.kind !== kind) return false;
  if (d.id !== null && key.startsWith("/subscriptions/")) return idKey(d.id) === key;
  return d.name.toLowerCase() === name;
}

export interface Dependents {
  kind: DependencyKind;
  id: string;
  name: string;
  /** The Speech resources that depend on it, with how. */
  dependents: (Omit<ResourceDependencies, "dependencies" | "ord"> & { via: string[] })[];
}

/** Every Speech resource of the scan that depends on this storage account or key vault. */
export async function dependentsOf(store: Store, scanId: string, resourceId: string): Promise<Dependents | undefined> {
  const kind = dependencyKindOf(resourceId);
  if (!kind) return undefined;
  const key = idKey(resourceId);
  const name = lastSegment(resourceId).toLowerCase();
  const dependents: Dependents["dependents"] = [];
  let shownName = lastSegment(resourceId);
  for (const r of await scanDependencies(store, scanId)) {
    const hits = r.dependencies.filter((d) => isSame(d, kind, key, name));
    if (hits.length === 0) continue;
    if (hits[0].id) shownName = hits[0].name;
    dependents.push({ resourceId: r.resourceId, name: r.name, subscriptionId: r.subscriptionId, score: r.score, via: hits.map((h) => h.via) });
  }
  return { kind, id: resourceId, name: shownName, dependents };
}

/** Per `resources.ord`: whether a linked storage account's or key vault's name or ID contains `q` (lower-cased). */
export async function dependencyTextMatches(store: Store, scanId: string, q: string, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  for (const r of await scanDependencies(store, scanId)) {
    if (r.ord < size && r.dependencies.some((d) => d.name.toLowerCase().includes(q) || (d.id !== null && idKey(d.id).includes(q)))) out[r.ord] = 1;
  }
  return out;
}
