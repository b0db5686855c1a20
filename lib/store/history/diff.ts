/**
 * What changed between two succeeded scans, per resource × control: new failures, resolved
 * failures, other status changes, and how many stayed the same. Counts are exact; lists are capped.
 * A resource the newer scan no longer holds is "gone", listed apart: gone is not fixed, so its
 * failures are never counted as resolved, and the score change is computed over the resources both
 * scans hold (`scores`), so deleting a failing resource does not raise it. A changed verdict lists
 * the evidence properties whose value changed (before → after).
 * Only subscriptions both scans could see are compared: a scan of some subscriptions, an uploaded
 * snapshot, or one that could not read a subscription neither resolves nor adds the findings of
 * the others. A whole-tenant collection that does not list a subscription saw it empty, so a new
 * subscription's failures are new, and a deleted one's resources are gone.
 * Scans judged with different catalogue versions are compared too, but a changed verdict of a
 * control whose rule changed between the versions is marked `ruleChange`: it may have changed
 * because the rule did, not because Azure did.
 */
import { rulesChangedBetween } from "@/lib/posture/controls";
import { ScoreTally } from "@/lib/posture/score";
import { decodeEvidence } from "@/lib/store/scans/evidence-codec";
import { SEVERITIES, STATUSES } from "@/lib/posture/vocabulary";
import type { FindingsIndex } from "@/lib/store/findings/model";
import { findingsIndex } from "@/lib/store/findings/scan-index";
import { requireSucceededScan } from "@/lib/store/scans/state";
import { scanErrors, storedCatalogVersion } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";
import { tenantSubscriptionKeys } from "@/lib/store/tenants";

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
  /**
   * Both scans judged it and the verdict changed: the evidence properties whose value differs,
   * before → after (a side without the property leaves it out). Empty when the values did not
   * change (the rule did, or the reason of an unknown).
   */
  evidence?: EvidenceChange[];
}

export interface EvidenceChange {
  /** The evidence path (`document:ID property`). */
  path: string;
  /** The value in the older scan; absent when its evidence did not list the path. */
  before?: unknown;
  after?: unknown;
}

/** A resource the older scan held and the newer one does not (deleted, moved or no longer visible). */
export interface GoneResource {
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  /** Its findings in the older scan, and of those the failing ones (not resolved: the resource is gone). */
  findings: number;
  failures: number;
  /** The controls it failed in the older scan. */
  failedControls: string[];
}

/** A score before → after; null where nothing was judged. */
export interface ScoreChange {
  from: number | null;
  to: number | null;
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
    /** Findings of a control the newer scan did not judge on a resource it still holds. */
    removed: number;
    /** Resources the newer scan no longer holds, their findings and the failures among them (none of them resolved). */
    goneResources: number;
    goneFindings: number;
    goneFailures: number;
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
  /** Resources gone since the older scan, capped at `limit`. */
  gone: GoneResource[];
  /**
   * Scores over the resources both scans hold in the subscriptions both read (CONTROLS.md's
   * formula on that common part): the change a fix or a regression made, not a deletion or an
   * addition. The scans' own scores cover everything each held.
   */
  scores: { tenant: ScoreChange; subscriptions: ({ subscriptionId: string } & ScoreChange)[] };
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
export async function diffScans(store: Store, scanId: string, against: string, options: { limit?: number; tenant?: string } = {}): Promise<ScanDiff> {
  await Promise.all([requireSucceededScan(store, scanId), requireSucceededScan(store, against)]);
  const [to, from, newer, older, tenantSubs] = await Promise.all([
    findingsIndex(store, scanId),
    findingsIndex(store, against),
    coverageOf(store, scanId),
    coverageOf(store, against),
    options.tenant
      ? Promise.all([tenantSubscriptionKeys(store, scanId, options.tenant), tenantSubscriptionKeys(store, against, options.tenant)])
      : Promise.resolve(null),
  ]);
  // One tenant of an estate: only its subscriptions (in either scan) are compared or counted at all.
  const scope = tenantSubs ? new Set(tenantSubs.flat()) : null;
  const inScope = (key: string) => !scope || scope.has(key);
  const comparable = (key: string) => knows(newer, key) && knows(older, key);
  const inBoth = (subscriptionId: string) => comparable(idKey(subscriptionId));
  const compared = new Set([...newer.read, ...older.read].filter((k) => inScope(k) && comparable(k))).size;
  const onlyIn = (c: ScanCoverage) => [...c.read].filter((k) => inScope(k) && !comparable(k)).length;
  const toInScope = to.subs.map((id) => inScope(idKey(id)));
  const fromInScope = from.subs.map((id) => inScope(idKey(id)));
  const limit = options.limit ?? 1000;
  const ruleChanged: ReadonlySet<string> = rulesChangedBetween(older.catalogVersion, newer.catalogVersion);
  const diff: ScanDiff = {
    scanId,
    against,
    counts: {
      newFailures: 0,
      resolved: 0,
      changed: 0,
      unchanged: 0,
      added: 0,
      removed: 0,
      goneResources: 0,
      goneFindings: 0,
      goneFailures: 0,
      notCompared: 0,
      ruleChanges: 0,
    },
    catalogVersions: { from: older.catalogVersion, to: newer.catalogVersion },
    ruleChangedControls: [...ruleChanged],
    subscriptions: { compared, onlyNewer: onlyIn(newer), onlyOlder: onlyIn(older) },
    unchangedByStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])),
    newFailures: [],
    resolved: [],
    changed: [],
    added: [],
    removed: [],
    gone: [],
    scores: { tenant: { from: null, to: null }, subscriptions: [] },
    truncated: false,
  };
  // Listed verdicts both scans gave, with their finding rows, to read their evidence afterwards.
  const judgedTwice: { item: DiffItem; toRow: number; fromRow: number }[] = [];
  const push = (list: DiffItem[], make: () => DiffItem, rows?: [number, number]) => {
    if (list.length < limit) {
      const made = make();
      list.push(made);
      if (rows) judgedTwice.push({ item: made, toRow: rows[0], fromRow: rows[1] });
    } else diff.truncated = true;
  };
  const newerResources = new Set(to.resources.map((r) => r?.key));
  const olderResources = new Set(from.resources.map((r) => r?.key));
  const tallies = { tenant: [new ScoreTally(), new ScoreTally()], bySubscription: new Map<string, { subscriptionId: string; tallies: ScoreTally[] }>() };
  const tally = (side: 0 | 1, subscriptionId: string, status: string, severity: string) => {
    const finding = { status, severity, reason: null, muted: false } as Parameters<ScoreTally["add"]>[0];
    tallies.tenant[side].add(finding);
    const key = idKey(subscriptionId);
    let sub = tallies.bySubscription.get(key);
    if (!sub) tallies.bySubscription.set(key, (sub = { subscriptionId, tallies: [new ScoreTally(), new ScoreTally()] }));
    sub.tallies[side].add(finding);
  };
  const before = keyed(from);
  const seen = new Set<string>();
  for (let i = 0; i < to.size; i++) {
    const resourceKey = to.resources[to.resource[i]]?.key;
    const key = `${resourceKey}|${to.controls[to.control[i]]}`;
    seen.add(key);
    if (!toInScope[to.sub[i]]) continue;
    if (!inBoth(to.subs[to.sub[i]])) {
      diff.counts.notCompared++;
      continue;
    }
    const now = STATUSES[to.status[i]];
    if (olderResources.has(resourceKey)) tally(1, to.subs[to.sub[i]], now, SEVERITIES[to.severity[i]]);
    const j = before.get(key);
    const was = j === undefined ? null : STATUSES[from.status[j]];
    const rows: [number, number] | undefined = j === undefined ? undefined : [to.ids[i], from.ids[j]];
    // A verdict both scans gave, of a control judged by different rules in them.
    const byRule = was !== null && was !== now && ruleChanged.size > 0 && ruleChanged.has(to.controls[to.control[i]]);
    if (byRule) diff.counts.ruleChanges++;
    if (now === "fail" && was !== "fail") {
      diff.counts.newFailures++;
      push(diff.newFailures, () => item(to, i, was, now, byRule), rows);
    } else if (was === "fail" && now !== "fail") {
      diff.counts.resolved++;
      push(diff.resolved, () => item(to, i, was, now, byRule), rows);
    } else if (was === null) {
      diff.counts.added++;
      push(diff.added, () => item(to, i, was, now));
    } else if (was !== now) {
      diff.counts.changed++;
      push(diff.changed, () => item(to, i, was, now, byRule), rows);
    } else {
      diff.counts.unchanged++;
      diff.unchangedByStatus[now]++;
    }
  }
  const gone = new Map<string, GoneResource>();
  for (const [key, j] of before) {
    const resourceKey = from.resources[from.resource[j]]?.key;
    const present = newerResources.has(resourceKey);
    if (!fromInScope[from.sub[j]]) continue;
    if (!inBoth(from.subs[from.sub[j]])) {
      if (!seen.has(key)) diff.counts.notCompared++;
      continue;
    }
    const was = STATUSES[from.status[j]];
    if (present) tally(0, from.subs[from.sub[j]], was, SEVERITIES[from.severity[j]]);
    if (seen.has(key)) continue;
    if (!present) {
      // Gone is not fixed: the resource's failures are not resolved, they are gone with it.
      const r = from.resources[from.resource[j]];
      let entry = gone.get(resourceKey ?? "");
      if (!entry) {
        gone.set(
          resourceKey ?? "",
          (entry = {
            resourceId: r?.id ?? "",
            resourceName: r?.name ?? "",
            subscriptionId: from.subs[from.sub[j]],
            findings: 0,
            failures: 0,
            failedControls: [],
          }),
        );
      }
      entry.findings++;
      diff.counts.goneFindings++;
      if (was === "fail") {
        entry.failures++;
        entry.failedControls.push(from.controls[from.control[j]]);
        diff.counts.goneFailures++;
      }
    } else {
      diff.counts.removed++;
      push(diff.removed, () => item(from, j, was, null));
    }
  }
  diff.counts.goneResources = gone.size;
  // Most failures first, then by ID, so the capped list shows what mattered most.
  const goneList = [...gone.values()].sort((a, b) => b.failures - a.failures || a.resourceId.localeCompare(b.resourceId));
  if (goneList.length > limit) diff.truncated = true;
  diff.gone = goneList.slice(0, limit);
  const change = (t: ScoreTally[]): ScoreChange => ({ from: t[0].score, to: t[1].score });
  diff.scores = {
    tenant: change(tallies.tenant),
    subscriptions: [...tallies.bySubscription.values()].map((s) => ({ subscriptionId: s.subscriptionId, ...change(s.tallies) })),
  };
  await attachEvidenceChanges(store, scanId, against, judgedTwice);
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

/** Reads the evidence of the listed verdicts both scans gave and keeps the properties whose value changed. */
async function attachEvidenceChanges(store: Store, scanId: string, against: string, items: { item: DiffItem; toRow: number; fromRow: number }[]) {
  if (items.length === 0) return;
  const [after, before] = await Promise.all([
    evidenceByRow(
      store,
      scanId,
      items.map((x) => x.toRow),
    ),
    evidenceByRow(
      store,
      against,
      items.map((x) => x.fromRow),
    ),
  ]);
  for (const { item, toRow, fromRow } of items) item.evidence = evidenceChanges(before.get(fromRow) ?? [], after.get(toRow) ?? []);
}

const EVIDENCE_BATCH = 500;

async function evidenceByRow(store: Store, scanId: string, rows: number[]): Promise<Map<number, unknown[]>> {
  const out = new Map<number, unknown[]>();
  for (let i = 0; i < rows.length; i += EVIDENCE_BATCH) {
    const batch = rows.slice(i, i + EVIDENCE_BATCH);
    // Evidence is stored relative to the finding's resource ID: its own, else its resource row's.
    const found = await store.db
      .selectFrom("findings as f")
      .innerJoin("resources as r", (j) => j.onRef("r.scan_id", "=", "f.scan_id").onRef("r.ord", "=", "f.resource_ord"))
      .select(["f.id", "f.evidence", "f.resource_id", "r.resource_id as row_resource_id"])
      .where("f.scan_id", "=", scanId)
      .where("f.id", "in", batch)
      .execute();
    for (const r of found) out.set(Number(r.id), decodeEvidence(r.evidence, r.resource_id ?? r.row_resource_id));
  }
  return out;
}

/** The evidence paths whose `actual` value differs between two lists of `{ path, actual }`, in first-seen order. */
export function evidenceChanges(before: readonly unknown[], after: readonly unknown[]): EvidenceChange[] {
  const read = (list: readonly unknown[]) => {
    const m = new Map<string, unknown>();
    for (const e of list) {
      const { path, actual } = (e ?? {}) as { path?: unknown; actual?: unknown };
      if (typeof path === "string" && !m.has(path)) m.set(path, actual);
    }
    return m;
  };
  const was = read(before);
  const now = read(after);
  const out: EvidenceChange[] = [];
  for (const path of new Set([...was.keys(), ...now.keys()])) {
    const a = was.has(path);
    const b = now.has(path);
    if (a && b && JSON.stringify(was.get(path)) === JSON.stringify(now.get(path))) continue;
    out.push({ path, ...(a ? { before: was.get(path) } : {}), ...(b ? { after: now.get(path) } : {}) });
  }
  return out;
}
