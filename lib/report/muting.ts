/**
 * Which active exception mutes a finding in a report: the one the finding names (set when the
 * result was built, which knew each subscription's tenant), else the most specific rule that matches
 * as lib/posture's `matches` says (control, subscription, resource, tag).
 */
import { idKey } from "@/lib/posture/ids";
import { matches, tagsByName, type ExceptionRule } from "@/lib/posture/exceptions";
import type { ReportException, ReportFinding } from "./model";

export function mutingException(
  active: readonly ReportException[],
  f: ReportFinding,
  tags: Readonly<Record<string, string>> | null | undefined,
): ReportException | undefined {
  const named = f.exception?.id === undefined ? undefined : active.find((x) => String(x.id ?? "") === f.exception!.id);
  if (named) return named;
  const subject = { controlId: f.controlId, subscriptionKey: idKey(f.subscriptionId), resourceKey: idKey(f.resourceId), tags: tagsByName(tags) };
  let best: ReportException | undefined;
  let bestRank = -1;
  for (const x of active) {
    if (!matches(asRule(x), subject)) continue;
    const rank = (x.resourceId ? 16 : 0) + (x.tag ? 8 : 0) + (x.subscriptionId ? 4 : 0) + (x.tenantId ? 2 : 0) + (x.controlId ? 1 : 0);
    if (rank > bestRank) {
      best = x;
      bestRank = rank;
    }
  }
  return best;
}

/** A report's exception (read back from JSON, fields possibly null) as the rule it is. */
function asRule(x: ReportException): ExceptionRule {
  return {
    id: String(x.id ?? ""),
    owner: x.owner ?? "",
    reason: x.reason ?? "",
    expiresAt: x.expiresAt ?? "",
    ...(x.controlId ? { controlId: x.controlId } : {}),
    ...(x.subscriptionId ? { subscriptionId: x.subscriptionId } : {}),
    ...(x.resourceId ? { resourceId: x.resourceId } : {}),
    ...(x.tenantId ? { tenantId: x.tenantId } : {}),
    ...(x.tag ? { tag: x.tag } : {}),
  } as ExceptionRule;
}
