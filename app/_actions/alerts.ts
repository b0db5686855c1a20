"use server";
/** Server actions of the alerts page (Admins): alert settings, destinations, rules, test messages. */
import { revalidatePath } from "next/cache";
import { requireActionRole } from "@/lib/auth/server";
import { sendTestAlert, verifyDestinationUrl } from "@/lib/scan/alerts";
import { createDestination, removeDestination } from "@/lib/store/alerts/destinations";
import { createAlertRule, removeAlertRule } from "@/lib/store/alerts/rules";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { updateSettings } from "@/lib/store/settings";
import { uiStore } from "@/lib/views/server-store";

export interface AlertFormState {
  ok: boolean;
  error?: string;
  /** The field the error is about, for aria-invalid and focus. */
  field?: string;
  /** What happened, for the status line. */
  message?: string;
}

const text = (fd: FormData, name: string) => {
  const v = fd.get(name);
  return typeof v === "string" ? v.trim() : "";
};

/** Runs an Admin's change; bad input and refused states come back as the form's error. */
async function asAdmin(run: (actor: string) => Promise<string>): Promise<AlertFormState> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Admin")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const message = await run(actor);
    revalidatePath("/settings/alerts");
    return { ok: true, message };
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, field: error.field, error: error.message };
    if (error instanceof StateConflictError || error instanceof NotFoundError) return { ok: false, error: error.message };
    throw error;
  }
}

export async function saveAlertSettingsAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    const networks = text(fd, "alertPrivateNetworks")
      .split(/[\s,]+/)
      .filter((n) => n !== "");
    await updateSettings(await uiStore(), { publicBaseUrl: text(fd, "publicBaseUrl") || null, alertPrivateNetworks: networks }, actor);
    return "Saved. The change is in the audit trail.";
  });
}

export async function createDestinationAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    const store = await uiStore();
    const body = {
      name: text(fd, "name"),
      kind: text(fd, "kind"),
      url: text(fd, "url"),
      hmacSecret: text(fd, "hmacSecret"),
      caCertificate: text(fd, "caCertificate"),
    };
    const created = await createDestination(store, body, actor, (url) => verifyDestinationUrl(store, url));
    return `Destination ${created.name} added.`;
  });
}

export async function removeDestinationAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    await removeDestination(await uiStore(), text(fd, "id"), actor);
    return "Destination removed.";
  });
}

export async function sendTestAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    const last = await sendTestAlert(await uiStore(), text(fd, "id"), actor);
    if (last.outcome !== "delivered")
      throw new StateConflictError(`The test message was not delivered (${last.outcome}: ${last.error ?? "no reason"}); see the delivery log.`);
    return `Test message delivered (HTTP ${last.httpStatus}).`;
  });
}

export async function createRuleAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    const kind = text(fd, "kind");
    const body: Record<string, unknown> = { name: text(fd, "name"), kind, destinationIds: fd.getAll("destinationIds").filter((v) => typeof v === "string") };
    if (kind === "new_failure") body.minSeverity = text(fd, "minSeverity");
    if (kind === "score_drop") Object.assign(body, { points: text(fd, "points"), scope: text(fd, "scope") });
    if (kind === "exception_expiring") body.withinDays = text(fd, "withinDays");
    const created = await createAlertRule(await uiStore(), body, actor);
    return `Rule ${created.name} added.`;
  });
}

export async function removeRuleAction(_prev: AlertFormState, fd: FormData): Promise<AlertFormState> {
  return asAdmin(async (actor) => {
    await removeAlertRule(await uiStore(), text(fd, "id"), actor);
    return "Rule removed.";
  });
}
