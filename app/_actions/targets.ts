"use server";
/** Server actions for scan targets on the settings page (Admins): add, change, remove; each audited by the store. */
import { revalidatePath } from "next/cache";
import { requireActionRole } from "@/lib/auth/server";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { addTarget, removeTarget, updateTarget } from "@/lib/store/targets";
import { uiStore } from "@/lib/views/server-store";
import { targetInputFromForm, TARGET_FIELD_WORDS } from "@/lib/views/targets-form";

export interface TargetFormState {
  ok: boolean;
  error?: string;
  /** The form field the error is about, for aria-invalid and focus. */
  field?: string;
  /** Set after a save or removal, so the panel can say so. */
  done?: string;
  /** What was submitted, so a refused form shows the user's input again. */
  values?: Record<string, string>;
}

/** `target.credential.secretEnv` → the form field `secretEnv`. */
function formField(path: string): string {
  const last =
    path
      .replace(/\[\d+\]$/, "")
      .split(".")
      .pop() ?? path;
  return last === "kind" ? (path.includes("scope") ? "scopeKind" : "credentialKind") : last;
}

async function admin(): Promise<string | TargetFormState> {
  try {
    return (await requireActionRole("Posture.Admin")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function saveTargetAction(_prev: TargetFormState, fd: FormData): Promise<TargetFormState> {
  const actor = await admin();
  if (typeof actor !== "string") return actor;
  const values: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (typeof v === "string" && !k.startsWith("$")) values[k] = v;
  const editing = values.editing?.trim();
  try {
    const store = await uiStore();
    const input = targetInputFromForm(values);
    const saved = editing ? await updateTarget(store, editing, input, actor) : await addTarget(store, input, actor);
    revalidatePath("/settings");
    return { ok: true, done: `${editing ? "Saved" : "Added"} ${saved.displayName}. The change is in the audit trail.` };
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof NotFoundError) {
      const field = error instanceof InvalidInputError ? formField(error.field) : "tenantId";
      const words = TARGET_FIELD_WORDS[field] ?? field;
      const message = error instanceof InvalidInputError ? error.message.replace(`${error.field}: `, "") : error.message;
      return { ok: false, field, error: `${words}: ${message}`, values };
    }
    throw error;
  }
}

export async function removeTargetAction(_prev: TargetFormState, fd: FormData): Promise<TargetFormState> {
  const actor = await admin();
  if (typeof actor !== "string") return actor;
  const tenantId = String(fd.get("tenantId") ?? "");
  try {
    await removeTarget(await uiStore(), tenantId, actor);
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: `No target for tenant ${tenantId.slice(0, 64)}.` };
    throw error;
  }
  revalidatePath("/settings");
  return { ok: true, done: `Removed the target of tenant ${tenantId}.` };
}
