/**
 * Sending each event once to each destination, and the delivery log. A send is claimed by
 * inserting (event, destination) before anything goes out: the primary key lets one instance win,
 * so a second evaluation of the same scan, or the next daily check, sends nothing again. Every
 * attempt is then written to the log with its outcome.
 */
import { isUniqueViolation } from "@/lib/store/errors";
import { nowIso, type Store } from "@/lib/store/store";

export type DeliveryOutcome = "delivered" | "failed" | "refused" | "timeout";

/** True when this caller may send the event to the destination (no one has before). */
export async function claimSend(store: Store, eventKey: string, destinationId: string, ruleId: string): Promise<boolean> {
  try {
    await store.db
      .insertInto("alert_sends")
      .values({
        event_key: eventKey,
        destination_id: destinationId,
        rule_id: ruleId,
        claimed_by: store.instanceId,
        claimed_at: nowIso(store),
        outcome: null,
        finished_at: null,
      })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function finishSend(store: Store, eventKey: string, destinationId: string, outcome: DeliveryOutcome): Promise<void> {
  await store.db
    .updateTable("alert_sends")
    .set({ outcome, finished_at: nowIso(store) })
    .where("event_key", "=", eventKey)
    .where("destination_id", "=", destinationId)
    .execute();
}

export interface DeliveryAttempt {
  eventKey: string;
  title: string;
  ruleId: string | null;
  ruleName: string | null;
  destinationId: string;
  destinationName: string;
  destinationKind: string;
  deliveryId: string;
  attempt: number;
  outcome: DeliveryOutcome;
  willRetry: boolean;
  httpStatus: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
  /** When the attempt started (ISO). */
  at: string;
}

export interface LoggedDelivery extends DeliveryAttempt {
  id: number;
}

export async function recordAttempt(store: Store, a: DeliveryAttempt): Promise<void> {
  await store.db
    .insertInto("alert_deliveries")
    .values({
      at: a.at,
      event_key: a.eventKey,
      title: a.title.slice(0, 300),
      rule_id: a.ruleId,
      rule_name: a.ruleName,
      destination_id: a.destinationId,
      destination_name: a.destinationName,
      destination_kind: a.destinationKind,
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      outcome: a.outcome,
      will_retry: a.willRetry ? 1 : 0,
      http_status: a.httpStatus,
      error: a.error?.slice(0, 1000) ?? null,
      response_excerpt: a.responseExcerpt?.slice(0, 600) ?? null,
      duration_ms: Math.max(0, Math.round(a.durationMs)),
    })
    .execute();
}

/** The newest attempts first. */
export async function listDeliveries(store: Store, options: { limit?: number; destinationId?: string } = {}): Promise<LoggedDelivery[]> {
  let q = store.db.selectFrom("alert_deliveries").selectAll();
  if (options.destinationId) q = q.where("destination_id", "=", options.destinationId);
  const rows = await q
    .orderBy("id", "desc")
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    eventKey: r.event_key,
    title: r.title,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    destinationId: r.destination_id,
    destinationName: r.destination_name,
    destinationKind: r.destination_kind,
    deliveryId: r.delivery_id,
    attempt: Number(r.attempt),
    outcome: r.outcome as DeliveryOutcome,
    willRetry: Number(r.will_retry) === 1,
    httpStatus: r.http_status === null ? null : Number(r.http_status),
    error: r.error,
    responseExcerpt: r.response_excerpt,
    durationMs: Number(r.duration_ms),
  }));
}

/** Keeps the newest `keep` attempts (the log would otherwise grow with every scan). */
export async function pruneDeliveries(store: Store, keep = 10_000): Promise<void> {
  const edge = await store.db.selectFrom("alert_deliveries").select("id").orderBy("id", "desc").offset(keep).limit(1).executeTakeFirst();
  if (edge) await store.db.deleteFrom("alert_deliveries").where("id", "<=", edge.id).execute();
}
