/**
 * Which active exception mutes a finding in a report: every scope field a rule sets must match
 * (control, subscription, resource, tag); the most specific such rule is named.
 */
import { idKey } from "@/lib/posture/ids";
import type { ReportException, ReportFinding } from "./model";

export function mutingException(
  active: readonly ReportException[],
  f: ReportFinding,
  tags: Readonly<Record<string, string>> | null | undefined,
): ReportException | undefined {
  let best: ReportException | undefined;
  let bestRank = -1;
  for (const x of active) {
    if (!covers(x, f, tags ?? undefined)) continue;
    const rank = (x.resourceId ? 8 : 0) + (x.tag ? 4 : 0) + (x.subscriptionId ? 2 : 0) + (x.controlId ? 1 : 0);
    if (rank > bestRank) {
      best = x;
      bestRank = rank;
    }
  }
  return best;
}

export function covers(x: ReportException, f: ReportFinding, tags: Readonly<Record<string, string>> | undefined): boolean {
  if (x.controlId && idKey(x.controlId) !== idKey(f.controlId)) return false;
  if (x.subscriptionId && idKey(x.subscriptionId) !== idKey(f.subscriptionId)) return false;
  if (x.resourceId && idKey(x.resourceId) !== idKey(f.resourceId)) return false;
  if (x.tag) {
    const name = x.tag.name.toLowerCase();
    const entry = Object.entries(tags ?? {}).find(([k]) => k.toLowerCase() === name);
    if (!entry || entry[1] !== x.tag.value) return false;
  }
  return true;
}
