/** Which findings of an indexed scan the active exceptions mute, recomputed only when they change. */
import { compileRule, coversControl, coversResource, type ExceptionRule } from "@/lib/posture/exceptions";
import type { FindingsIndex } from "./model";

export function fingerprint(rules: readonly ExceptionRule[]): string {
  return rules
    .map((r) => `${r.id}@${r.expiresAt}`)
    .sort()
    .join("|");
}

/** For each finding, the index + 1 of the first rule muting it (0: not muted). */
export function mutedMask(ix: FindingsIndex, rules: readonly ExceptionRule[]): Uint8Array {
  const fp = fingerprint(rules);
  if (ix.muted?.fingerprint === fp) return ix.muted.mask;
  const mask = new Uint8Array(ix.size);
  if (rules.length > 0) {
    // Per resource: the rules whose resource/subscription/tag scope covers it (the control is checked per finding).
    const compiled = rules.map((rule, i) => ({ rule: compileRule(rule), i }));
    const perResource = ix.resources.map((r) => compiled.filter(({ rule }) => coversResource(rule, r.key, r.subscriptionKey, r.tags, r.tenant)));
    for (let f = 0; f < ix.size; f++) {
      const applicable = perResource[ix.resource[f]];
      if (!applicable || applicable.length === 0) continue;
      const control = ix.controls[ix.control[f]];
      const hit = applicable.find(({ rule }) => coversControl(rule, control));
      if (hit) mask[f] = Math.min(hit.i + 1, 255);
    }
  }
  ix.muted = { fingerprint: fp, mask };
  return mask;
}
