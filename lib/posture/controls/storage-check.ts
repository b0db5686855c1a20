/**
 * The shared shape of "linked storage" controls: not applicable without BYOS, then each linked
 * storage account is judged and the results combine as CONTROLS.md says: fail if any visible one
 * fails; else unknown (not_visible) if any is not visible; else pass.
 */
import type { SnapshotIndex } from "@/lib/posture/indexes";
import type { AccountView, Evidence, LinkedStorage, Outcome } from "@/lib/posture/types";
import { noLinkedStorage, notVisibleEvidence } from "./byos";
import { aboutStorage, exact, fail, pass, unknown } from "./common";

/** A message tail for one storage account and for several: "<subject><tail>". */
export type Tail = readonly [singular: string, plural: string];

export interface StorageRule {
  /** Judges one visible storage account, appending its evidence; true when it meets the rule. */
  judge(storage: LinkedStorage, evidence: Evidence[]): boolean;
  readonly passTail: Tail;
  readonly failTail: Tail;
  /** For storage accounts missing from the snapshot, e.g. [" is not in the snapshot, so …", " are …"]. */
  readonly unseenTail: Tail;
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
  for (let i = 0; i < linked.length; i++) {
    const storage = linked[i];
    if (storage.doc === undefined) {
      (hidden ??= []).push(storage);
      evidence.push(notVisibleEvidence(storage));
    } else if (!rule.judge(storage, evidence)) {
      (failing ??= []).push(storage);
    }
  }
  const kept = exact(evidence);
  if (failing) return fail(aboutStorage(failing, rule.failTail), kept);
  if (hidden) return unknown("not_visible", aboutStorage(hidden, rule.unseenTail), kept);
  return pass(aboutStorage(linked, rule.passTail), kept);
}

/** The usual not-visible tail: "<subject> is not in the snapshot (…), so <what> cannot be checked." */
export function unseen(what: string): Tail {
  const rest = ` not in the snapshot (not visible to the scan), so ${what} cannot be checked.`;
  return [` is${rest}`, ` are${rest}`];
}
