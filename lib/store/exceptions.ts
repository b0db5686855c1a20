/**
 * Exceptions (accepted risks): scoped by control, subscription, resource and/or tag, each with an
 * owner, a reason and an expiry. They are applied when findings are read, never written into
 * findings, so a new exception mutes without a rescan and an expired one stops muting by itself.
 */
import { randomBytes } from "node:crypto";
import { controlById } from "@/lib/posture/controls";
import { expiryInstant, isExpired } from "@/lib/posture/exceptions";
import { idKey } from "@/lib/posture/ids";
import { recordAudit } from "./audit";
import { InvalidInputError, NotFoundError } from "./errors";
import type { ExceptionsTable } from "./db/schema";
import { nowIso, type Store } from "./store";
import { sql, type Selectable } from "kysely";

export interface ExceptionRule {
  id: string;
  controlId?: string;
  subscriptionId?: string;
  resourceId?: string;
  tag?: { name: string; value: string };
  owner: string;
  reason: string;
  expiresAt: string;
  createdBy?: string;
  createdAt?: string;
}

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
    ...(row.control_id ? { controlId: row.control_id } : {}),
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

function optionalText(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (blank(v)) return undefined;
  if (typeof v !== "string") throw new InvalidInputError(field, "expected a string");
  return v.trim();
}

function requiredText(body: Record<string, unknown>, field: string): string {
  const v = optionalText(body, field);
  if (v === undefined) throw new InvalidInputError(field, "is required");
  return v;
}

/** Validates a request body into an exception (ID and audit fields are set by the store). */
export function parseExceptionInput(body: unknown, now: Date): Omit<ExceptionRule, "id"> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  const controlText = optionalText(b, "controlId");
  const control = controlText === undefined ? undefined : controlById(controlText);
  if (controlText !== undefined && !control) throw new InvalidInputError("controlId", `unknown control ${JSON.stringify(controlText)}`);
  const subscriptionId = optionalText(b, "subscriptionId");
  const resourceId = optionalText(b, "resourceId");
  let tag: { name: string; value: string } | undefined;
  if (!blank(b.tag)) {
    if (typeof b.tag !== "object" || Array.isArray(b.tag)) throw new InvalidInputError("tag", "expected { name, value }");
    const t = b.tag as Record<string, unknown>;
    const name = optionalText(t, "name");
    if (name === undefined) throw new InvalidInputError("tag.name", "is required when tag is given");
    if (typeof t.value !== "string") throw new InvalidInputError("tag.value", "expected a string");
    tag = { name, value: t.value };
  }
  if (!control && !subscriptionId && !resourceId && !tag) {
    throw new InvalidInputError("scope", "an exception needs at least one of controlId, subscriptionId, resourceId or tag");
  }
  const owner = requiredText(b, "owner");
  const reason = requiredText(b, "reason");
  const expiresText = requiredText(b, "expiresAt");
  // Same meaning as lib/posture: a date is valid through that day (UTC), a date-time until then.
  const instant = expiryInstant(expiresText);
  if (instant === undefined)
    throw new InvalidInputError("expiresAt", "expected an ISO date (2026-12-31) or a date-time with a time zone (2026-12-31T18:00:00Z)");
  if (instant <= now.getTime()) throw new InvalidInputError("expiresAt", "must be in the future");
  return {
    ...(control ? { controlId: control.id } : {}),
    ...(subscriptionId ? { subscriptionId } : {}),
    ...(resourceId ? { resourceId } : {}),
    ...(tag ? { tag } : {}),
    owner,
    reason,
    expiresAt: expiresText,
  };
}

const ci = (v: string | undefined) => v?.trim().toLowerCase();
const id = (v: string | undefined) => (v === undefined ? undefined : idKey(v));

/** Same scope as applying them compares it: IDs, control and tag name ignoring case, the tag value exactly. */
function sameScope(a: Omit<ExceptionRule, "id">, b: Omit<ExceptionRule, "id">): boolean {
  return (
    ci(a.controlId) === ci(b.controlId) &&
    id(a.subscriptionId) === id(b.subscriptionId) &&
    id(a.resourceId) === id(b.resourceId) &&
    ci(a.tag?.name) === ci(b.tag?.name) &&
    a.tag?.value === b.tag?.value
  );
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

/** The facts of a finding an exception can be scoped by. */
export interface MatchSubject {
  controlId: string;
  subscriptionKey: string;
  resourceKey: string;
  /** Lower-cased tag name → value. */
  tags: ReadonlyMap<string, string>;
}

/** Every given scope field must match: IDs and tag names case-insensitively, tag values exactly. */
export function exceptionMatches(rule: ExceptionRule, f: MatchSubject): boolean {
  if (rule.controlId && rule.controlId.toLowerCase() !== f.controlId.toLowerCase()) return false;
  if (rule.subscriptionId && rule.subscriptionId.trim().toLowerCase() !== f.subscriptionKey) return false;
  // As lib/posture compares them: a trailing slash on either side does not matter.
  if (rule.resourceId && idKey(rule.resourceId) !== idKey(f.resourceKey)) return false;
  if (rule.tag && f.tags.get(rule.tag.name.trim().toLowerCase()) !== rule.tag.value) return false;
  return true;
}
