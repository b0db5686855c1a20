/**
 * The scans table: lifecycle (queued → running → succeeded/failed/cancelled), progress, the
 * DB-enforced one-scan-per-scope guard, cancellation requests and listing.
 */
import { randomBytes } from "node:crypto";
import { CATALOG_VERSION } from "@/lib/posture/controls";
import { RESULT_VERSION } from "@/lib/posture/result";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { Selectable } from "kysely";
import { isUniqueViolation, NotFoundError, ScanConflictError } from "@/lib/store/errors";
import { recoverInterrupted } from "./recovery";
import { deleteScanChildren } from "./rows";
import type { ScanOrigin, ScanRunner, ScanSource, ScanStatus, ScansTable } from "@/lib/store/db/schema";
import { nowIso, type Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";

export interface ScanCounts {
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
  muted: number;
}

export interface ScanSummary {
  score: number | null;
  resources: number;
  counts: ScanCounts;
  /** Unknown findings by reason. */
  coverage?: Record<string, number>;
}

export interface Scan {
  id: string;
  source: ScanSource;
  /** Requested subscriptions; null means every visible one. */
  subscriptions: string[] | null;
  status: ScanStatus;
  phase: string | null;
  done: number;
  total: number;
  error: string | null;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  /** Succeeded: when the result was built (it is in the hashed result). */
  finishedAt: string | null;
  /** When the outcome was recorded: results stored, or failed / cancelled. Null for scans before this field existed. */
  endedAt: string | null;
  heartbeatAt: string | null;
  tenantId: string | null;
  collectedAt: string | null;
  summary: ScanSummary | null;
  resultSha256: string | null;
  /** Succeeded scans: the catalogue version its findings were judged with; null otherwise. */
  catalogVersion: number | null;
  /** A collection, or an uploaded snapshot file. */
  origin: ScanOrigin;
  /** Whether the scan may be the latest posture (overview, trend, "latest"): false for an import kept apart to compare. */
  inPosture: boolean;
  /** "queue": its collection runs as pg-boss jobs on any worker; "local": in the instance that started it. */
  runner: ScanRunner;
  /** A cancel was asked for and the scan has not ended yet. */
  cancelRequested: boolean;
}

export const ACTIVE_STATUSES: readonly ScanStatus[] = ["queued", "running"];
export const TERMINAL_STATUSES: readonly ScanStatus[] = ["succeeded", "failed", "cancelled"];

export function toScan(row: Selectable<ScansTable>): Scan {
  return {
    id: row.id,
    source: row.source,
    subscriptions: row.requested_subscriptions ? (JSON.parse(row.requested_subscriptions) as string[]) : null,
    status: row.status,
    phase: row.phase,
    done: Number(row.done),
    total: Number(row.total),
    error: row.error,
    startedBy: row.started_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    endedAt: row.ended_at ?? null,
    heartbeatAt: row.heartbeat_at,
    tenantId: row.tenant_id,
    collectedAt: row.collected_at,
    summary: row.summary ? (JSON.parse(row.summary) as ScanSummary) : null,
    resultSha256: row.result_sha256,
    catalogVersion: row.status === "succeeded" ? storedCatalogVersion(row.catalog_version) : null,
    origin: row.origin === "import" ? "import" : "collected",
    inPosture: Number(row.in_posture) === 1,
    runner: row.runner,
    cancelRequested: Number(row.cancel_requested) === 1,
  };
}

/** The catalogue version of a succeeded scan's row: scans stored before the column existed were judged with version 1. */
export function storedCatalogVersion(value: number | string | null | undefined): number {
  return value === null || value === undefined ? 1 : Number(value);
}

/** Scope of a collection: the source plus the sorted, lower-cased subscription list ("*" = all). */
export function scopeKeyOf(source: ScanSource, subscriptions: readonly string[] | null | undefined, scanId: string): string {
  // Each uploaded snapshot is its own scope: two uploads never block each other.
  if (source === "snapshot") return `snapshot:${scanId}`;
  const subs = subscriptions?.length ? [...new Set(subscriptions.map((s) => idKey(s)))].sort().join(",") : "*";
  return `${source}:${subs}`;
}

export interface CreateScanInput {
  source: ScanSource;
  subscriptions?: string[] | null;
  startedBy: string;
  /** An import only: whether it replaces the latest collected posture (default false: kept apart to compare). */
  replacesLatest?: boolean;
  /** Who runs it (default "local": this instance). */
  runner?: ScanRunner;
}

/** An uploaded snapshot is an import; everything else was collected. */
export const originOf = (source: ScanSource): ScanOrigin => (source === "snapshot" ? "import" : "collected");

/**
 * Inserts a queued scan holding its scope. Throws ScanConflictError with the running scan's ID
 * when the scope is taken (by this or any other instance sharing the database).
 */
export async function createScan(store: Store, input: CreateScanInput): Promise<Scan> {
  const id = randomBytes(8).toString("hex");
  const scope = scopeKeyOf(input.source, input.subscriptions, id);
  const now = nowIso(store);
  const row = {
    id,
    source: input.source,
    scope_key: scope,
    requested_subscriptions: input.subscriptions?.length ? JSON.stringify(input.subscriptions) : null,
    status: "queued" as const,
    phase: null,
    done: 0,
    total: 0,
    error: null,
    started_by: input.startedBy,
    created_at: now,
    heartbeat_at: now,
    owner: store.instanceId,
    active_scope: scope,
    cancel_requested: 0,
    origin: originOf(input.source),
    in_posture: originOf(input.source) === "collected" || input.replacesLatest === true ? 1 : 0,
    runner: input.runner ?? "local",
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await store.db.insertInto("scans").values(row).execute();
      return (await getScan(store, id))!;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const holder = await store.db.selectFrom("scans").select("id").where("active_scope", "=", scope).executeTakeFirst();
      // The holder may have died without a trace: recover once, then try again.
      if (attempt === 0 && (!holder || (await recoverInterrupted(store)).includes(holder.id))) continue;
      if (!holder) continue;
      throw new ScanConflictError(holder.id);
    }
  }
}

export async function getScan(store: Store, id: string): Promise<Scan | undefined> {
  const row = await store.db.selectFrom("scans").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toScan(row) : undefined;
}

/** The snapshot's `errors` kept with the scan (empty for none). */
export async function scanErrors(store: Store, scanId: string): Promise<SnapshotError[]> {
  const row = await store.db.selectFrom("scans").select(["errors"]).where("id", "=", scanId).executeTakeFirst();
  if (!row?.errors) return [];
  try {
    const parsed = JSON.parse(row.errors) as unknown;
    return Array.isArray(parsed) ? (parsed as SnapshotError[]) : [];
  } catch {
    return [];
  }
}

/**
 * The export's format when a hash was stored: the result version the read-back export is built
 * with and the scan's catalogue version (which a read-back keeps). A stored hash of another format
 * no longer describes what the export serves, so it is not used.
 */
export const exportFormatTag = (catalogVersion: number) => `result-v${RESULT_VERSION}.catalog-v${catalogVersion}`;

/** The tag of scans judged with this build's catalogue. */
export const EXPORT_FORMAT_TAG = exportFormatTag(CATALOG_VERSION);

/** How `export_sha256` is stored: the format tag, then the hex hash. */
export const storedExportHash = (hex: string, catalogVersion = CATALOG_VERSION) => `${exportFormatTag(catalogVersion)}:${hex}`;

/**
 * The SHA-256 of a succeeded scan's JSON export while no exception is in force, stored with its
 * results; undefined for scans stored before it was kept or in another export format.
 */
export async function storedExportSha256(store: Store, id: string): Promise<string | undefined> {
  const row = await store.db
    .selectFrom("scans")
    .select(["export_sha256", "catalog_version"])
    .where("id", "=", id)
    .where("status", "=", "succeeded")
    .executeTakeFirst();
  const value = row?.export_sha256;
  const prefix = `${exportFormatTag(storedCatalogVersion(row?.catalog_version))}:`;
  return value?.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

export async function requireScan(store: Store, id: string): Promise<Scan> {
  const scan = await getScan(store, id);
  if (!scan) throw new NotFoundError("Scan", id);
  return scan;
}

export interface ListScansOptions {
  status?: ScanStatus[];
  limit?: number;
  /** Only scans created before this ISO time (paging backwards). */
  before?: string;
  /** Only scans that count as posture (leaving out imports kept apart to compare). */
  postureOnly?: boolean;
}

/** Newest first. */
export async function listScans(store: Store, options: ListScansOptions = {}): Promise<Scan[]> {
  let q = store.db.selectFrom("scans").selectAll().orderBy("created_at", "desc").orderBy("id", "desc");
  if (options.status?.length) q = q.where("status", "in", options.status);
  if (options.before) q = q.where("created_at", "<", options.before);
  if (options.postureOnly) q = q.where("in_posture", "=", 1);
  const rows = await q.limit(Math.min(Math.max(options.limit ?? 50, 1), 500)).execute();
  return rows.map(toScan);
}

/**
 * The latest posture: the newest succeeded scan that counts as posture (what dashboards show by
 * default; an import kept apart never does), optionally of one source.
 */
export async function latestSucceededScan(store: Store, options: { source?: ScanSource } = {}): Promise<Scan | undefined> {
  let q = store.db.selectFrom("scans").selectAll().where("status", "=", "succeeded").where("in_posture", "=", 1);
  if (options.source) q = q.where("source", "=", options.source);
  const row = await q.orderBy("finished_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
  return row ? toScan(row) : undefined;
}

/** Returns the start time it recorded. */
export async function markRunning(store: Store, id: string): Promise<string> {
  const now = nowIso(store);
  await store.db
    .updateTable("scans")
    .set({ status: "running", started_at: now, heartbeat_at: now, owner: store.instanceId })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .execute();
  return now;
}

/**
 * Progress and heartbeat in one write. Returns whether a cancel was requested (by any instance),
 * so the owner learns of it at the same bounded rate.
 */
export async function touchScan(store: Store, id: string, progress?: { phase: string; done: number; total: number }): Promise<{ cancelRequested: boolean }> {
  await store.db
    .updateTable("scans")
    .set({ heartbeat_at: nowIso(store), ...(progress ? { phase: progress.phase, done: progress.done, total: progress.total } : {}) })
    .where("id", "=", id)
    .where("status", "in", ACTIVE_STATUSES)
    .execute();
  const row = await store.db.selectFrom("scans").select(["cancel_requested", "status"]).where("id", "=", id).executeTakeFirst();
  return { cancelRequested: !row || Number(row.cancel_requested) === 1 || !ACTIVE_STATUSES.includes(row.status) };
}

/** Ends an unfinished scan as failed or cancelled, removing anything it wrote; false when it had ended already (rows written since are removed all the same). */
export async function endScan(store: Store, id: string, status: "failed" | "cancelled", error: string | null): Promise<boolean> {
  // One reading of the clock: the end is one moment (two readings can fall a millisecond apart).
  const now = nowIso(store);
  return store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("scans")
      .set({ status, error, active_scope: null, finished_at: now, ended_at: now })
      .where("id", "=", id)
      .where("status", "in", ACTIVE_STATUSES)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      // Ended by someone else first (the recovery sweep, a dead job): rows its runner wrote since
      // then go too, since a scan that did not succeed never keeps rows.
      const row = await trx.selectFrom("scans").select("status").where("id", "=", id).executeTakeFirst();
      if (row?.status === "failed" || row?.status === "cancelled") await deleteScanChildren(trx, id);
      return false;
    }
    await deleteScanChildren(trx, id);
    return true;
  });
}

/** Asks whichever instance runs the scan to stop. Returns the scan as it stands. */
export async function requestCancel(store: Store, id: string): Promise<Scan> {
  await store.db.updateTable("scans").set({ cancel_requested: 1 }).where("id", "=", id).where("status", "in", ACTIVE_STATUSES).execute();
  return requireScan(store, id);
}
