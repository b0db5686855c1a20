/**
 * One page of a scan's findings with facet counts: filter, sort and count over the scan's
 * findings index, then read the page's rows (message, evidence) from the database. Exceptions
 * are applied here, at read time: `muted` never changes `status`.
 */
import { decodeEvidence, decodeForResource } from "@/lib/store/scans/evidence-codec";
import { activeExceptions, type StoredException } from "@/lib/store/exceptions";
import { matches } from "@/lib/posture/exceptions";
import { AGREEMENTS, SEVERITIES, STATUSES, type Agreement } from "@/lib/posture/vocabulary";
import type { AzureVerdict } from "@/lib/posture/azure-verdicts";
import type { FindingsIndex } from "./model";
import { findingsIndex } from "./scan-index";
import { sortedOrder } from "./sort";
import { mutedMask } from "./muted";
import type { FindingsGroup, FindingsQuery } from "./params";
import { firstSeen } from "@/lib/store/history/first-seen";
import { requireSucceededScan } from "@/lib/store/scans/state";
import { dependencyTextMatches } from "@/lib/store/dependencies";
import type { Store } from "@/lib/store/store";
import { tenantSubscriptionKeys } from "@/lib/store/tenants";

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
  /** Azure's own verdict; null when neither Azure Policy nor Defender was collected. */
  azure: AzureVerdict | null;
  agreement: Agreement;
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
  agreement: FacetCounts;
}

/** One group of a grouped page: its key (control ID, resource ID or subscription ID), how many findings match in it across all pages, and how many are on this page. */
export interface FindingsGroupCount {
  key: string;
  total: number;
  onPage: number;
}

export interface FindingsPage {
  items: FindingItem[];
  total: number;
  /** With `group`: the groups on this page, in page order. */
  groups?: FindingsGroupCount[];
  page: number;
  pageSize: number;
  facets: Facets;
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
  const fAgreement = allowed(AGREEMENTS, query.agreement);
  // A tenant narrows to its subscriptions; like free text, it is not a facet dimension.
  let fTenant: Uint8Array | undefined;
  if (query.tenant) {
    const keys = new Set(await tenantSubscriptionKeys(store, scanId, query.tenant));
    fTenant = Uint8Array.from(ix.subKeys, (k) => (keys.has(k) ? 1 : 0));
  }
  // Free text narrows by resource (its name or ID, or a linked storage account's or key vault's) or control ID; not a facet dimension.
  let fResource: Uint8Array | undefined;
  let fTextControl: Uint8Array | undefined;
  if (query.q) {
    const q = query.q;
    const linked = await dependencyTextMatches(store, scanId, q, ix.resources.length);
    fResource = Uint8Array.from(ix.resources, (r, ord) => ((r && (r.name.toLowerCase().includes(q) || r.key.includes(q))) || linked[ord] ? 1 : 0));
    fTextControl = Uint8Array.from(ix.controls, (c) => (c.toLowerCase().includes(q) ? 1 : 0));
  }

  // One pass: a finding failing exactly one dimension's filter still counts in that dimension's facet.
  const cStatus = new Float64Array(STATUSES.length);
  const cSeverity = new Float64Array(SEVERITIES.length);
  const cControl = new Float64Array(ix.controls.length);
  const cSub = new Float64Array(ix.subs.length);
  const cKind = new Float64Array(ix.kinds.length);
  const cMuted = new Float64Array(2);
  const cAgreement = new Float64Array(AGREEMENTS.length);
  const counts = [cStatus, cSeverity, cControl, cSub, cKind, cMuted, cAgreement];
  const match = new Uint8Array(ix.size);
  const wantMuted = query.muted === undefined ? -1 : query.muted ? 1 : 0;
  let total = 0;
  for (let i = 0; i < ix.size; i++) {
    if (fTenant && !fTenant[ix.sub[i]]) continue;
    if (fResource && !fResource[ix.resource[i]] && !fTextControl![ix.control[i]]) continue;
    const st = ix.status[i],
      sv = ix.severity[i],
      co = ix.control[i],
      su = ix.sub[i],
      ki = ix.kind[i],
      ag = ix.agreement[i];
    const m = mask[i] ? 1 : 0;
    let failures = 0;
    let failing = -1;
    if (fStatus && fStatus[st] !== 1) {
      failures++;
      failing = 0;
    }
    if (fSeverity && fSeverity[sv] !== 1) {
      failures++;
      failing = 1;
    }
    if (fControl && fControl[co] !== 1) {
      failures++;
      failing = 2;
    }
    if (fSub && fSub[su] !== 1) {
      failures++;
      failing = 3;
    }
    if (fKind && fKind[ki] !== 1) {
      failures++;
      failing = 4;
    }
    if (wantMuted !== -1 && m !== wantMuted) {
      failures++;
      failing = 5;
    }
    if (fAgreement && fAgreement[ag] !== 1) {
      failures++;
      failing = 6;
    }
    if (failures === 0) {
      match[i] = 1;
      total++;
      cStatus[st]++;
      cSeverity[sv]++;
      cControl[co]++;
      cSub[su]++;
      cKind[ki]++;
      cMuted[m]++;
      cAgreement[ag]++;
    } else if (failures === 1) {
      const value = failing === 0 ? st : failing === 1 ? sv : failing === 2 ? co : failing === 3 ? su : failing === 4 ? ki : failing === 5 ? m : ag;
      counts[failing][value]++;
    }
  }

  const toRecord = (names: readonly string[], c: Float64Array, keepZero: boolean, within?: Uint8Array) => {
    const out: FacetCounts = {};
    names.forEach((n, i) => {
      if (within && !within[i]) return;
      if (keepZero || c[i] > 0) out[n] = c[i];
    });
    return out;
  };
  const facets: Facets = {
    status: toRecord(STATUSES, counts[0], true),
    severity: toRecord(SEVERITIES, counts[1], true),
    controlId: toRecord(ix.controls, counts[2], true),
    // Within one tenant, only its own subscriptions are choices.
    subscriptionId: fTenant ? toRecord(ix.subs, counts[3], true, fTenant) : toRecord(ix.subs, counts[3], true),
    kind: toRecord(ix.kinds, counts[4], false),
    muted: { false: counts[5][0], true: counts[5][1] },
    agreement: toRecord(AGREEMENTS, counts[6], true),
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
  const groups = query.group ? groupCounts(ix, match, picked, query.group) : undefined;
  return { items, total, ...(groups ? { groups } : {}), page: query.page, pageSize: query.pageSize, facets };
}

/** Each group on the page with its total over every page (a count over all matches of that group's value). */
function groupCounts(ix: FindingsIndex, match: Uint8Array, picked: number[], group: FindingsGroup): FindingsGroupCount[] {
  const valueOf = group === "control" ? ix.control : group === "subscription" ? ix.sub : ix.resource;
  const keyOf = (v: number) => (group === "control" ? ix.controls[v] : group === "subscription" ? ix.subs[v] : (ix.resources[v]?.id ?? String(v)));
  const out: FindingsGroupCount[] = [];
  const onPage = new Map<number, FindingsGroupCount>();
  for (const i of picked) {
    const v = valueOf[i];
    let g = onPage.get(v);
    if (!g) {
      g = { key: keyOf(v), total: 0, onPage: 0 };
      onPage.set(v, g);
      out.push(g);
    }
    g.onPage++;
  }
  for (let i = 0; i < ix.size; i++) {
    if (!match[i]) continue;
    const g = onPage.get(valueOf[i]);
    if (g) g.total++;
  }
  return out;
}

async function readItems(store: Store, ix: FindingsIndex, picked: number[], rules: StoredException[]): Promise<FindingItem[]> {
  if (picked.length === 0) return [];
  const ids = picked.map((i) => ix.ids[i]);
  const rows = await store.db.selectFrom("findings").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  // A row's resource (key, name, kind, subscription) is the index's entry at its ord.
  const resourceOf = (r: (typeof rows)[number]) => ix.resources[Number(r.resource_ord)];
  const seen = await firstSeen(
    store,
    ix.scanId,
    rows.filter((r) => r.status === "fail").map((r) => ({ resourceKey: resourceOf(r).key, controlId: r.control_id })),
  );
  const items: FindingItem[] = [];
  for (const i of picked) {
    const r = byId.get(ix.ids[i]);
    if (!r) continue;
    const resource = resourceOf(r);
    const resourceId = r.resource_id ?? resource.id;
    const subject = {
      controlId: r.control_id,
      subscriptionKey: resource.subscriptionKey,
      resourceKey: resource.key,
      tags: resource.tags,
      tenantKey: resource.tenant,
    };
    const mutedBy = rules.filter((rule) => matches(rule, subject)).map((rule) => rule.id);
    const fs = r.status === "fail" ? seen.get(`${resource.key}|${r.control_id}`) : undefined;
    items.push({
      id: Number(r.id),
      scanId: r.scan_id,
      controlId: r.control_id,
      resourceId,
      resourceName: resource.name,
      subscriptionId: r.subscription_id ?? resource.subscriptionId,
      kind: resource.kind,
      severity: r.severity,
      status: r.status,
      reason: r.reason,
      azure: r.azure === null ? null : (decodeForResource(r.azure, resourceId) as AzureVerdict),
      agreement: r.agreement as Agreement,
      muted: mutedBy.length > 0,
      mutedBy,
      message: r.message,
      evidence: decodeEvidence(r.evidence, resourceId),
      firstSeenAt: fs?.at ?? null,
      firstSeenScanId: fs?.scanId ?? null,
    });
  }
  return items;
}
