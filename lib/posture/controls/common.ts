/**
 * Building blocks shared by the control families: outcome constructors, the per-account memo
 * that lets a control reuse another's outcome, error lookup and wording helpers.
 */
import { errorReason, type SnapshotIndex } from "@/lib/posture/indexes";
import type { ErrorSource, SnapshotError, UnknownReason } from "@/lib/posture/snapshot";
import type { AccountView, Control, Evidence, LinkedStorage, Outcome } from "@/lib/posture/types";

/** Each control's index into `AccountView.memo`, handed out on first use. */
const slots = new Map<Control, number>();

export function slotOf(control: Control): number {
  let slot = slots.get(control);
  if (slot === undefined) slots.set(control, (slot = slots.size));
  return slot;
}

/** The outcome of `control` for `account`, computed once per account (controls reuse each other's). */
export function outcomeOf(control: Control, account: AccountView, ctx: SnapshotIndex, slot = slotOf(control)): Outcome {
  let outcome = account.memo[slot];
  if (outcome === undefined) {
    outcome = control.evaluate(account, ctx);
    account.memo[slot] = outcome;
  }
  return outcome;
}

// Every outcome has the same four fields (reason undefined unless unknown): one object shape
// keeps the evaluation loop monomorphic.

export function pass(message: string, evidence: readonly Evidence[]): Outcome {
  return { status: "pass", reason: undefined, message, evidence };
}

export function fail(message: string, evidence: readonly Evidence[]): Outcome {
  return { status: "fail", reason: undefined, message, evidence };
}

export function unknown(reason: UnknownReason, message: string, evidence: readonly Evidence[]): Outcome {
  return { status: "unknown", reason, message, evidence };
}

export function notApplicable(message: string, evidence: readonly Evidence[]): Outcome {
  return { status: "not_applicable", reason: undefined, message, evidence };
}

export function ev(path: string, actual: unknown, expected: unknown): Evidence {
  return { path, actual, expected };
}

const EMPTY_EVIDENCE: readonly Evidence[] = Object.freeze([]);

/**
 * An exact-size copy of an evidence list built with `push` (whose spare capacity would otherwise
 * stay allocated for as long as the finding lives: 1.8M findings make that count).
 */
export function exact(evidence: Evidence[]): readonly Evidence[] {
  return evidence.length === 0 ? EMPTY_EVIDENCE : evidence.slice();
}

/**
 * The error entry of `source` that applies to the account (CONTROLS.md "Reading the documents"):
 * the most specific of one scoped to its ID, its resource group and its subscription (the one its
 * `subscriptionId` names when the ID does not).
 */
export function applyingError(account: AccountView, source: ErrorSource, ctx: SnapshotIndex): SnapshotError | undefined {
  return ctx.errorFor(source, account.key, account.subscriptionScope);
}

const REASON_WORDS: Record<UnknownReason, string> = {
  not_collected: "not collected",
  not_visible: "not visible to the scan",
  access_denied: "access denied",
  network_blocked: "network blocked",
  collection_error: "collection error",
};

/** "access denied (AuthorizationFailed)". */
export function describeError(error: SnapshotError): string {
  const code = typeof error.code === "string" && error.code.trim() !== "" ? ` (${error.code})` : "";
  return `${REASON_WORDS[errorReason(error)]}${code}`;
}

/** Evidence for an applying error entry. */
export function errorEvidence(error: SnapshotError): Evidence[] {
  return [ev(`errors:${error.scope} ${error.source}`, error.code ?? error.message ?? errorReason(error), "no collection error")];
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** "linked storage account st1" / "linked storage accounts st1 and st2". */
export function linkedStorage(storages: readonly LinkedStorage[]): string {
  if (storages.length === 1) return `linked storage account ${storages[0].name}`;
  return `linked storage accounts ${joinNames(storages.map((s) => s.name))}`;
}

/** `linkedStorage` at the start of a sentence (precomputed for the common single account). */
export function storageSubject(storages: readonly LinkedStorage[]): string {
  return storages.length === 1 ? storages[0].subject : `Linked storage accounts ${joinNames(storages.map((s) => s.name))}`;
}

/** A message "<subject><tail>", choosing the singular or plural tail. */
export function aboutStorage(storages: readonly LinkedStorage[], tail: readonly [singular: string, plural: string]): string {
  return storageSubject(storages) + (storages.length === 1 ? tail[0] : tail[1]);
}

/** Picks the verb form for a subject of one or several. */
export function verb(items: readonly unknown[], singular: string, plural: string): string {
  return items.length === 1 ? singular : plural;
}
