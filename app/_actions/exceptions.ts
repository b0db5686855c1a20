"use server";
/**
 * Server actions for exceptions: create one from a finding or by tag, create them for every
 * finding of a filtered view, edit or renew one, and remove one.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionRole } from "@/lib/auth/server";
import { createException, createExceptions, removeException, updateException } from "@/lib/store/exceptions";
import { createExceptionsForFindings } from "@/lib/store/findings/bulk-exceptions";
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { uiStore } from "@/lib/views/server-store";

export interface ExceptionFormState {
  ok: boolean;
  error?: string;
  /** The field the error is about, for aria-invalid. */
  field?: string;
  id?: string;
  /** How many were created (bulk). */
  created?: number;
}

const text = (fd: FormData, name: string) => {
  const v = fd.get(name);
  return typeof v === "string" ? v.trim() : "";
};

export async function createExceptionAction(_prev: ExceptionFormState, fd: FormData): Promise<ExceptionFormState> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Operator")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const scope = text(fd, "scope");
  const controlId = text(fd, "controlId");
  const resourceId = text(fd, "resourceId");
  const subscriptionId = text(fd, "subscriptionId");
  const date = text(fd, "expires");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, field: "expires", error: "Choose an expiry date." };
  const body: Record<string, unknown> = {
    owner: text(fd, "owner"),
    reason: text(fd, "reason"),
    // A date lasts through that whole day (UTC), as in an exceptions file and the API.
    expiresAt: date,
  };
  if (scope === "control-subscription") Object.assign(body, { controlId, subscriptionId });
  else if (scope === "resource") Object.assign(body, { resourceId });
  else Object.assign(body, { controlId, resourceId });
  return saving(async () => ({ id: (await createException(await uiStore(), body, actor)).id }));
}

/** The form's words for the store's field names (the expiry field is a date input named "expires"). */
const FIELD_WORDS: Record<string, [field: string, words: string]> = {
  expiresAt: ["expires", "Expiry"],
  owner: ["owner", "Owner"],
  reason: ["reason", "Reason"],
  scope: ["scope", "Scope"],
  "tag.name": ["tagName", "Tag name"],
  "tag.value": ["tagValue", "Tag value"],
  controlId: ["controlId", "Control"],
  filters: ["filters", "Filters"],
};

/** Runs a store call and turns its refusal into the form's state: the field it is about and a sentence. */
async function saving(run: () => Promise<Partial<ExceptionFormState>>): Promise<ExceptionFormState> {
  try {
    const done = await run();
    revalidatePath("/", "layout");
    return { ok: true, ...done };
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const [field, words] = FIELD_WORDS[error.field] ?? [error.field, error.field];
      return { ok: false, field, error: `${words}: ${error.message.replace(`${error.field}: `, "")}` };
    }
    if (error instanceof NotFoundError || error instanceof StateConflictError) return { ok: false, error: error.message };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function operator(): Promise<{ actor: string } | ExceptionFormState> {
  try {
    return { actor: (await requireActionRole("Posture.Operator")).actor };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The expiry date input, or a refusal naming it. */
function expiryDate(fd: FormData): string | ExceptionFormState {
  const date = text(fd, "expires");
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : { ok: false, field: "expires", error: "Choose an expiry date." };
}

/** Edit (owner, reason, expiry) or renew (expiry only): only the fields the form sends are changed. */
export async function editExceptionAction(_prev: ExceptionFormState, fd: FormData): Promise<ExceptionFormState> {
  const who = await operator();
  if (!("actor" in who)) return who;
  const patch: Record<string, string> = {};
  for (const name of ["owner", "reason"]) if (fd.has(name)) patch[name] = text(fd, name);
  if (fd.has("expires")) {
    const date = expiryDate(fd);
    if (typeof date !== "string") return date;
    patch.expiresAt = date;
  }
  return saving(async () => ({ id: (await updateException(await uiStore(), text(fd, "id"), patch, who.actor)).id }));
}

/** One exception for every resource carrying a tag (optionally for one control). */
export async function createTagExceptionAction(_prev: ExceptionFormState, fd: FormData): Promise<ExceptionFormState> {
  return createScopedException(fd, { tag: { name: text(fd, "tagName"), value: typeof fd.get("tagValue") === "string" ? (fd.get("tagValue") as string) : "" } });
}

/** An exception for every subscription of one tenant of an estate (optionally one control). */
export async function createTenantExceptionAction(_prev: ExceptionFormState, fd: FormData): Promise<ExceptionFormState> {
  const tenantId = text(fd, "tenantId");
  return createScopedException(fd, { tenantId }, tenantId ? undefined : { ok: false, field: "tenantId", error: "Choose a tenant." });
}

/**
 * One exception with the given scope, the form's optional control, and its owner, reason and
 * expiry; `missing` is the answer when the scope lacks a field the form requires.
 */
async function createScopedException(fd: FormData, scope: Record<string, unknown>, missing?: ExceptionFormState): Promise<ExceptionFormState> {
  const who = await operator();
  if (!("actor" in who)) return who;
  const date = expiryDate(fd);
  if (typeof date !== "string") return date;
  if (missing) return missing;
  const controlId = text(fd, "controlId");
  const body = { ...scope, ...(controlId ? { controlId } : {}), owner: text(fd, "owner"), reason: text(fd, "reason"), expiresAt: date };
  return saving(async () => ({ id: (await createExceptions(await uiStore(), [body], who.actor))[0].id }));
}

/** One exception per failing or unknown, unmuted finding of the findings view the form came from. */
export async function createViewExceptionsAction(_prev: ExceptionFormState, fd: FormData): Promise<ExceptionFormState> {
  const who = await operator();
  if (!("actor" in who)) return who;
  const date = expiryDate(fd);
  if (typeof date !== "string") return date;
  const params = new URLSearchParams(text(fd, "filters"));
  for (const name of ["scan", "page", "pageSize", "sort", "group"]) params.delete(name);
  return saving(async () => {
    const created = await createExceptionsForFindings(
      await uiStore(),
      text(fd, "scanId"),
      parseFindingsQuery(params),
      { owner: text(fd, "owner"), reason: text(fd, "reason"), expiresAt: date },
      who.actor,
    );
    return { created: created.length };
  });
}

export async function removeExceptionAction(fd: FormData): Promise<void> {
  const { actor } = await requireActionRole("Posture.Operator");
  const id = text(fd, "id");
  try {
    await removeException(await uiStore(), id, actor);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  // Back to the list with a note of what was removed (the row itself moves to "Removed").
  redirect(`/exceptions?removed=${encodeURIComponent(id)}`);
}
