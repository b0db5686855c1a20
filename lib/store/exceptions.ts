/**
 * Exceptions (accepted risks): scoped by control, subscription, resource and/or tag, each with an
 * owner, a reason and an expiry. They are applied when findings are read, never written into
 * findings, so a new exception mutes without a rescan and an expired one stops muting by itself.
 */
import { randomBytes } from "node:crypto";
import {
  compileRule,
  ExceptionsInputError,
  expiryInstant,
  isExpired,
  parseNewExceptionRule,
  type ExceptionRule,
  type NewExceptionRule,
} from "@/lib/posture/exceptions";
import type { ControlId } from "@/lib/posture/types";
import { recordAudit } from "./audit";
import { InvalidInputError, NotFoundError } from "./errors";
import type { ExceptionsTable } from "./db/schema";
import { nowIso, type Store } from "./store";
import { sql, type Selectable } from "kysely";

export interface StoredException extends ExceptionRule {
  createdBy: string;
  createdAt: string;
  removedAt: string | null;
  removedBy: string | null;
  /** active: mutes; expired: listed but mutes nothing; removed: deleted by a user. */
  state: "active" | "expired" | "removed";
}

function toException(row: Selectable<ExceptionsTable>, now: string): StoredException {
  return {
    id: row.id,
    // Rows are written from parsed rules only, so the control ID is one of the catalogue's.
    ...(row.control_id ? { controlId: row.control_id as ControlId } : {}),
    ...(row.subscription_id ? { subscriptionId: row.subscription_id } : {}),
    ...(row.resource_id ? { resourceId: row.resource_id } : {}),
    ...(row.tag_name ? { tag: { name: row.tag_name, value: row.tag_value ?? "" } } : {}),
    owner: row.owner,
    reason: row.reason,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    state: row.removed_at
      ? "removed"
      : isExpired({ id: row.id, owner: row.owner, reason: row.reason, expiresAt: row.expires_at }, new Date(now))
        ? "expired"
        : "active",
  };
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const INPUT_FIELDS = ["controlId", "subscriptionId", "resourceId", "tag", "owner", "reason", "expiresAt"] as const;

/**
 * Validates a request body into an exception (ID and audit fields are set by the store) with the
 * rule parser of lib/posture, naming the field at fault; a new rule must also expire in the future.
 */
export function parseExceptionInput(body: unknown, now: Date): NewExceptionRule {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  // Only what a person states; blank values (a form's empty tag) count as absent.
  const input: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) if (!blank(b[field])) input[field] = typeof b[field] === "string" ? (b[field] as string).trim() : b[field];
  let rule: NewExceptionRule;
  try {
    rule = parseNewExceptionRule(input);
  } catch (error) {
    if (!(error instanceof ExceptionsInputError)) throw error;
    throw new InvalidInputError(error.path === "" ? "scope" : error.path, error.problem);
  }
  if (expiryInstant(rule.expiresAt)! <= now.getTime()) throw new InvalidInputError("expiresAt", "must be in the future");
  return rule;
}

/** Same scope as applying them compares it: IDs, control and tag name ignoring case, the tag value exactly. */
function sameScope(a: ExceptionRule, b: NewExceptionRule): boolean {
  const x = compileRule(a);
  const y = compileRule({ ...b, id: "" });
  return x.control === y.control && x.subscription === y.subscription && x.resource === y.resource && x.tagName === y.tagName && a.tag?.value === b.tag?.value;
}

export async function createException(store: Store, body: unknown, actor?: string): Promise<StoredException> {
  const input = parseExceptionInput(body, store.now());
  const id = randomBytes(8).toString("hex");
  const now = nowIso(store);
  const createdBy = actor?.trim() || "local";
  await store.db.transaction().execute(async (trx) => {
    // A second active exception with the same scope would mute nothing more and hide which one counts.
    // PostgreSQL (read committed) could let two concurrent creates both miss each other: take a lock.
    if (store.dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtext('speech-posture.exceptions'))`.execute(trx);
    const open = await trx.selectFrom("exceptions").selectAll().where("removed_at", "is", null).execute();
    const twin = open.map((row) => toException(row, now)).find((e) => e.state === "active" && sameScope(e, input));
    if (twin) {
      throw new InvalidInputError(
        "scope",
        `an active exception with the same scope already exists (owner ${twin.owner}, expires ${twin.expiresAt}); remove it first to change its owner, reason or expiry`,
      );
    }
    await trx
      .insertInto("exceptions")
      .values({
        id,
        control_id: input.controlId ?? null,
        subscription_id: input.subscriptionId ?? null,
        resource_id: input.resourceId ?? null,
        tag_name: input.tag?.name ?? null,
        tag_value: input.tag?.value ?? null,
        owner: input.owner,
        reason: input.reason,
        expires_at: input.expiresAt,
        created_by: createdBy,
        created_at: now,
        removed_at: null,
        removed_by: null,
      })
      .execute();
    await recordAudit(store, { actor: createdBy, action: "exception.created", target: id, details: { ...input } }, trx);
  });
  return (await getException(store, id))!;
}

export async function getException(store: Store, id: string): Promise<StoredException | undefined> {
  const row = await store.db.selectFrom("exceptions").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toException(row, nowIso(store)) : undefined;
}

export interface ExceptionList {
  active: StoredException[];
  expired: StoredException[];
  removed: StoredException[];
}

export async function listExceptions(store: Store): Promise<ExceptionList> {
  const now = nowIso(store);
  const rows = await store.db.selectFrom("exceptions").selectAll().orderBy("created_at", "desc").orderBy("id").execute();
  const out: ExceptionList = { active: [], expired: [], removed: [] };
  for (const row of rows) {
    const e = toException(row, now);
    out[e.state].push(e);
  }
  return out;
}

/** Rules that mute right now (not removed, not expired). */
export async function activeExceptions(store: Store): Promise<StoredException[]> {
  return (await listExceptions(store)).active;
}

export async function removeException(store: Store, id: string, actor?: string): Promise<StoredException> {
  const by = actor?.trim() || "local";
  const removed = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("exceptions")
      .set({ removed_at: nowIso(store), removed_by: by })
      .where("id", "=", id)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await recordAudit(store, { actor: by, action: "exception.removed", target: id }, trx);
    return true;
  });
  if (!removed) throw new NotFoundError("Exception", id);
  return (await getException(store, id))!;
}
