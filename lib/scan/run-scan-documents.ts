/**
 * The evidence documents kept with each account of a scan: the account document and what its
 * controls read — linked storage, key vaults in use, role assignments of its identity, diagnostic
 * settings and custom endpoints — so the resource page can show what a finding was judged on.
 */
import { prepareAccount } from "@/lib/posture/account";
import { idKey, scopesAbove, vaultUriKey } from "@/lib/posture/ids";
import { buildIndexes, type SnapshotIndex } from "@/lib/posture/indexes";
import { vaultUrisInUse } from "@/lib/posture/key-vaults";
import { child, text } from "@/lib/posture/read";
import { POLICY_ASSIGNMENT_TYPE, POLICY_EXEMPTION_TYPE, POLICY_STATE_TYPE } from "@/lib/posture/azure-verdicts";
import type { AzureDocument, Snapshot } from "@/lib/posture/snapshot";
import type { AccountDocuments } from "@/lib/store/scans/documents";

export type { AccountDocuments };

/** An account's documents by its lower-cased ID. */
export interface AccountDocumentsLookup {
  get(accountKey: string): AccountDocuments | undefined;
}

/**
 * Keyed by lower-cased account ID. Each account's documents are gathered when asked for (the
 * indexes are built once, or given: the evaluation's), so a scan stored a piece at a time never
 * holds every account's at once.
 */
export function documentsByAccount(snapshot: Snapshot, ix: SnapshotIndex = buildIndexes(snapshot)): AccountDocumentsLookup {
  const entries = new Map(ix.accounts.map((entry) => [entry.key, entry]));
  const byId = new Map<string, AzureDocument>();
  for (const doc of snapshot.resources) if (typeof doc.id === "string" && !byId.has(idKey(doc.id))) byId.set(idKey(doc.id), doc);
  const policy = policyDocuments(snapshot.resources);
  return {
    get(accountKey) {
      const entry = entries.get(accountKey);
      if (entry === undefined) return undefined;
      const account = prepareAccount(entry, ix);
      const storage = account.linked.map((s) => s.doc).filter((d): d is AzureDocument => !!d);
      const vaultUris = new Set(vaultUrisInUse([entry.doc], storage).map(vaultUriKey));
      const keyVaults = [...vaultUris].map((u) => ix.vaults.get(u)?.doc).filter((d): d is AzureDocument => !!d);
      const principal = text(account.identity.principalId);
      const grants = principal ? (ix.roleAssignments.get(idKey(principal)) ?? []) : [];
      const roleAssignments = grants.map((g) => byId.get(idKey(g.id))).filter((d): d is AzureDocument => !!d);
      return {
        account: entry.doc,
        storage,
        keyVaults,
        roleAssignments,
        // Resolved once per account by the indexes (a per-key lookup would rebuild the case-insensitive map).
        diagnosticSettings: (entry.diagnosticSettings as unknown[] | undefined) ?? null,
        speechEndpoints: (entry.speechEndpoints as unknown[] | undefined) ?? null,
        ...(policy ? { azurePolicy: policy.forSubjects([entry.doc, ...storage, ...keyVaults]) } : {}),
      };
    },
  };
}

const typeOf = (doc: AzureDocument) => (typeof doc.type === "string" ? doc.type.trim().toLowerCase() : "");

/** The policy documents of a snapshot, and which of them speak to a set of subjects; null when it has none. */
function policyDocuments(resources: readonly AzureDocument[]) {
  // Indexed once, by the subject's ID and by the exemption's scope, so each account's lookup costs
  // what it returns (a scan over every state per account was quadratic in the tenant's size).
  const statesBySubject = new Map<string, AzureDocument[]>();
  const assignments = new Map<string, AzureDocument>();
  const exemptionsByScope = new Map<string, AzureDocument[]>();
  const position = new Map<AzureDocument, number>();
  for (const d of resources) {
    const type = typeOf(d);
    if (type === POLICY_STATE_TYPE) push(statesBySubject, idKey(text(child(d, "properties").resourceId) ?? ""), d);
    else if (type === POLICY_ASSIGNMENT_TYPE && typeof d.id === "string") assignments.set(idKey(d.id), assignmentForPeople(d));
    // An exemption at a scope covers every resource below it: its ID is `{scope}/providers/Microsoft.Authorization/policyExemptions/{name}`.
    else if (type === POLICY_EXEMPTION_TYPE && typeof d.id === "string") {
      position.set(d, position.size);
      push(exemptionsByScope, idKey(d.id).replace(/\/providers\/microsoft\.authorization\/policyexemptions\/[^/]+$/, ""), d);
    }
  }
  if (statesBySubject.size === 0) return null;
  return {
    forSubjects(subjects: readonly AzureDocument[]) {
      const keys = subjects.map((s) => idKey(s.id));
      const mine = keys.flatMap((k) => statesBySubject.get(k) ?? []);
      const assignmentKeys = new Set(mine.map((st) => idKey(text(child(st, "properties").policyAssignmentId) ?? "")));
      const exemptions = new Set<AzureDocument>();
      for (const scope of new Set(keys.flatMap(scopesAbove)))
        for (const e of exemptionsByScope.get(scope) ?? [])
          if (assignmentKeys.has(idKey(text(child(e, "properties").policyAssignmentId) ?? ""))) exemptions.add(e);
      return {
        assignments: [...assignmentKeys].map((k) => assignments.get(k)).filter((d): d is AzureDocument => !!d),
        exemptions: [...exemptions].sort((a, b) => position.get(a)! - position.get(b)!), // in the snapshot's order
      };
    },
  };
}

/**
 * An assignment as kept with each account: its ID and the display name the resource page shows.
 * Assignments sit at management groups and repeat in every account's documents, so the rest of
 * their properties (parameters, descriptions) would multiply the stored scan for nothing shown.
 */
function assignmentForPeople(d: AzureDocument): AzureDocument {
  return { id: d.id, properties: { displayName: child(d, "properties").displayName } };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
