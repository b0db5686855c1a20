/**
 * A read-only, columnar index of one succeeded scan's findings (small typed arrays, no messages or
 * evidence), loaded from the database once and kept in the store's cache. A succeeded
 * scan never changes, so the index never goes stale; filters, facets and sorting over 180,000
 * findings then take a millisecond or two, on either database. Pages are read back from the
 * database by ID.
 */
import { AGREEMENTS, AZURE_NOT_COLLECTED, AZURE_STATES, CONTROL_IDS, KINDS, SEVERITIES, SORT_KEYS, STATUSES, type FindingsIndex } from "./model";
import { sortedOrder } from "./sort";
import { sql } from "kysely";
import type { Store } from "@/lib/store/store";
import { decodeForResource } from "@/lib/store/scans/evidence-codec";
import { requireSucceededScan } from "@/lib/store/scans/state";

function indexer(list: string[], lookup: Map<string, number>, value: string, key = value): number {
  let i = lookup.get(key);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    lookup.set(key, i);
  }
  return i;
}

/** What the index reads of each finding, in this order (rows come as arrays: no object per finding); its kind and subscription are its resource row's. */
const COLUMNS = ["id", "status", "severity", "agreement", "control_id", "resource_ord"] as const;

async function load(store: Store, scanId: string): Promise<FindingsIndex> {
  const [counted, resourceRows, subRows] = await Promise.all([
    store.db
      .selectFrom("findings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("scan_id", "=", scanId)
      .executeTakeFirstOrThrow(),
    store.db
      .selectFrom("resources")
      .select(["ord", "resource_id", "resource_key", "name", "kind", "subscription_id", "subscription_key", "tags"])
      .where("scan_id", "=", scanId)
      .execute(),
    store.db.selectFrom("scan_subscriptions").select(["subscription_key", "tenant_id"]).where("scan_id", "=", scanId).execute(),
  ]);
  const findingsQuery = store.db
    .selectFrom("findings")
    .select(COLUMNS)
    // Only Azure's state is indexed: its first characters, not the whole verdict (~300 bytes a finding).
    .select(sql<string | null>`substr(azure, 1, ${sql.lit(AZURE_HEAD_CHARS)})`.as("azure_head"))
    .where("scan_id", "=", scanId)
    // The order of the index findings_scan_resource (SQLite keeps equal keys in rowid order), so the
    // database need not sort 1.8M rows first; ties between sorted findings are broken by resource
    // and control, never by this position.
    .orderBy("resource_ord")
    .orderBy("id")
    .compile();
  const tenantOf = new Map(subRows.map((s) => [s.subscription_key, s.tenant_id ?? undefined]));
  // A succeeded scan never changes, so the count holds for the rows read next.
  const n = Number(counted.n);
  const ix: FindingsIndex = {
    scanId,
    size: n,
    ids: new Float64Array(n),
    status: new Uint8Array(n),
    severity: new Uint8Array(n),
    agreement: new Uint8Array(n),
    azureState: new Uint8Array(n),
    control: new Uint16Array(n),
    kind: new Uint8Array(n),
    sub: new Uint32Array(n),
    resource: new Uint32Array(n),
    controls: [...CONTROL_IDS],
    kinds: [...KINDS],
    subs: [],
    subKeys: [],
    resources: [],
    sorted: new Map(),
  };
  const statusOf = new Map<string, number>(STATUSES.map((s, i) => [s, i]));
  const severityOf = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
  const agreementOf = new Map<string, number>(AGREEMENTS.map((a, i) => [a, i]));
  const azureStateOf = new Map<string, number>(AZURE_STATES.map((a, i) => [a, i]));
  const controlOf = new Map(ix.controls.map((c, i) => [c, i]));
  const kindOf = new Map(ix.kinds.map((k, i) => [k.toLowerCase(), i]));
  const subOf = new Map<string, number>();
  // Per resource ord: its kind's and its subscription's position in the index's lists.
  const kindAt: number[] = [];
  const subAt: number[] = [];
  for (const r of resourceRows) {
    const tags = new Map<string, string>();
    for (const [k, v] of Object.entries(JSON.parse(r.tags) as Record<string, unknown>)) if (typeof v === "string") tags.set(k.toLowerCase(), v);
    const tenant = tenantOf.get(r.subscription_key);
    const ord = Number(r.ord);
    ix.resources[ord] = {
      id: r.resource_id,
      key: r.resource_key,
      name: r.name,
      kind: r.kind,
      subscriptionId: r.subscription_id,
      subscriptionKey: r.subscription_key,
      tags,
      ...(tenant ? { tenant } : {}),
    };
    kindAt[ord] = indexer(ix.kinds, kindOf, r.kind, r.kind.toLowerCase());
    const s = indexer(ix.subs, subOf, r.subscription_id, r.subscription_key);
    if (s === ix.subKeys.length) ix.subKeys.push(r.subscription_key);
    subAt[ord] = s;
  }
  const unread: number[] = [];
  let i = 0;
  await store.eachRow(findingsQuery, (row) => {
    if (i >= n) {
      i++; // counted, not indexed: the check below refuses the index
      return;
    }
    const [id, status, severity, agreement, controlId, resourceOrd, azureHead] = row as [number, string, string, string, string, number, string | null];
    ix.ids[i] = Number(id);
    ix.status[i] = statusOf.get(status) ?? 0;
    ix.severity[i] = severityOf.get(severity) ?? 2;
    // Scans stored before Azure's verdicts were read carry the column default, not_collected.
    ix.agreement[i] = agreementOf.get(agreement) ?? 0;
    if (azureHead === null) ix.azureState[i] = AZURE_NOT_COLLECTED;
    else {
      const state = STATE_AT_START.exec(azureHead)?.[1];
      if (state === undefined) unread.push(i);
      else ix.azureState[i] = azureStateOf.get(state) ?? AZURE_NOT_COLLECTED;
    }
    ix.control[i] = indexer(ix.controls, controlOf, controlId);
    const ord = Number(resourceOrd);
    if (kindAt[ord] === undefined) throw new Error(`A finding of scan ${scanId} points at resource #${ord}, which the scan does not hold.`);
    ix.kind[i] = kindAt[ord];
    ix.sub[i] = subAt[ord];
    ix.resource[i] = ord;
    i++;
  });
  if (i !== n) {
    // Removed meanwhile (retention) reads as the scan not found; anything else is a broken promise.
    await requireSucceededScan(store, scanId);
    throw new Error(`Scan ${scanId} had ${n} findings, then ${i}: a succeeded scan should never change.`);
  }
  // A verdict whose text does not open with its state: read it whole (only the state is used, so the
  // resource ID the column leaves out need not be put back).
  for (let from = 0; from < unread.length; from += 500) {
    const part = unread.slice(from, from + 500);
    const whole = await store.db
      .selectFrom("findings")
      .select(["id", "azure"])
      .where(
        "id",
        "in",
        part.map((i) => ix.ids[i]),
      )
      .execute();
    const textOf = new Map(whole.map((w) => [Number(w.id), w.azure]));
    for (const i of part) {
      const text = textOf.get(ix.ids[i]);
      ix.azureState[i] =
        text == null ? AZURE_NOT_COLLECTED : (azureStateOf.get((decodeForResource(text, "") as { state?: string }).state ?? "") ?? AZURE_NOT_COLLECTED);
    }
  }
  return ix;
}

/** How much of a stored verdict is read for the index: `{"state":"` and the longest state name, with room to spare. */
const AZURE_HEAD_CHARS = 48;
/** The state as JSON.stringify writes a verdict (`{"state":"compliant","sources":[…]}`): its first member. */
const STATE_AT_START = /^\{"state":"([a-z_]+)"/;

/** The index of a succeeded scan (the caller checks the status: only finished scans are immutable). */
export function findingsIndex(store: Store, scanId: string): Promise<FindingsIndex> {
  return store.cache.get(
    ["findings-index", scanId],
    // Every sort order is built with the index, so no page pays for a first sort.
    async () => {
      const ix = await load(store, scanId);
      for (const key of SORT_KEYS) sortedOrder(ix, key);
      return ix;
    },
    (ix) => ix.size + ix.resources.length,
  );
}
