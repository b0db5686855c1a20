"use server";
/** Server actions for exceptions: create one from a finding (owner, reason, expiry) and remove one. */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionRole } from "@/lib/auth/server";
import { createException, removeException } from "@/lib/store/exceptions";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { uiStore } from "@/lib/views/server-store";

export interface ExceptionFormState {
  ok: boolean;
  error?: string;
  /** The field the error is about, for aria-invalid. */
  field?: string;
  id?: string;
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
  try {
    const created = await createException(await uiStore(), body, actor);
    revalidatePath("/", "layout");
    return { ok: true, id: created.id };
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const field = error.field === "expiresAt" ? "expires" : error.field;
      return {
        ok: false,
        field,
        error: error.message
          .replace(/^expiresAt: /, "Expiry: ")
          .replace(/^owner: /, "Owner: ")
          .replace(/^reason: /, "Reason: ")
          .replace(/^scope: /, "Scope: "),
      };
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
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
