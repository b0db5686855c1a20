/**
 * Writing a finished scan: resources (with their evidence documents) and findings in batches under
 * the still-running scan, as they are evaluated, then its subscriptions and the status flip in one
 * transaction. Readers only look at succeeded scans, so they see all of a scan or none of it.
 */
import { CompiledQuery, type Kysely, type Transaction } from "kysely";
import type { SnapshotError } from "@/lib/posture/snapshot";
import { encodeEvidence, encodeForResource } from "./evidence-codec";
import type { Database } from "@/lib/store/db/schema";
import { storedExportHash, type ScanSummary } from "./scans";
import { nowIso, type Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";
import { SEVERITY_WEIGHT } from "@/lib/posture/score";
import type { Severity } from "@/lib/posture/vocabulary";

export interface SubscriptionResult {
  subscriptionId: string;
  displayName: string | null;
  score: number | null;
  resources: number;
  counts: { pass: number; fail: number; unknown: number; not_applicable: number; muted?: number };
  coverage?: Record<string, number>;
  /** The subscription's own tenant (snapshot `subscriptions[].tenantId`, else the snapshot's). */
  tenantId?: string | null;
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
  /** Only for a finding whose resource is not listed: the name of the resource row made from it (a listed resource's row has its own). */
  resourceName?: string;
  subscriptionId: string;
  severity: string;
  status: string;
  reason: string | null;
  message: string;
  evidence: readonly unknown[];
  /** Only for a finding whose resource is not listed, as `resourceName`. */
  kind?: string;
  azure: unknown;
  agreement: string;
}

export interface ScanResultData {
  /** The control catalogue version the findings were judged with (`result.scan.catalogVersion`). */
  catalogVersion: number;
  tenantId: string | null;
  collectedAt: string | null;
  /** The finish time the result (and its hash) was built with; stored as the scan's finishedAt. */
  finishedAt?: string;
  summary: ScanSummary;
  resultSha256: string;
  /** SHA-256 of the JSON export while no exception is in force (the result plus empty exception lists). */
  exportSha256?: string;
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
/**
 * Rows per bulk-loader call (a piece of a streamed scan, 500 accounts, fits in one of each).
 * Resource rows carry each account's documents (~4.5 KB), so a whole result's go in smaller
 * batches that spread over the parallel connections instead of queueing on one.
 */
const BULK_ROWS: Record<Table, number> = { scan_subscriptions: 20_000, resources: 2_000, findings: 20_000 };

type Table = "scan_subscriptions" | "resources" | "findings";
type Values = unknown[];

interface Batch {
  table: Table;
  columns: readonly string[];
  /** Written with the database's bulk loader rather than INSERT. */
  bulk: boolean;
  size: number;
  /** Rows (values in `columns` order) are built when the batch runs, so memory stays flat. */
  make(): Values[];
}

function plan<T>(table: Table, columns: readonly string[], items: readonly T[], toRow: (item: T, index: number) => Values, bulk: boolean, offset = 0): Batch[] {
  const size = bulk ? BULK_ROWS[table] : Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const out: Batch[] = [];
  for (let i = 0; i < items.length; i += size) {
    const start = i;
    const part = items.slice(i, i + size);
    out.push({ table, columns, bulk, size: part.length, make: () => part.map((item, j) => toRow(item, offset + start + j)) });
  }
  return out;
}

/** SQL text per (dialect, table, row count): compiling a 2,000-row insert is costly, reusing it is free. */
const sqlCache = new Map<string, string>();

async function insert(db: Kysely<Database> | Transaction<Database>, dialect: string, batch: Batch): Promise<void> {
  const rows = batch.make();
  if (rows.length === 0) return;
  const { columns } = batch;
  const cacheKey = `${dialect}:${batch.table}:${rows.length}:${columns.join(",")}`;
  const params = rows.flat();
  let text = sqlCache.get(cacheKey);
  if (text === undefined) {
    const objects = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    const compiled = db
      .insertInto(batch.table)
      .values(objects as never)
      .compile();
    // Our flattening must be exactly Kysely's (row-major, columns in order).
    if (compiled.parameters.length !== params.length || compiled.parameters.some((v, i) => v !== params[i])) {
      await db.executeQuery(compiled);
      return;
    }
    text = compiled.sql;
    if (sqlCache.size > 64) sqlCache.clear();
    sqlCache.set(cacheKey, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, params));
}

/** Resource and subscription keys are `idKey`s, as every lookup computes them. */
const key = idKey;

const FINDING_COLUMNS = [
  "scan_id",
  "control_id",
  "resource_ord",
  "resource_id",
  "subscription_id",
  "severity",
  "status",
  "reason",
  "message",
  "evidence",
  "azure",
  "agreement",
] as const;

/** What a finding row takes from its resource's row (the row keeps only the ord, and its own spelling where it differs). */
interface ResourceRef {
  ord: number;
  id: string;
  subscriptionId: string;
  subscriptionKey: string;
}

/**
 * Row builder for findings. A scan lists each resource's findings together, so the resource is
 * looked up once per resource, and an evidence list shared by several of its findings is encoded
 * once. A finding's resource ID and subscription ID are stored only where it spells them otherwise
 * than its resource row; its name and kind are always the row's.
 */
function findingRow(scanId: string, resourceOf: (key: string) => ResourceRef, keyOf: (id: string) => string) {
  let resourceId: string | undefined;
  let resource: ResourceRef = { ord: -1, id: "", subscriptionId: "", subscriptionKey: "" };
  let subscriptionId: string | undefined;
  const encoded = new Map<readonly unknown[], string>();
  return (f: FindingResult): Values => {
    if (f.resourceId !== resourceId) {
      resourceId = f.resourceId;
      resource = resourceOf(keyOf(resourceId));
      subscriptionId = undefined;
      encoded.clear();
    }
    if (f.subscriptionId !== subscriptionId) {
      // Reads find a finding's subscription through its resource row: they must agree.
      if (keyOf(f.subscriptionId) !== resource.subscriptionKey) {
        throw new Error(`Finding ${f.controlId} of ${f.resourceId} names subscription ${f.subscriptionId}, but its resource is in ${resource.subscriptionId}.`);
      }
      subscriptionId = f.subscriptionId;
    }
    let evidence = encoded.get(f.evidence);
    if (evidence === undefined) encoded.set(f.evidence, (evidence = encodeEvidence(f.evidence, resourceId)));
    return [
      scanId,
      f.controlId,
      resource.ord,
      resourceId === resource.id ? null : resourceId,
      subscriptionId === resource.subscriptionId ? null : subscriptionId,
      f.severity,
      f.status,
      f.reason,
      f.message,
      evidence,
      f.azure === null || f.azure === undefined ? null : encodeForResource(f.azure, resourceId),
      f.agreement,
    ];
  };
}

/** `key` memoised: a scan repeats each resource and subscription ID many times. */
function memoKey(): (id: string) => string {
  const keys = new Map<string, string>();
  return (id) => {
    let k = keys.get(id);
    if (k === undefined) keys.set(id, (k = key(id)));
    return k;
  };
}

const RESOURCE_COLUMNS = [
  "scan_id",
  "ord",
  "resource_key",
  "resource_id",
  "name",
  "kind",
  "location",
  "subscription_id",
  "subscription_key",
  "resource_group",
  "score",
  "tags",
  "documents",
] as const;

function resourceRow(scanId: string) {
  return (r: ResourceResult, ord: number): Values => [
    scanId,
    ord,
    key(r.id),
    r.id,
    r.name,
    r.kind,
    r.location,
    r.subscriptionId,
    key(r.subscriptionId),
    r.resourceGroup,
    r.score,
    JSON.stringify(r.tags ?? {}),
    JSON.stringify(r.documents ?? null),
  ];
}

const SUBSCRIPTION_COLUMNS = [
  "scan_id",
  "subscription_key",
  "subscription_id",
  "display_name",
  "state",
  "score",
  "resources",
  "counts",
  "coverage",
  "tenant_id",
] as const;

function subscriptionRow(scanId: string) {
  return (s: SubscriptionResult): Values => [
    scanId,
    key(s.subscriptionId),
    s.subscriptionId,
    s.displayName,
    null,
    s.score,
    s.resources,
    JSON.stringify({ pass: s.counts.pass, fail: s.counts.fail, unknown: s.counts.unknown, not_applicable: s.counts.not_applicable }),
    s.coverage ? JSON.stringify(s.coverage) : null,
    s.tenantId ? s.tenantId.toLowerCase() : null,
  ];
}

/**
 * The scan's compact per-subscription row for the trend: `[id, score, resources, name, tenant,
 * pass weight, judged weight]`. The weights (the score's numerator and denominator) let the trend
 * score any group of subscriptions, such as one tenant of an estate, by the contract's rule.
 */
export type SubscriptionScoreRow = [string, number | null, number, string | null, string | null, number, number];

export interface WriteOptions {
  signal?: AbortSignal;
  /** Runs in the transaction that makes the scan visible, once its status has flipped (e.g. removing what it was built from). */
  whenStored?: (trx: Transaction<Database>) => Promise<void>;
  /** Rows written so far and in all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** Everything a stored scan keeps besides its resources and findings (those go to a ScanResultsWriter piece by piece). */
export type ScanResultTotals = Omit<ScanResultData, "resources" | "findings">;

/**
 * Stores the results and marks the scan succeeded. Throws ScanNoLongerRunningError (name
 * "AbortError") if the scan was cancelled or ended meanwhile; the caller then removes the rows.
 */
export async function writeScanResults(store: Store, scanId: string, data: ScanResultData, options: WriteOptions = {}): Promise<void> {
  const writer = new ScanResultsWriter(store, scanId, { ...options, total: data.subscriptions.length + data.resources.length + data.findings.length });
  try {
    await writer.addResources(data.resources);
    await writer.addFindings(data.findings);
    await writer.finish(data);
  } finally {
    await writer.settled();
  }
}

/**
 * Writes a scan's rows as they come — resources, then the findings that point at them by ord —
 * under the still-running scan, and in `finish` its subscriptions and the status flip in one
 * transaction: readers only look at succeeded scans, so they see all of a scan or none of it.
 * Each `add…` returns once its rows are written or in flight (PostgreSQL loads on two connections
 * at once, SQLite has one writer anyway), so the caller can evaluate the next piece meanwhile and
 * never holds more than that. After a failure, `settled()` waits for what is still in flight before
 * the caller removes the scan's rows.
 */
export class ScanResultsWriter {
  private readonly keyOf = memoKey();
  /** One row per resource (a repeated ID in other casing keeps the first); findings point at it by ord. */
  private readonly resources = new Map<string, ResourceRef>();
  /** Per subscription key: the pass and judged weights of its findings (the trend's score of any group of subscriptions). */
  private readonly weights = new Map<string, [number, number]>();
  private readonly parallel: number;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private done = 0;
  private total: number;

  constructor(
    private readonly store: Store,
    private readonly scanId: string,
    private readonly options: WriteOptions & { total: number },
  ) {
    this.parallel = store.dialect === "postgres" ? 2 : 1;
    this.total = options.total;
  }

  async addResources(resources: readonly ResourceResult[]): Promise<void> {
    const added: ResourceResult[] = [];
    for (const r of resources) {
      const key = this.keyOf(r.id);
      if (this.resources.has(key)) continue;
      this.resources.set(key, { ord: this.resources.size, id: r.id, subscriptionId: r.subscriptionId, subscriptionKey: this.keyOf(r.subscriptionId) });
      added.push(r);
    }
    this.total -= resources.length - added.length;
    if (added.length === 0) return;
    const first = this.resources.get(this.keyOf(added[0].id))!.ord;
    for (const batch of plan("resources", RESOURCE_COLUMNS, added, resourceRow(this.scanId), this.bulk, first)) await this.enqueue(batch);
  }

  async addFindings(findings: readonly FindingResult[]): Promise<void> {
    // A finding whose resource is not listed gets a row of its own, from what the finding says.
    const unlisted = new Map<string, ResourceResult>();
    for (const f of findings) {
      const key = this.keyOf(f.resourceId);
      if (this.resources.has(key) || unlisted.has(key)) continue;
      unlisted.set(key, {
        id: f.resourceId,
        name: f.resourceName ?? f.resourceId,
        kind: f.kind ?? "",
        location: null,
        subscriptionId: f.subscriptionId,
        resourceGroup: null,
        score: null,
        tags: {},
        documents: null,
      });
    }
    if (unlisted.size > 0) {
      this.total += unlisted.size;
      await this.addResources([...unlisted.values()]);
    }
    this.countWeights(findings);
    const row = findingRow(this.scanId, (key) => this.resources.get(key)!, this.keyOf);
    for (const batch of plan("findings", FINDING_COLUMNS, findings, row, this.bulk)) await this.enqueue(batch);
  }

  /** Writes the subscriptions and flips the scan to succeeded, with `whenStored`, in one transaction. */
  async finish(data: ScanResultTotals): Promise<void> {
    const { store, scanId, options } = this;
    await this.drain();
    options.signal?.throwIfAborted();
    const subs = new Map<string, SubscriptionResult>();
    for (const s of data.subscriptions) if (!subs.has(key(s.subscriptionId))) subs.set(key(s.subscriptionId), s);
    const subscriptionBatches = plan("scan_subscriptions", SUBSCRIPTION_COLUMNS, [...subs.values()], subscriptionRow(scanId), false);
    // Every other row is written by now: the total is what was written, whatever the caller expected.
    this.total = this.done + subs.size;
    await store.db.transaction().execute(async (trx) => {
      for (const batch of subscriptionBatches) await insert(trx, store.dialect, batch);
      const now = nowIso(store);
      const finishedAt = data.finishedAt ?? now;
      const r = await trx
        .updateTable("scans")
        .set({
          status: "succeeded",
          active_scope: null,
          finished_at: finishedAt,
          ended_at: now,
          heartbeat_at: now,
          phase: "done",
          done: this.total,
          total: this.total,
          tenant_id: data.tenantId,
          collected_at: data.collectedAt,
          summary: JSON.stringify(data.summary),
          result_sha256: data.resultSha256,
          export_sha256: data.exportSha256 ? storedExportHash(data.exportSha256, data.catalogVersion) : null,
          catalog_version: data.catalogVersion,
          errors: JSON.stringify(data.errors),
          stats: data.stats === undefined ? null : JSON.stringify(data.stats),
          subscription_scores: JSON.stringify(this.subscriptionScores(subs)),
        })
        .where("id", "=", scanId)
        .where("status", "=", "running")
        .where("cancel_requested", "=", 0)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new ScanNoLongerRunningError(scanId);
      await options.whenStored?.(trx);
    });
    await options.onProgress?.(this.total, this.total);
  }

  /** Resolves once nothing this writer started is still running (never rejects). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private get bulk(): boolean {
    return !!this.store.bulkInsert;
  }

  /** Starts a batch once fewer than `parallel` are in flight; throws the first failure of any batch. */
  private async enqueue(batch: Batch): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.size >= this.parallel) {
      await Promise.race(this.inFlight);
      this.throwIfFailed();
    }
    const running: Promise<void> = this.write(batch).then(
      () => void this.inFlight.delete(running),
      (error: unknown) => {
        this.inFlight.delete(running);
        this.failure ??= { error };
      },
    );
    this.inFlight.add(running);
  }

  private async drain(): Promise<void> {
    await this.settled();
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private async write(batch: Batch): Promise<void> {
    const { store, options } = this;
    options.signal?.throwIfAborted();
    if (batch.bulk && store.bulkInsert) await store.bulkInsert(batch.table, batch.columns, batch.make());
    else await store.db.transaction().execute((trx) => insert(trx, store.dialect, batch));
    this.done += batch.size;
    await options.onProgress?.(this.done, this.total);
  }

  private countWeights(findings: readonly FindingResult[]): void {
    for (const f of findings) {
      if (f.status !== "pass" && f.status !== "fail") continue;
      const k = this.keyOf(f.subscriptionId);
      let w = this.weights.get(k);
      if (!w) this.weights.set(k, (w = [0, 0]));
      const weight = SEVERITY_WEIGHT[f.severity as Severity] ?? 0;
      if (f.status === "pass") w[0] += weight;
      w[1] += weight;
    }
  }

  private subscriptionScores(subs: ReadonlyMap<string, SubscriptionResult>): SubscriptionScoreRow[] {
    return [...subs.entries()].map(([k, x]) => {
      const [pass, judged] = this.weights.get(k) ?? [0, 0];
      // The same tenant as the subscription's row (scan_subscriptions.tenant_id), so `tenant=` agrees.
      return [x.subscriptionId, x.score, x.resources, x.displayName, x.tenantId ? x.tenantId.toLowerCase() : null, pass, judged];
    });
  }
}
