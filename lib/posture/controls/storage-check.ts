/**
 * The shared shape of "linked storage" controls: not applicable without BYOS, then each linked
 * storage account is judged and the results combine as CONTROLS.md says: fail if any visible one
 * fails; else unknown (not_visible) if any is not visible (or its own evidence cannot decide); else pass.
 */
import type { SnapshotIndex } from "@/lib/posture/indexes";
import type { AccountView, Evidence, LinkedStorage, Outcome } from "@/lib/posture/types";
import { noLinkedStorage, notVisibleEvidence } from "./byos";
import { aboutStorage, exact, fail, pass, unknown } from "./common";

/** A message tail for one storage account and for several: "<subject><tail>". */
export type Tail = readonly [singular: string, plural: string];

export interface StorageRule {
  /**
   * Judges one visible storage account, appending its evidence: true when it meets the rule,
   * false when it does not, "not_visible" when what decides it is not in the snapshot.
   */
  judge(storage: LinkedStorage, evidence: Evidence[], ctx: SnapshotIndex | undefined): boolean | "not_visible";
  readonly passTail: Tail;
  readonly failTail: Tail;
  /** For storage accounts missing from the snapshot, e.g. [" is not in the snapshot, so …", " are …"]. */
  readonly unseenTail: Tail;
  /** For visible storage accounts judged "not_visible" (only rules that can say so). */
  readonly undecidedTail?: Tail;
}

export function evaluateLinkedStorage(account: AccountView, ctx: SnapshotIndex, rule: StorageRule): Outcome {
  if (account.linked.length === 0) return noLinkedStorage(account, ctx);
  return combineLinkedStorage(account.linked, rule, ctx);
}

/** The combination step alone, for controls with their own applicability rule (CMK-4). */
export function combineLinkedStorage(linked: readonly LinkedStorage[], rule: StorageRule, ctx?: SnapshotIndex): Outcome {
  const evidence: Evidence[] = [];
  let failing: LinkedStorage[] | undefined;
  let hidden: LinkedStorage[] | undefined;
  let undecided: LinkedStorage[] | undefined;
  for (let i = 0; i < linked.length; i++) {
    const storage = linked[i];
    if (storage.doc === undefined) {
      (hidden ??= []).push(storage);
      evidence.push(notVisibleEvidence(storage));
      continue;
    }
    const verdict = rule.judge(storage, evidence, ctx);
    if (verdict === false) (failing ??= []).push(storage);
    else if (verdict === "not_visible") (undecided ??= []).push(storage);
  }
  const kept = exact(evidence);
  if (failing) return fail(aboutStorage(failing, rule.failTail), kept);
  if (hidden) return unknown("not_visible", aboutStorage(hidden, rule.unseenTail), kept);
  if (undecided) return unknown("not_visible", aboutStorage(undecided, rule.undecidedTail ?? rule.unseenTail), kept);
  return pass(aboutStorage(linked, rule.passTail), kept);
}

/** The usual not-visible tail: "<subject> is not in the snapshot (…), so <what> cannot be checked." */
export function unseen(what: string): Tail {
  const rest = ` not in the snapshot (not visible to the scan), so ${what} cannot be checked.`;
  return [` is${rest}`, ` are${rest}`];
}
