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
import { InvalidInputError, NotFoundError, StateConflictError } from "./errors";
import type { ExceptionsTable } from "./db/schema";
import { getSettings } from "./settings";
import { nowIso, type Store } from "./store";
import { sql, type Selectable, type Transaction } from "kysely";
import type { Database } from "./db/schema";

export interface StoredException extends ExceptionRule {
  createdBy: string;
  createdAt: string;
  removedAt: string | null;
  removedBy: string | null;
  /** The last edit or renewal; null when unchanged since created. */
  updatedAt: string | null;
  updatedBy: string | null;
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
    ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
    ...(row.tag_name ? { tag: { name: row.tag_name, value: row.tag_value ?? "" } } : {}),
    owner: row.owner,
    reason: row.reason,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    updatedAt: row.updated_at ?? null,
    updatedBy: row.updated_by ?? null,
    state: row.removed_at
      ? "removed"
      : isExpired({ id: row.id, owner: row.owner, reason: row.reason, expiresAt: row.expires_at }, new Date(now))
        ? "expired"
        : "active",
  };
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const INPUT_FIELDS = ["controlId", "subscriptionId", "resourceId", "tenantId", "tag", "owner", "reason", "expiresAt"] as const;

/**
 * Validates a request body into an exception (ID and audit fields are set by the store) with the
 * rule parser of lib/posture, naming the field at fault; a new rule must also expire in the future.
 */
export function parseExceptionInput(body: unknown, now: Date, maxDays: number | null = null): NewExceptionRule {
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
  checkExpiry(rule.expiresAt, now, maxDays);
  return rule;
}

/** The last day (UTC, YYYY-MM-DD) an exception may run through when an Admin allows `maxDays` from today. */
export function latestAllowedExpiryDate(now: Date, maxDays: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + maxDays * 86_400_000).toISOString().slice(0, 10);
}

/** A new or changed expiry must lie in the future and, when an Admin set a maximum, within it. */
function checkExpiry(expiresAt: string, now: Date, maxDays: number | null): void {
  const instant = expiryInstant(expiresAt);
  if (instant === undefined) {
    throw new InvalidInputError(
      "expiresAt",
      `expected an ISO date (2026-12-31) or a date-time with a time zone (2026-12-31T18:00:00Z), got ${JSON.stringify(expiresAt)}`,
    );
  }
  if (instant <= now.getTime()) throw new InvalidInputError("expiresAt", "must be in the future");
  if (maxDays !== null) {
    const last = latestAllowedExpiryDate(now, maxDays);
    if (instant > expiryInstant(last)!) {
      throw new InvalidInputError(
        "expiresAt",
        `${expiresAt} is beyond the longest exception allowed: ${maxDays} day${maxDays === 1 ? "" : "s"}, so at most through ${last} (an Admin sets this in Settings)`,
      );
    }
  }
}

async function maxExceptionDays(store: Store): Promise<number | null> {
  return (await getSettings(store)).exceptionMaxDays;
}

/** Same scope as applying them compares it: IDs, control and tag name ignoring case, the tag value exactly. */
function sameScope(a: ExceptionRule, b: NewExceptionRule): boolean {
  const x = compileRule(a);
  const y = compileRule({ ...b, id: "" });
  return (
    x.control === y.control &&
    x.subscription === y.subscription &&
    x.resource === y.resource &&
    x.tenant === y.tenant &&
    x.tagName === y.tagName &&
    a.tag?.value === b.tag?.value
  );
}

export async function createException(store: Store, body: unknown, actor?: string): Promise<StoredException> {
  const [created] = await createExceptions(store, [body], actor);
  return created;
}

/** The most exceptions one request may create (a bulk creation from a filtered findings view). */
export const MAX_BULK_EXCEPTIONS = 200;

/**
 * Creates several exceptions at once, all or none: every body is validated first (a problem names
 * the body by its position when there are several), then all are written and audited in one
 * transaction. `details` is added to each audit entry (e.g. which findings view they came from).
 */
export async function createExceptions(
  store: Store,
  bodies: readonly unknown[],
  actor?: string,
  details?: Record<string, unknown>,
): Promise<StoredException[]> {
  if (bodies.length === 0) throw new InvalidInputError("exceptions", "nothing to create");
  if (bodies.length > MAX_BULK_EXCEPTIONS) throw new InvalidInputError("exceptions", `at most ${MAX_BULK_EXCEPTIONS} at once, got ${bodies.length}`);
  const maxDays = await maxExceptionDays(store);
  const inputs = bodies.map((body, i) => {
    try {
      return parseExceptionInput(body, store.now(), maxDays);
    } catch (error) {
      if (error instanceof InvalidInputError && bodies.length > 1)
        throw new InvalidInputError(`[${i}].${error.field}`, error.message.replace(`${error.field}: `, ""));
      throw error;
    }
  });
  const now = nowIso(store);
  const createdBy = actor?.trim() || "local";
  const ids = inputs.map(() => randomBytes(8).toString("hex"));
  await store.db.transaction().execute(async (trx) => {
    const open = await lockedOpenExceptions(store, trx, now);
    inputs.forEach((input, i) => {
      // A second active exception with the same scope would mute nothing more and hide which one counts.
      const twin = open.find((e) => e.state === "active" && sameScope(e, input));
      if (twin) {
        throw new InvalidInputError(
          bodies.length > 1 ? `[${i}].scope` : "scope",
          `an active exception with the same scope already exists (owner ${twin.owner}, expires ${twin.expiresAt}); edit or renew it instead`,
        );
      }
      open.push({ ...input, id: ids[i], createdBy, createdAt: now, removedAt: null, removedBy: null, updatedAt: null, updatedBy: null, state: "active" });
    });
    for (const [i, input] of inputs.entries()) {
      await trx
        .insertInto("exceptions")
        .values({
          id: ids[i],
          control_id: input.controlId ?? null,
          subscription_id: input.subscriptionId ?? null,
          resource_id: input.resourceId ?? null,
          tenant_id: input.tenantId ?? null,
          tag_name: input.tag?.name ?? null,
          tag_value: input.tag?.value ?? null,
          owner: input.owner,
          reason: input.reason,
          expires_at: input.expiresAt,
          created_by: createdBy,
          created_at: now,
          removed_at: null,
          removed_by: null,
          updated_at: null,
          updated_by: null,
        })
        .execute();
      await recordAudit(store, { actor: createdBy, action: "exception.created", target: ids[i], details: { ...input, ...details } }, trx);
    }
  });
  const rows = await store.db.selectFrom("exceptions").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((row) => [row.id, toException(row, now)]));
  return ids.map((id) => byId.get(id)!);
}

/**
 * The exceptions not removed, read under a lock: PostgreSQL (read committed) could otherwise let
 * two concurrent writers both miss each other's same-scope exception.
 */
async function lockedOpenExceptions(store: Store, trx: Transaction<Database>, now: string): Promise<StoredException[]> {
  if (store.dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtext('speech-posture.exceptions'))`.execute(trx);
  const open = await trx.selectFrom("exceptions").selectAll().where("removed_at", "is", null).execute();
  return open.map((row) => toException(row, now));
}

const EDITABLE = ["owner", "reason", "expiresAt"] as const;
type Editable = (typeof EDITABLE)[number];

/**
 * Changes an exception's owner, reason and/or expiry in place (its scope is what it is: a new
 * scope is a new exception). A removed exception cannot change; an expired one can be renewed.
 * Only what changes is written and audited, as "old → new": `exception.renewed` when only the
 * expiry moves, `exception.updated` otherwise. A new expiry must be in the future and within the
 * Admin's maximum.
 */
export async function updateException(store: Store, id: string, body: unknown, actor?: string): Promise<StoredException> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if ((SCOPE_KEYS as readonly string[]).includes(key))
      throw new InvalidInputError(key, "the scope of an exception cannot change; remove it and create a new one with the new scope");
    if (!(EDITABLE as readonly string[]).includes(key)) throw new InvalidInputError(key, `unknown field; expected ${EDITABLE.join(", ")}`);
  }
  const patch: Partial<Record<Editable, string>> = {};
  for (const field of EDITABLE) {
    if (b[field] === undefined) continue;
    const v = b[field];
    if (typeof v !== "string" || v.trim() === "") throw new InvalidInputError(field, "expected a non-empty string");
    patch[field] = v.trim();
  }
  if (Object.keys(patch).length === 0) throw new InvalidInputError("body", `nothing to change; give at least one of ${EDITABLE.join(", ")}`);
  const by = actor?.trim() || "local";
  const maxDays = await maxExceptionDays(store);
  const now = nowIso(store);
  await store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("exceptions").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Exception", id);
    const current = toException(row, now);
    if (current.state === "removed")
      throw new StateConflictError(`Exception ${id} was removed on ${current.removedAt}; a removed exception cannot be edited or renewed`);
    const changed = EDITABLE.filter((field) => patch[field] !== undefined && patch[field] !== current[field]);
    if (changed.length === 0) return;
    if (changed.includes("expiresAt")) checkExpiry(patch.expiresAt!, store.now(), maxDays);
    if (current.state === "expired" && changed.includes("expiresAt")) {
      // Renewing an expired exception makes it mute again: not beside an active one of the same scope.
      const twin = (await lockedOpenExceptions(store, trx, now)).find((e) => e.id !== id && e.state === "active" && sameScope(e, current));
      if (twin)
        throw new InvalidInputError("scope", `an active exception with the same scope already exists (${twin.id}, owner ${twin.owner}); edit that one instead`);
    }
    await trx
      .updateTable("exceptions")
      .set({
        ...(changed.includes("owner") ? { owner: patch.owner } : {}),
        ...(changed.includes("reason") ? { reason: patch.reason } : {}),
        ...(changed.includes("expiresAt") ? { expires_at: patch.expiresAt } : {}),
        updated_at: now,
        updated_by: by,
      })
      .where("id", "=", id)
      .execute();
    const details = Object.fromEntries(changed.map((field) => [field, `${current[field]} → ${patch[field]}`]));
    const action = changed.length === 1 && changed[0] === "expiresAt" ? "exception.renewed" : "exception.updated";
    await recordAudit(store, { actor: by, action, target: id, details }, trx);
  });
  return (await getException(store, id))!;
}

/** Renews an exception (active or expired) to a new expiry: `updateException` with only `expiresAt`. */
export function renewException(store: Store, id: string, expiresAt: unknown, actor?: string): Promise<StoredException> {
  return updateException(store, id, { expiresAt }, actor);
}

const SCOPE_KEYS = ["controlId", "subscriptionId", "resourceId", "tenantId", "tag"] as const;

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
