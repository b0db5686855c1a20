/**
 * The parts of a scan that runs as queue jobs: one per tenant (or per batch of a large tenant's
 * subscriptions). A part's collected snapshot is written in one statement when its job ends, so a
 * worker killed mid-collection leaves the part pending and its retry starts it over. The parts are
 * removed once the scan is stored or ended.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, PartStatus } from "@/lib/store/db/schema";
import type { Snapshot } from "@/lib/posture/snapshot";
import { nowIso, type Store } from "@/lib/store/store";

/** A part's collection figures (the collector's statistics, kept as they came). */
export interface PartStats {
  argRequests: number;
  argThrottled: number;
  perResourceCalls: number;
  failedCalls: number;
}

export interface ScanPart {
  scanId: string;
  part: string;
  /** The scan target's tenant; null: the source's own credential. */
  targetTenant: string | null;
  /** What this part collects; null: its target's whole scope. */
  subscriptions: string[] | null;
  status: PartStatus;
  error: string | null;
  attempts: number;
}

export interface NewPart {
  part: string;
  targetTenant: string | null;
  subscriptions: string[] | null;
}

const partRow = (scanId: string, p: NewPart, now: string) => ({
  scan_id: scanId,
  part: p.part,
  target_tenant: p.targetTenant,
  subscriptions: p.subscriptions ? JSON.stringify(p.subscriptions) : null,
  status: "pending" as const,
  snapshot: null,
  stats: null,
  error: null,
  attempts: 0,
  updated_at: now,
});

export async function addParts(store: Store, scanId: string, parts: readonly NewPart[]): Promise<void> {
  if (parts.length === 0) return;
  const now = nowIso(store);
  await store.db
    .insertInto("scan_parts")
    .values(parts.map((p) => partRow(scanId, p, now)))
    .execute();
}

const PART_COLUMNS = ["scan_id", "part", "target_tenant", "subscriptions", "status", "error", "attempts"] as const;

function toPart(row: {
  scan_id: string;
  part: string;
  target_tenant: string | null;
  subscriptions: string | null;
  status: PartStatus;
  error: string | null;
  attempts: number;
}): ScanPart {
  return {
    scanId: row.scan_id,
    part: row.part,
    targetTenant: row.target_tenant,
    subscriptions: row.subscriptions ? (JSON.parse(row.subscriptions) as string[]) : null,
    status: row.status,
    error: row.error,
    attempts: Number(row.attempts),
  };
}

export async function getPart(store: Store, scanId: string, part: string): Promise<ScanPart | undefined> {
  const row = await store.db.selectFrom("scan_parts").select(PART_COLUMNS).where("scan_id", "=", scanId).where("part", "=", part).executeTakeFirst();
  return row ? toPart(row) : undefined;
}

export async function listParts(store: Store, scanId: string): Promise<ScanPart[]> {
  const rows = await store.db.selectFrom("scan_parts").select(PART_COLUMNS).where("scan_id", "=", scanId).orderBy("part").execute();
  return rows.map(toPart);
}

/**
 * How many of a scan's parts have ended (done or failed) of all it has, in one count query; a part
 * that was split is left out (its batches count instead).
 */
export async function countParts(store: Store, scanId: string): Promise<{ ended: number; total: number }> {
  const row = await store.db
    .selectFrom("scan_parts")
    .select((eb) => [eb.fn.countAll<number | string>().as("total"), eb.fn.countAll<number | string>().filterWhere("status", "!=", "pending").as("ended")])
    .where("scan_id", "=", scanId)
    .where("status", "!=", "split")
    .executeTakeFirstOrThrow();
  return { ended: Number(row.ended), total: Number(row.total) };
}

/** Counts a worker's start on a pending part; false when the part is no longer pending. */
export async function startPart(store: Store, scanId: string, part: string): Promise<boolean> {
  const r = await store.db
    .updateTable("scan_parts")
    .set((eb) => ({ attempts: eb("attempts", "+", 1), updated_at: nowIso(store) }))
    .where("scan_id", "=", scanId)
    .where("part", "=", part)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a pending part's outcome in one statement; false when another attempt recorded it first. */
export async function finishPart(
  store: Store,
  scanId: string,
  part: string,
  outcome: { status: "done"; snapshot: Snapshot; stats: PartStats } | { status: "failed"; error: string } | { status: "split" },
): Promise<boolean> {
  const r = await store.db
    .updateTable("scan_parts")
    .set({
      status: outcome.status,
      snapshot: outcome.status === "done" ? JSON.stringify(outcome.snapshot) : null,
      stats: outcome.status === "done" ? JSON.stringify(outcome.stats) : null,
      error: outcome.status === "failed" ? outcome.error : null,
      updated_at: nowIso(store),
    })
    .where("scan_id", "=", scanId)
    .where("part", "=", part)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Replaces a pending part by its batches, in one transaction. */
export async function splitPart(store: Store, scanId: string, part: string, batches: readonly NewPart[]): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("scan_parts")
      .set({ status: "split", updated_at: nowIso(store) })
      .where("scan_id", "=", scanId)
      .where("part", "=", part)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    const now = nowIso(store);
    await trx
      .insertInto("scan_parts")
      .values(batches.map((p) => partRow(scanId, p, now)))
      .execute();
    return true;
  });
}

/** The snapshots and statistics of the parts collected, and the errors of those that failed. */
export async function collectedParts(
  store: Store,
  scanId: string,
): Promise<{ done: { part: string; attempts: number; snapshot: Snapshot; stats: PartStats }[]; failed: ScanPart[] }> {
  const rows = await store.db.selectFrom("scan_parts").selectAll().where("scan_id", "=", scanId).orderBy("part").execute();
  return {
    done: rows
      .filter((r) => r.status === "done")
      .map((r) => ({ part: r.part, attempts: Number(r.attempts), snapshot: JSON.parse(r.snapshot!) as Snapshot, stats: JSON.parse(r.stats!) as PartStats })),
    failed: rows.filter((r) => r.status === "failed").map(toPart),
  };
}

export async function deleteParts(store: Store, scanId: string): Promise<void> {
  await deletePartsIn(store.db, scanId);
}

/** `deleteParts` inside a transaction: the one that stores the scan, so none is left once it is visible. */
export async function deletePartsIn(db: Kysely<Database> | Transaction<Database>, scanId: string): Promise<void> {
  await db.deleteFrom("scan_parts").where("scan_id", "=", scanId).execute();
}
