/**
 * Evaluation: (snapshot) → one finding per in-scope account × control. Pure and linear: indexes
 * are built once, each account is prepared once, and each control runs once per account.
 */
import { prepareAccount } from "./account";
import { CATALOG } from "./controls";
import { applyingError, outcomeOf, slotOf } from "./controls/common";
import { agreementOf, azureVerdict, buildAzureVerdictIndex, type AzureSubjects } from "./azure-verdicts";
import { resourceGroupOf } from "./ids";
import { buildIndexes, type SnapshotIndex } from "./indexes";
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
  // One piece holding every account (its findings array sized up front, never grown by doubling).
  const [whole] = evaluateInPieces(snapshot, Infinity).pieces();
  return whole ?? { resources: [], findings: [] };
}

/** Accounts per piece of `evaluateInPieces`: 9,000 findings, a few MB, small beside a large scan. */
export const PIECE_ACCOUNTS = 500;

/**
 * The evaluation of a snapshot a few accounts at a time, in the order `evaluateSnapshot` gives:
 * the pieces joined are its result. A caller that stores each piece before asking for the next
 * never holds every finding of a large scan at once. `accounts` is known before any piece.
 */
export function evaluateInPieces(
  snapshot: Snapshot,
  accountsPerPiece = PIECE_ACCOUNTS,
): { accounts: number; pieces: () => Generator<Evaluation>; indexes: SnapshotIndex } {
  const evaluator = accountEvaluator(snapshot);
  const size = Math.max(1, Math.floor(accountsPerPiece));
  return {
    accounts: evaluator.accounts,
    // For whatever else reads the snapshot's accounts (their evidence documents): built once.
    indexes: evaluator.indexes,
    *pieces() {
      for (let start = 0; start < evaluator.accounts; start += size) {
        const end = Math.min(start + size, evaluator.accounts);
        const resources: ResourceSummary[] = [];
        const findings: Finding[] = new Array((end - start) * CATALOG.length);
        let n = 0;
        for (let a = start; a < end; a++) n = evaluator.evaluate(a, resources, findings, n);
        yield { resources, findings };
      }
    },
  };
}

/** The indexes built once, and the evaluation of the account at a position (its summary and findings appended at `n`; returns the next `n`). */
function accountEvaluator(snapshot: Snapshot) {
  const ctx = buildIndexes(snapshot);
  const slots = CATALOG.map(slotOf);
  const cmk3 = CATALOG.findIndex((c) => c.id === "CMK-3");
  const azureIndex = buildAzureVerdictIndex(snapshot.resources, ctx.coverage);
  const evaluate = (a: number, resources: ResourceSummary[], findings: Finding[], n: number): number => {
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
    return n;
  };
  return { accounts: ctx.accounts.length, evaluate, indexes: ctx };
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
