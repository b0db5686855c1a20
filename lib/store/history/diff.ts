/**
 * What changed between two succeeded scans, per resource × control: new failures, resolved
 * failures, other status changes, and how many stayed the same. Counts are exact; lists are capped.
 * Only subscriptions both scans could see are compared: a scan of some subscriptions, an uploaded
 * snapshot, or one that could not read a subscription neither resolves nor adds the findings of
 * the others. A whole-tenant collection that does not list a subscription saw it empty, so a new
 * subscription's failures are new, and a deleted one's are resolved.
 * Scans judged with different catalogue versions are compared too, but a changed verdict of a
 * control whose rule changed between the versions is marked `ruleChange`: it may have changed
 * because the rule did, not because Azure did.
 */
import { rulesChangedBetween } from "@/lib/posture/controls";
import { SEVERITIES, STATUSES } from "@/lib/posture/vocabulary";
import type { FindingsIndex } from "@/lib/store/findings/model";
import { findingsIndex } from "@/lib/store/findings/scan-index";
import { requireSucceededScan } from "@/lib/store/scans/state";
import { scanErrors, storedCatalogVersion } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";

export interface DiffItem {
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  controlId: string;
  severity: string;
  /** null: not evaluated in that scan (resource absent or out of its scope). */
  from: string | null;
  to: string | null;
  /**
   * The verdict changed and the two scans judged this control with different rules (catalogue
   * versions): the change may come from the rule, not from Azure.
   */
  ruleChange: boolean;
}

export interface ScanDiff {
  scanId: string;
  against: string;
  counts: {
    newFailures: number;
    resolved: number;
    changed: number;
    unchanged: number;
    added: number;
    removed: number;
    notCompared: number;
    /** Of newFailures, resolved and changed: the verdicts marked `ruleChange`. */
    ruleChanges: number;
  };
  /** The catalogue version each scan was judged with (older `from`, newer `to`). */
  catalogVersions: { from: number; to: number };
  /** Controls whose rules differ between the two versions (empty when the versions are equal), in catalogue order. */
  ruleChangedControls: string[];
  /** Subscriptions read by both scans (compared), and by only one of them (their findings are `notCompared`). */
  subscriptions: { compared: number; onlyNewer: number; onlyOlder: number };
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

function keyed(ix: FindingsIndex): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < ix.size; i++) m.set(`${ix.resources[ix.resource[i]]?.key}|${ix.controls[ix.control[i]]}`, i);
  return m;
}

function item(ix: FindingsIndex, i: number, from: string | null, to: string | null, ruleChange = false): DiffItem {
  const r = ix.resources[ix.resource[i]];
  return {
    resourceId: r?.id ?? "",
    resourceName: r?.name ?? "",
    subscriptionId: ix.subs[ix.sub[i]],
    controlId: ix.controls[ix.control[i]],
    severity: SEVERITIES[ix.severity[i]],
    from,
    to,
    ruleChange,
  };
}

/** What a scan covered, for deciding which subscriptions a diff can compare. */
interface ScanCoverage {
  /** Lower-cased IDs listed in its result. */
  listed: Set<string>;
  /** Of those, the ones it read: no Resource Graph error at the subscription's scope (CONTROLS.md's "scanned"). */
  read: Set<string>;
  /**
   * A collection of every subscription the credential could see (not an uploaded snapshot, not a
   * chosen few): a subscription it does not list did not exist for it, so its resources were absent.
   */
  wholeTenant: boolean;
  /** The catalogue version its findings were judged with. */
  catalogVersion: number;
}

async function coverageOf(store: Store, scanId: string): Promise<ScanCoverage> {
  const [rows, scan, errors] = await Promise.all([
    store.db.selectFrom("scan_subscriptions").select("subscription_key").where("scan_id", "=", scanId).execute(),
    store.db.selectFrom("scans").select(["source", "requested_subscriptions", "catalog_version"]).where("id", "=", scanId).executeTakeFirst(),
    scanErrors(store, scanId),
  ]);
  const listed = new Set(rows.map((r) => r.subscription_key));
  const read = new Set(listed);
  for (const e of errors) {
    const { source, scope } = (e ?? {}) as { source?: unknown; scope?: unknown };
    if (typeof source !== "string" || typeof scope !== "string" || source.trim().toLowerCase() !== "resourcegraph") continue;
    const m = /^\/subscriptions\/([^/]+)\/*$/i.exec(scope.trim());
    if (m) read.delete(idKey(m[1]));
  }
  return {
    listed,
    read,
    wholeTenant: scan !== undefined && scan.source !== "snapshot" && !scan.requested_subscriptions,
    catalogVersion: storedCatalogVersion(scan?.catalog_version),
  };
}

/**
 * Whether a scan's findings for a subscription can be compared: it read the subscription, or it
 * was a whole-tenant collection in which the subscription did not exist (so nothing was there).
 */
const knows = (c: ScanCoverage, key: string) => c.read.has(key) || (c.wholeTenant && !c.listed.has(key));

/** `scanId` is the newer side ("to"), `against` the older ("from"); any two succeeded scans work. */
export async function diffScans(store: Store, scanId: string, against: string, options: { limit?: number } = {}): Promise<ScanDiff> {
  await Promise.all([requireSucceededScan(store, scanId), requireSucceededScan(store, against)]);
  const [to, from, newer, older] = await Promise.all([
    findingsIndex(store, scanId),
    findingsIndex(store, against),
    coverageOf(store, scanId),
    coverageOf(store, against),
  ]);
  const comparable = (key: string) => knows(newer, key) && knows(older, key);
  const inBoth = (subscriptionId: string) => comparable(idKey(subscriptionId));
  const compared = new Set([...newer.read, ...older.read].filter(comparable)).size;
  const onlyIn = (c: ScanCoverage) => [...c.read].filter((k) => !comparable(k)).length;
  const limit = options.limit ?? 1000;
  const ruleChanged: ReadonlySet<string> = rulesChangedBetween(older.catalogVersion, newer.catalogVersion);
  const diff: ScanDiff = {
    scanId,
    against,
    counts: { newFailures: 0, resolved: 0, changed: 0, unchanged: 0, added: 0, removed: 0, notCompared: 0, ruleChanges: 0 },
    catalogVersions: { from: older.catalogVersion, to: newer.catalogVersion },
    ruleChangedControls: [...ruleChanged],
    subscriptions: { compared, onlyNewer: onlyIn(newer), onlyOlder: onlyIn(older) },
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
    if (!inBoth(to.subs[to.sub[i]])) {
      diff.counts.notCompared++;
      continue;
    }
    const now = STATUSES[to.status[i]];
    const j = before.get(key);
    const was = j === undefined ? null : STATUSES[from.status[j]];
    // A verdict both scans gave, of a control judged by different rules in them.
    const byRule = was !== null && was !== now && ruleChanged.size > 0 && ruleChanged.has(to.controls[to.control[i]]);
    if (byRule) diff.counts.ruleChanges++;
    if (now === "fail" && was !== "fail") {
      diff.counts.newFailures++;
      push(diff.newFailures, () => item(to, i, was, now, byRule));
    } else if (was === "fail" && now !== "fail") {
      diff.counts.resolved++;
      push(diff.resolved, () => item(to, i, was, now, byRule));
    } else if (was === null) {
      diff.counts.added++;
      push(diff.added, () => item(to, i, was, now));
    } else if (was !== now) {
      diff.counts.changed++;
      push(diff.changed, () => item(to, i, was, now, byRule));
    } else {
      diff.counts.unchanged++;
      diff.unchangedByStatus[now]++;
    }
  }
  for (const [key, j] of before) {
    if (seen.has(key)) continue;
    if (!inBoth(from.subs[from.sub[j]])) {
      diff.counts.notCompared++;
      continue;
    }
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

/**
 * Subscriptions (lower-cased IDs) that scan `against` read and `scanId` could not: listed with a
 * Resource Graph error, or left out of a narrower scope. A subscription gone from a whole-tenant
 * collection no longer exists and is not counted.
 */
export async function subscriptionsNoLongerRead(store: Store, scanId: string, against: string): Promise<string[]> {
  const [newer, older] = await Promise.all([coverageOf(store, scanId), coverageOf(store, against)]);
  return [...older.read].filter((key) => !knows(newer, key)).sort();
}
