/**
 * The evidence documents kept with each account of a scan: the account document and what its
 * controls read — linked storage, key vaults in use, role assignments of its identity, diagnostic
 * settings and custom endpoints — so the resource page can show what a finding was judged on.
 */
import { prepareAccount } from "@/lib/posture/account";
import { idKey, vaultUriKey } from "@/lib/posture/ids";
import { buildIndexes } from "@/lib/posture/indexes";
import { vaultUrisInUse } from "@/lib/posture/key-vaults";
import { child, text } from "@/lib/posture/read";
import { POLICY_ASSIGNMENT_TYPE, POLICY_EXEMPTION_TYPE, POLICY_STATE_TYPE } from "@/lib/posture/azure-verdicts";
import type { AzureDocument, Snapshot } from "@/lib/posture/snapshot";
import type { AccountDocuments } from "@/lib/store/scans/documents";

export type { AccountDocuments };

/** Keyed by lower-cased account ID. */
export function documentsByAccount(snapshot: Snapshot): Map<string, AccountDocuments> {
  const ix = buildIndexes(snapshot);
  const byId = new Map<string, AzureDocument>();
  for (const doc of snapshot.resources) if (typeof doc.id === "string" && !byId.has(idKey(doc.id))) byId.set(idKey(doc.id), doc);
  const policy = policyDocuments(snapshot.resources);
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
      ...(policy ? { azurePolicy: policy.forSubjects([entry.doc, ...storage, ...keyVaults]) } : {}),
    });
  }
  return out;
}

const typeOf = (doc: AzureDocument) => (typeof doc.type === "string" ? doc.type.trim().toLowerCase() : "");

/** The policy documents of a snapshot, and which of them speak to a set of subjects; null when it has none. */
function policyDocuments(resources: readonly AzureDocument[]) {
  const states = resources.filter((d) => typeOf(d) === POLICY_STATE_TYPE);
  if (states.length === 0) return null;
  const assignments = new Map(resources.filter((d) => typeOf(d) === POLICY_ASSIGNMENT_TYPE && typeof d.id === "string").map((d) => [idKey(d.id), d]));
  const exemptions = resources.filter((d) => typeOf(d) === POLICY_EXEMPTION_TYPE && typeof d.id === "string");
  return {
    forSubjects(subjects: readonly AzureDocument[]) {
      const keys = subjects.map((s) => idKey(s.id));
      const mine = states.filter((st) => keys.includes(idKey(text(child(st, "properties").resourceId) ?? "")));
      const assignmentKeys = new Set(mine.map((st) => idKey(text(child(st, "properties").policyAssignmentId) ?? "")));
      return {
        assignments: [...assignmentKeys].map((k) => assignments.get(k)).filter((d): d is AzureDocument => !!d),
        // An exemption at a scope covers every resource below it: its ID is `{scope}/providers/Microsoft.Authorization/policyExemptions/{name}`.
        exemptions: exemptions.filter((e) => {
          const scope = idKey(e.id).replace(/\/providers\/microsoft\.authorization\/policyexemptions\/[^/]+$/, "");
          return assignmentKeys.has(idKey(text(child(e, "properties").policyAssignmentId) ?? "")) && keys.some((k) => k === scope || k.startsWith(`${scope}/`));
        }),
      };
    },
  };
}
