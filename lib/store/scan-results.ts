/**
 * Writing a finished scan: subscriptions, resources (with their evidence documents) and findings,
 * in batches under the still-running scan, then the status flip in the same transaction as the
 * last batch. Readers only look at succeeded scans, so they see all of a scan or none of it.
 */
import { CompiledQuery, type Kysely, type Transaction } from "kysely";
import type { SnapshotError } from "../posture/snapshot";
import { encodeEvidence } from "./evidence-codec";
import type { Database } from "./schema";
import type { ScanSummary } from "./scans";
import { nowIso, type Store } from "./store";

export interface SubscriptionResult {
  subscriptionId: string;
  displayName: string | null;
  score: number | null;
  resources: number;
  counts: { pass: number; fail: number; unknown: number; not_applicable: number; muted?: number };
  coverage?: Record<string, number>;
}

export interface ResourceResult {
  id: string;
  name: string;
  kind: string;
  location: string | null;
  subscriptionId: string;
  resourceGroup: string | null;
  score: number | null;
  tags: Readonly<Record<string, string>>;
  /** The account document and its linked documents, as collected. */
  documents: unknown;
}

export interface FindingResult {
  controlId: string;
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  severity: string;
  status: string;
  reason: string | null;
  message: string;
  evidence: readonly unknown[];
  kind: string;
}

export interface ScanResultData {
  tenantId: string | null;
  collectedAt: string | null;
  /** The finish time the result (and its hash) was built with; stored as the scan's finishedAt. */
  finishedAt?: string;
  summary: ScanSummary;
  resultSha256: string;
  errors: readonly SnapshotError[];
  stats?: unknown;
  subscriptions: readonly SubscriptionResult[];
  resources: readonly ResourceResult[];
  findings: readonly FindingResult[];
}

export class ScanNoLongerRunningError extends Error {
  constructor(id: string) {
    super(`Scan ${id} was cancelled or ended before its results were stored`);
    this.name = "AbortError";
  }
}

/** Parameters per statement stay under SQLite's 32,766 and PostgreSQL's 65,535 limits. */
const MAX_PARAMS = 30_000;

type Table = "scan_subscriptions" | "resources" | "findings";
type Row = Record<string, unknown>;
interface Batch {
  table: Table;
  /** Written with the database's bulk loader (COPY) rather than INSERT. */
  bulk?: boolean;
  /** Rows are built when the batch runs, so preparing one overlaps writing another. */
  make(): Row[];
  size: number;
}

function plan<T>(table: Table, items: readonly T[], columns: number, toRow: (item: T, index: number) => Row, bulk = false): Batch[] {
  const size = bulk ? BULK_ROWS : Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: Batch[] = [];
  for (let i = 0; i < items.length; i += size) {
    const start = i;
    const part = items.slice(i, i + size);
    out.push({ table, bulk, size: part.length, make: () => part.map((item, j) => toRow(item, start + j)) });
  }
  return out;
}

/** Rows per COPY. */
const BULK_ROWS = 20_000;

/** Findings: bulk-loaded where possible, except a last INSERT batch that commits with the status flip. */
function planFindings(store: Store, findings: readonly FindingResult[], toRow: (f: FindingResult) => Row): Batch[] {
  if (!store.bulkInsert || findings.length <= 2000) return plan("findings", findings, 14, toRow);
  const tail = findings.length - 2000;
  return [...plan("findings", findings.slice(0, tail), 14, toRow, true), ...plan("findings", findings.slice(tail), 14, toRow)];
}

/** SQL text per (dialect, table, row count): compiling a 2,000-row insert is costly, reusing it is free. */
const sqlCache = new Map<string, string>();

async function insert(db: Kysely<Database> | Transaction<Database>, dialect: string, batch: Batch): Promise<void> {
  const rows = batch.make();
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const key = `${dialect}:${batch.table}:${rows.length}:${columns.join(",")}`;
  let text = sqlCache.get(key);
  const params: unknown[] = new Array(rows.length * columns.length);
  let p = 0;
  for (const row of rows) for (const c of columns) params[p++] = row[c];
  if (text === undefined) {
    const compiled = db.insertInto(batch.table).values(rows as never).compile();
    // Our flattening must be exactly Kysely's (row-major, column order of the first row).
    if (compiled.parameters.length !== params.length || compiled.parameters.some((v, i) => v !== params[i])) {
      await db.executeQuery(compiled);
      return;
    }
    text = compiled.sql;
    if (sqlCache.size > 64) sqlCache.clear();
    sqlCache.set(key, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, params));
}

const key = (id: string) => id.trim().toLowerCase();

function findingRow(scanId: string, ords: Map<string, number>) {
  return (f: FindingResult): Row => ({
    scan_id: scanId,
    control_id: f.controlId,
    resource_ord: ords.get(key(f.resourceId)) ?? -1,
    resource_id: f.resourceId,
    resource_key: key(f.resourceId),
    resource_name: f.resourceName,
    subscription_id: f.subscriptionId,
    subscription_key: key(f.subscriptionId),
    severity: f.severity,
    status: f.status,
    reason: f.reason,
    message: f.message,
    evidence: encodeEvidence(f.evidence, f.resourceId),
    kind: f.kind,
  });
}

function resourceRow(scanId: string) {
  return (r: ResourceResult, ord: number): Row => ({
    scan_id: scanId,
    ord,
    resource_key: key(r.id),
    resource_id: r.id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    subscription_id: r.subscriptionId,
    subscription_key: key(r.subscriptionId),
    resource_group: r.resourceGroup,
    score: r.score,
    tags: JSON.stringify(r.tags ?? {}),
    documents: JSON.stringify(r.documents ?? null),
  });
}

function subscriptionRow(scanId: string) {
  return (s: SubscriptionResult): Row => ({
    scan_id: scanId,
    subscription_key: key(s.subscriptionId),
    subscription_id: s.subscriptionId,
    display_name: s.displayName,
    state: null,
    score: s.score,
    resources: s.resources,
    counts: JSON.stringify({ pass: s.counts.pass, fail: s.counts.fail, unknown: s.counts.unknown, not_applicable: s.counts.not_applicable }),
    coverage: s.coverage ? JSON.stringify(s.coverage) : null,
  });
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Rows written so far and in all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/**
 * Stores the results and marks the scan succeeded. Throws ScanNoLongerRunningError (name
 * "AbortError") if the scan was cancelled or ended meanwhile; the caller then removes the rows.
 */
export async function writeScanResults(store: Store, scanId: string, data: ScanResultData, options: WriteOptions = {}): Promise<void> {
  // One row per resource (a repeated ID in other casing keeps the first); findings point at it by ord.
  const resources = new Map<string, ResourceResult>();
  for (const r of data.resources) if (!resources.has(key(r.id))) resources.set(key(r.id), r);
  for (const f of data.findings) {
    if (resources.has(key(f.resourceId))) continue;
    resources.set(key(f.resourceId), {
      id: f.resourceId, name: f.resourceName, kind: f.kind, location: null, subscriptionId: f.subscriptionId,
      resourceGroup: null, score: null, tags: {}, documents: null,
    });
  }
  const ords = new Map([...resources.keys()].map((k, i) => [k, i]));
  const subs = new Map<string, SubscriptionResult>();
  for (const s of data.subscriptions) if (!subs.has(key(s.subscriptionId))) subs.set(key(s.subscriptionId), s);
  const work: Batch[] = [
    ...plan("scan_subscriptions", [...subs.values()], 9, subscriptionRow(scanId)),
    ...plan("resources", [...resources.values()], 13, resourceRow(scanId)),
    ...planFindings(store, data.findings, findingRow(scanId, ords)),
  ];
  const total = work.reduce((n, b) => n + b.size, 0);
  const last = work.pop();
  let done = 0;
  // PostgreSQL writes batches on several connections at once; SQLite has one writer anyway.
  const parallel = store.dialect === "postgres" ? 2 : 1;
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const batch = work[next++];
      options.signal?.throwIfAborted();
      if (batch.bulk && store.bulkInsert) {
        const rows = batch.make();
        const columns = Object.keys(rows[0]);
        await store.bulkInsert(batch.table, columns, rows.map((r) => columns.map((c) => r[c])));
      } else await store.db.transaction().execute((trx) => insert(trx, store.dialect, batch));
      done += batch.size;
      await options.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  options.signal?.throwIfAborted();
  await store.db.transaction().execute(async (trx) => {
    if (last) await insert(trx, store.dialect, last);
    const now = nowIso(store);
    const finishedAt = data.finishedAt ?? now;
    const r = await trx
      .updateTable("scans")
      .set({
        status: "succeeded",
        active_scope: null,
        finished_at: finishedAt,
        heartbeat_at: now,
        phase: "done",
        done: total,
        total,
        tenant_id: data.tenantId,
        collected_at: data.collectedAt,
        summary: JSON.stringify(data.summary),
        result_sha256: data.resultSha256,
        errors: JSON.stringify(data.errors),
        stats: data.stats === undefined ? null : JSON.stringify(data.stats),
        subscription_scores: JSON.stringify([...subs.values()].map((x) => [x.subscriptionId, x.score, x.resources, x.displayName])),
      })
      .where("id", "=", scanId)
      .where("status", "=", "running")
      .where("cancel_requested", "=", 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new ScanNoLongerRunningError(scanId);
  });
  await options.onProgress?.(total, total);
}
