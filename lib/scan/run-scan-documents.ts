/**
 * The evidence documents kept with each account of a scan: the account document and what its
 * controls read — linked storage, key vaults in use, role assignments of its identity, diagnostic
 * settings and custom endpoints — so the resource page can show what a finding was judged on.
 */
import { prepareAccount } from "@/lib/posture/account";
import { idKey, vaultUriKey } from "@/lib/posture/ids";
import { buildIndexes } from "@/lib/posture/indexes";
import { vaultUrisInUse } from "@/lib/posture/key-vaults";
import { text } from "@/lib/posture/read";
import type { AzureDocument, Snapshot } from "@/lib/posture/snapshot";
import type { AccountDocuments } from "@/lib/store/scans/documents";

export type { AccountDocuments };

/** Keyed by lower-cased account ID. */
export function documentsByAccount(snapshot: Snapshot): Map<string, AccountDocuments> {
  const ix = buildIndexes(snapshot);
  const byId = new Map<string, AzureDocument>();
  for (const doc of snapshot.resources) if (typeof doc.id === "string" && !byId.has(idKey(doc.id))) byId.set(idKey(doc.id), doc);
  const out = new Map<string, AccountDocuments>();
  for (const entry of ix.accounts) {
    const account = prepareAccount(entry, ix);
    const storage = account.linked.map((s) => s.doc).filter((d): d is AzureDocument => !!d);
    const vaultUris = new Set(vaultUrisInUse([entry.doc], storage).map(vaultUriKey));
    const keyVaults = [...vaultUris].map((u) => ix.vaults.get(u)?.doc).filter((d): d is AzureDocument => !!d);
    const principal = text(account.identity.principalId);
    const grants = principal ? (ix.roleAssignments.get(idKey(principal)) ?? []) : [];
    const roleAssignments = grants.map((g) => byId.get(idKey(g.id))).filter((d): d is AzureDocument => !!d);
    out.set(entry.key, {
      account: entry.doc,
      storage,
      keyVaults,
      roleAssignments,
      // Resolved once per account by the indexes (a per-key lookup would rebuild the case-insensitive map).
      diagnosticSettings: (entry.diagnosticSettings as unknown[] | undefined) ?? null,
      speechEndpoints: (entry.speechEndpoints as unknown[] | undefined) ?? null,
    });
  }
  return out;
}
