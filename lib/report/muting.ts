/**
 * Which active exception mutes a finding in a report: the one the finding names (set when the
 * result was built, which knew each subscription's tenant), else the most specific rule that matches
 * as lib/posture's `matches` says (control, subscription, resource, tag).
 */
import { idKey } from "@/lib/posture/ids";
import { matches, mostSpecific, tagsByName, type ExceptionRule } from "@/lib/posture/exceptions";
import type { ReportException, ReportFinding } from "./model";

export function mutingException(
  active: readonly ReportException[],
  f: ReportFinding,
  tags: Readonly<Record<string, string>> | null | undefined,
): ReportException | undefined {
  const named = f.exception?.id === undefined ? undefined : active.find((x) => String(x.id ?? "") === f.exception!.id);
  if (named) return named;
  const subject = { controlId: f.controlId, subscriptionKey: idKey(f.subscriptionId), resourceKey: idKey(f.resourceId), tags: tagsByName(tags) };
  const rules = new Map(active.map((x) => [asRule(x), x]));
  const best = mostSpecific([...rules.keys()].filter((rule) => matches(rule, subject)));
  return best ? rules.get(best) : undefined;
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
