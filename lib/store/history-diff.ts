/**
 * What changed between two succeeded scans, per resource × control: new failures, resolved
 * failures, other status changes, and how many stayed the same. Counts are exact; lists are capped.
 */
import { findingsIndex, STATUSES, type FindingsIndex } from "./findings-index";
import { requireSucceededScan } from "./scan-state";
import type { Store } from "./store";

export interface DiffItem {
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  controlId: string;
  severity: string;
  /** null: not evaluated in that scan (resource absent or out of its scope). */
  from: string | null;
  to: string | null;
}

export interface ScanDiff {
  scanId: string;
  against: string;
  counts: { newFailures: number; resolved: number; changed: number; unchanged: number; added: number; removed: number };
  /** Unchanged pairs by their status. */
  unchangedByStatus: Record<string, number>;
  newFailures: DiffItem[];
  resolved: DiffItem[];
  changed: DiffItem[];
  added: DiffItem[];
  removed: DiffItem[];
  /** Whether some list was cut at `limit`. */
  truncated: boolean;
}

const SEVERITY = ["high", "medium", "low"];

function keyed(ix: FindingsIndex): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < ix.size; i++) m.set(`${ix.resources[ix.resource[i]]?.key}|${ix.controls[ix.control[i]]}`, i);
  return m;
}

function item(ix: FindingsIndex, i: number, from: string | null, to: string | null): DiffItem {
  const r = ix.resources[ix.resource[i]];
  return { resourceId: r?.id ?? "", resourceName: r?.name ?? "", subscriptionId: ix.subs[ix.sub[i]], controlId: ix.controls[ix.control[i]], severity: SEVERITY[ix.severity[i]], from, to };
}

/** `scanId` is the newer side ("to"), `against` the older ("from"); any two succeeded scans work. */
export async function diffScans(store: Store, scanId: string, against: string, options: { limit?: number } = {}): Promise<ScanDiff> {
  await Promise.all([requireSucceededScan(store, scanId), requireSucceededScan(store, against)]);
  const [to, from] = await Promise.all([findingsIndex(store, scanId), findingsIndex(store, against)]);
  const limit = options.limit ?? 1000;
  const diff: ScanDiff = {
    scanId,
    against,
    counts: { newFailures: 0, resolved: 0, changed: 0, unchanged: 0, added: 0, removed: 0 },
    unchangedByStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])),
    newFailures: [],
    resolved: [],
    changed: [],
    added: [],
    removed: [],
    truncated: false,
  };
  const push = (list: DiffItem[], make: () => DiffItem) => {
    if (list.length < limit) list.push(make());
    else diff.truncated = true;
  };
  const before = keyed(from);
  const seen = new Set<string>();
  for (let i = 0; i < to.size; i++) {
    const key = `${to.resources[to.resource[i]]?.key}|${to.controls[to.control[i]]}`;
    seen.add(key);
    const now = STATUSES[to.status[i]];
    const j = before.get(key);
    const was = j === undefined ? null : STATUSES[from.status[j]];
    if (now === "fail" && was !== "fail") {
      diff.counts.newFailures++;
      push(diff.newFailures, () => item(to, i, was, now));
    } else if (was === "fail" && now !== "fail") {
      diff.counts.resolved++;
      push(diff.resolved, () => item(to, i, was, now));
    } else if (was === null) {
      diff.counts.added++;
      push(diff.added, () => item(to, i, was, now));
    } else if (was !== now) {
      diff.counts.changed++;
      push(diff.changed, () => item(to, i, was, now));
    } else {
      diff.counts.unchanged++;
      diff.unchangedByStatus[now]++;
    }
  }
  for (const [key, j] of before) {
    if (seen.has(key)) continue;
    const was = STATUSES[from.status[j]];
    // A failure whose resource is gone is resolved from the tenant's point of view; list it as such.
    if (was === "fail") {
      diff.counts.resolved++;
      push(diff.resolved, () => item(from, j, was, null));
    } else {
      diff.counts.removed++;
      push(diff.removed, () => item(from, j, was, null));
    }
  }
  return diff;
}
