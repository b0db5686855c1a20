/** The audit trail: who started/cancelled scans, imported snapshots, changed exceptions, exported reports. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./db/schema";
import { nowIso, type Store } from "./store";

/** Until sign-in exists, actions without a named caller are the local operator's. */
export const LOCAL_ACTOR = "local";

export type AuditAction =
  | "scan.started"
  | "scan.cancelled"
  | "snapshot.imported"
  | "exception.created"
  | "exception.removed"
  | "exception.updated"
  | "exception.renewed"
  | "report.exported"
  | "resource.rechecked"
  | "access.checked"
  | "scans.removed"
  | "settings.changed"
  | "alert.destination.created"
  | "alert.destination.removed"
  | "alert.rule.created"
  | "alert.rule.removed"
  | "alert.test.sent"
  | "target.added"
  | "target.changed"
  | "target.removed";

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditInput {
  actor?: string;
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown> | null;
}

export async function recordAudit(store: Store, event: AuditInput, db: Kysely<Database> | Transaction<Database> = store.db): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      at: nowIso(store),
      actor: event.actor?.trim() || LOCAL_ACTOR,
      action: event.action,
      target: event.target ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
    })
    .execute();
}

export interface ListAuditOptions {
  limit?: number;
  /** Events with a smaller id (paging backwards). */
  beforeId?: number;
  action?: string;
  actor?: string;
}

/** Newest first. */
export async function listAudit(store: Store, options: ListAuditOptions = {}): Promise<AuditEvent[]> {
  let q = store.db.selectFrom("audit_events").selectAll().orderBy("id", "desc");
  if (options.beforeId !== undefined) q = q.where("id", "<", options.beforeId);
  if (options.action) q = q.where("action", "=", options.action);
  if (options.actor) q = q.where("actor", "=", options.actor);
  const rows = await q.limit(Math.min(Math.max(options.limit ?? 100, 1), 1000)).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: r.details ? JSON.parse(r.details) : null,
  }));
}
