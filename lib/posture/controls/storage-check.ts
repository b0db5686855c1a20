/**
 * The shared shape of "linked storage" controls: not applicable without BYOS, then each linked
 * storage account is judged and the results combine as CONTROLS.md says: fail if any visible one
 * fails; else unknown (not_visible) if any is not visible; else pass.
 */
import type { SnapshotIndex } from "../indexes";
import type { AccountView, Evidence, LinkedStorage, Outcome } from "../types";
import { noLinkedStorage, notVisibleEvidence } from "./byos";
import { fail, pass, storageSubject, unknown, verb } from "./common";

export interface StorageRule {
  /** Judges one visible storage account, appending its evidence; true when it meets the rule. */
  judge(storage: LinkedStorage, evidence: Evidence[]): boolean;
  passMessage(storages: readonly LinkedStorage[]): string;
  failMessage(failing: readonly LinkedStorage[]): string;
  /** What cannot be checked without the document, e.g. "whether it refuses shared-key requests". */
  unseen: string;
}

export function evaluateLinkedStorage(account: AccountView, ctx: SnapshotIndex, rule: StorageRule): Outcome {
  if (account.linked.length === 0) return noLinkedStorage(account, ctx);
  return combineLinkedStorage(account.linked, rule);
}

/** The combination step alone, for controls with their own applicability rule (CMK-4). */
export function combineLinkedStorage(linked: readonly LinkedStorage[], rule: StorageRule): Outcome {
  const evidence: Evidence[] = [];
  let failing: LinkedStorage[] | undefined;
  let hidden: LinkedStorage[] | undefined;
  for (const storage of linked) {
    if (storage.doc === undefined) {
      (hidden ??= []).push(storage);
      evidence.push(notVisibleEvidence(storage));
    } else if (!rule.judge(storage, evidence)) {
      (failing ??= []).push(storage);
    }
  }
  if (failing) return fail(rule.failMessage(failing), evidence);
  if (hidden) {
    return unknown(
      "not_visible",
      `${storageSubject(hidden)} ${verb(hidden, "is", "are")} not in the snapshot (not visible to the scan), so ${rule.unseen} cannot be checked.`,
      evidence,
    );
  }
  return pass(rule.passMessage(linked), evidence);
}
