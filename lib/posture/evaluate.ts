/**
 * Evaluation: (snapshot) → one finding per in-scope account × control. Pure and linear: indexes
 * are built once, each account is prepared once, and each control runs once per account.
 */
import { prepareAccount } from "./account";
import { CATALOG } from "./controls";
import { applyingError, outcomeOf, slotOf } from "./controls/common";
import { agreementOf, azureVerdict, buildAzureVerdictIndex, type AzureSubjects } from "./azure-verdicts";
import { resourceGroupOf } from "./ids";
import { buildIndexes } from "./indexes";
import { text } from "./read";
import type { Snapshot } from "./snapshot";
import type { AccountView, Finding, Outcome } from "./types";

export interface ResourceSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly location: string | null;
  readonly subscriptionId: string;
  readonly resourceGroup: string | null;
  /** The account's tags (exceptions can be scoped by tag). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface Evaluation {
  readonly resources: ResourceSummary[];
  readonly findings: Finding[];
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

export function evaluateSnapshot(snapshot: Snapshot): Evaluation {
  const ctx = buildIndexes(snapshot);
  const slots = CATALOG.map(slotOf);
  const cmk3 = CATALOG.findIndex((c) => c.id === "CMK-3");
  const azureIndex = buildAzureVerdictIndex(snapshot.resources, ctx.coverage);
  const resources: ResourceSummary[] = [];
  // Sized up front: growing a 1.8M-element array by doubling copies it again and again.
  const findings: Finding[] = new Array(ctx.accounts.length * CATALOG.length);
  let n = 0;
  for (let a = 0; a < ctx.accounts.length; a++) {
    const account = prepareAccount(ctx.accounts[a], ctx);
    const { doc } = account;
    resources.push({
      id: account.id,
      name: account.name,
      kind: typeof doc.kind === "string" ? doc.kind : "",
      location: text(doc.location) ?? null,
      subscriptionId: account.subscriptionId,
      resourceGroup: text(doc.resourceGroup) ?? resourceGroupOf(doc.id) ?? null,
      tags: doc.tags && typeof doc.tags === "object" ? doc.tags : NO_TAGS,
    });
    // Azure's side: only when policy states or assessments were collected (else null, not_collected).
    const subjects = azureIndex && azureSubjects(account, outcomeOf(CATALOG[cmk3], account, ctx, slots[cmk3]));
    const azureIncomplete = azureIndex !== null && (applyingError(account, "azurePolicy", ctx) ?? applyingError(account, "defender", ctx)) !== undefined;
    for (let c = 0; c < CATALOG.length; c++) {
      const control = CATALOG[c];
      const outcome = outcomeOf(control, account, ctx, slots[c]);
      const azure = subjects ? azureVerdict(control.id, subjects, azureIndex) : null;
      findings[n++] = {
        controlId: control.id,
        resourceId: account.id,
        subscriptionId: account.subscriptionId,
        severity: control.severity,
        status: outcome.status,
        reason: outcome.reason ?? null,
        muted: false,
        message: outcome.message,
        evidence: outcome.evidence,
        azure,
        agreement: agreementOf(outcome.status, azure, azureIncomplete),
      };
    }
  }
  return { resources, findings };
}

/**
 * Whose verdicts speak to an account's controls: the account, its visible linked storage accounts,
 * and the visible key vaults in use as CMK-3 judged them (its evidence names each as `vault:<id> …`).
 */
function azureSubjects(account: AccountView, cmk3: Outcome): AzureSubjects {
  const storage: string[] = [];
  for (const linked of account.linked) if (linked.doc !== undefined) storage.push(linked.doc.id);
  const vault: string[] = [];
  for (const { path } of cmk3.evidence) {
    if (!path.startsWith("vault:")) continue;
    const id = path.slice("vault:".length, path.indexOf(" "));
    if (!vault.includes(id)) vault.push(id);
  }
  return { account: account.id, storage, vault };
}
