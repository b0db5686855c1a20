/**
 * One page of a scan's findings with facet counts: filter, sort and count over the scan's
 * findings index, then read the page's rows (message, evidence) from the database. Exceptions
 * are applied here, at read time: `muted` never changes `status`.
 */
import { activeExceptions, exceptionMatches, type StoredException } from "./exceptions";
import { findingsIndex, SEVERITIES, STATUSES, type FindingsIndex } from "./findings-index";
import { mutedMask } from "./findings-muted";
import type { FindingsQuery, SortKey } from "./findings-params";
import { firstSeen } from "./history-first-seen";
import { requireSucceededScan } from "./scan-state";
import type { Store } from "./store";

export interface FindingItem {
  id: number;
  scanId: string;
  controlId: string;
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  kind: string;
  severity: string;
  status: string;
  reason: string | null;
  muted: boolean;
  /** IDs of the active exceptions that mute it. */
  mutedBy: string[];
  message: string;
  evidence: unknown[];
  /** For failing findings: when the current unbroken run of failures began (earliest scan). */
  firstSeenAt: string | null;
  firstSeenScanId: string | null;
}

export type FacetCounts = Record<string, number>;

export interface Facets {
  status: FacetCounts;
  severity: FacetCounts;
  controlId: FacetCounts;
  subscriptionId: FacetCounts;
  kind: FacetCounts;
  muted: FacetCounts;
}

export interface FindingsPage {
  items: FindingItem[];
  total: number;
  page: number;
  pageSize: number;
  facets: Facets;
}

const STATUS_RANK = [2, 0, 1, 3]; // by STATUSES index: fail, unknown, pass, not_applicable
const byName = (ix: FindingsIndex, i: number) => ix.resources[ix.resource[i]]?.name.toLowerCase() ?? "";

function comparator(ix: FindingsIndex, key: SortKey): (a: number, b: number) => number {
  const cmpStr = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const primary: Record<SortKey, (a: number, b: number) => number> = {
    severity: (a, b) => ix.severity[a] - ix.severity[b] || STATUS_RANK[ix.status[a]] - STATUS_RANK[ix.status[b]],
    status: (a, b) => STATUS_RANK[ix.status[a]] - STATUS_RANK[ix.status[b]] || ix.severity[a] - ix.severity[b],
    controlId: (a, b) => ix.control[a] - ix.control[b],
    resource: (a, b) => cmpStr(byName(ix, a), byName(ix, b)) || cmpStr(ix.resources[ix.resource[a]]?.key ?? "", ix.resources[ix.resource[b]]?.key ?? ""),
    subscription: (a, b) => cmpStr(ix.subKeys[ix.sub[a]], ix.subKeys[ix.sub[b]]),
    kind: (a, b) => cmpStr(ix.kinds[ix.kind[a]], ix.kinds[ix.kind[b]]),
  };
  const p = primary[key];
  return (a, b) => p(a, b) || cmpStr(byName(ix, a), byName(ix, b)) || ix.resource[a] - ix.resource[b] || ix.control[a] - ix.control[b] || ix.ids[a] - ix.ids[b];
}

function sortedOrder(ix: FindingsIndex, key: SortKey): Uint32Array {
  let order = ix.sorted.get(key);
  if (!order) {
    const all = Array.from({ length: ix.size }, (_, i) => i);
    all.sort(comparator(ix, key));
    order = Uint32Array.from(all);
    ix.sorted.set(key, order);
  }
  return order;
}

/** A membership test over an index's value list: undefined means "no filter on this dimension". */
function allowed(list: readonly string[], wanted: readonly string[] | undefined, lower = false): Uint8Array | undefined {
  if (!wanted) return undefined;
  const set = new Set(wanted.map((w) => (lower ? w.toLowerCase() : w)));
  return Uint8Array.from(list, (v) => (set.has(lower ? v.toLowerCase() : v) ? 1 : 0));
}

export async function queryFindings(store: Store, scanId: string, query: FindingsQuery): Promise<FindingsPage> {
  await requireSucceededScan(store, scanId);
  const [ix, rules] = await Promise.all([findingsIndex(store, scanId), activeExceptions(store)]);
  const mask = mutedMask(ix, rules);

  const fStatus = allowed(STATUSES, query.status);
  const fSeverity = allowed(SEVERITIES, query.severity);
  const fControl = allowed(ix.controls, query.controlId);
  const fSub = allowed(ix.subKeys, query.subscriptionId);
  const fKind = allowed(ix.kinds, query.kind, true);
  // Free text narrows by resource (name or ID) or control ID; not a facet dimension.
  let fResource: Uint8Array | undefined;
  let fTextControl: Uint8Array | undefined;
  if (query.q) {
    const q = query.q;
    fResource = Uint8Array.from(ix.resources, (r) => (r && (r.name.toLowerCase().includes(q) || r.key.includes(q)) ? 1 : 0));
    fTextControl = Uint8Array.from(ix.controls, (c) => (c.toLowerCase().includes(q) ? 1 : 0));
  }

  // One pass: a finding failing exactly one dimension's filter still counts in that dimension's facet.
  const dims = 6; // status, severity, control, sub, kind, muted
  const counts = [new Float64Array(STATUSES.length), new Float64Array(SEVERITIES.length), new Float64Array(ix.controls.length), new Float64Array(ix.subs.length), new Float64Array(ix.kinds.length), new Float64Array(2)];
  const match = new Uint8Array(ix.size);
  let total = 0;
  for (let i = 0; i < ix.size; i++) {
    if (fResource && !fResource[ix.resource[i]] && !fTextControl![ix.control[i]]) continue;
    const m = mask[i] ? 1 : 0;
    const value = [ix.status[i], ix.severity[i], ix.control[i], ix.sub[i], ix.kind[i], m];
    const ok = [
      !fStatus || fStatus[value[0]] === 1,
      !fSeverity || fSeverity[value[1]] === 1,
      !fControl || fControl[value[2]] === 1,
      !fSub || fSub[value[3]] === 1,
      !fKind || fKind[value[4]] === 1,
      query.muted === undefined || (query.muted ? m === 1 : m === 0),
    ];
    let failing = -1;
    let failures = 0;
    for (let d = 0; d < dims; d++) if (!ok[d]) { failures++; failing = d; }
    if (failures === 0) {
      match[i] = 1;
      total++;
      for (let d = 0; d < dims; d++) counts[d][value[d]]++;
    } else if (failures === 1) counts[failing][value[failing]]++;
  }

  const toRecord = (names: readonly string[], c: Float64Array, keepZero: boolean) => {
    const out: FacetCounts = {};
    names.forEach((n, i) => {
      if (keepZero || c[i] > 0) out[n] = c[i];
    });
    return out;
  };
  const facets: Facets = {
    status: toRecord(STATUSES, counts[0], true),
    severity: toRecord(SEVERITIES, counts[1], true),
    controlId: toRecord(ix.controls, counts[2], true),
    subscriptionId: toRecord(ix.subs, counts[3], true),
    kind: toRecord(ix.kinds, counts[4], false),
    muted: { false: counts[5][0], true: counts[5][1] },
  };

  // The page: walk the sorted order, skipping non-matches.
  const order = sortedOrder(ix, query.sort.key);
  const start = (query.page - 1) * query.pageSize;
  const picked: number[] = [];
  let seen = 0;
  const n = order.length;
  for (let k = 0; k < n && picked.length < query.pageSize; k++) {
    const i = order[query.sort.descending ? n - 1 - k : k];
    if (!match[i]) continue;
    if (seen++ >= start) picked.push(i);
  }
  const items = await readItems(store, ix, picked, rules);
  return { items, total, page: query.page, pageSize: query.pageSize, facets };
}

async function readItems(store: Store, ix: FindingsIndex, picked: number[], rules: StoredException[]): Promise<FindingItem[]> {
  if (picked.length === 0) return [];
  const ids = picked.map((i) => ix.ids[i]);
  const rows = await store.db.selectFrom("findings").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const seen = await firstSeen(
    store,
    ix.scanId,
    rows.filter((r) => r.status === "fail").map((r) => ({ resourceKey: r.resource_key, controlId: r.control_id })),
  );
  const items: FindingItem[] = [];
  for (const i of picked) {
    const r = byId.get(ix.ids[i]);
    if (!r) continue;
    const resource = ix.resources[ix.resource[i]];
    const subject = { controlId: r.control_id, subscriptionKey: r.subscription_key, resourceKey: r.resource_key, tags: resource?.tags ?? new Map() };
    const mutedBy = rules.filter((rule) => exceptionMatches(rule, subject)).map((rule) => rule.id);
    const fs = r.status === "fail" ? seen.get(`${r.resource_key}|${r.control_id}`) : undefined;
    items.push({
      id: Number(r.id),
      scanId: r.scan_id,
      controlId: r.control_id,
      resourceId: r.resource_id,
      resourceName: r.resource_name,
      subscriptionId: r.subscription_id,
      kind: r.kind,
      severity: r.severity,
      status: r.status,
      reason: r.reason,
      muted: mutedBy.length > 0,
      mutedBy,
      message: r.message,
      evidence: JSON.parse(r.evidence) as unknown[],
      firstSeenAt: fs?.at ?? null,
      firstSeenScanId: fs?.scanId ?? null,
    });
  }
  return items;
}
