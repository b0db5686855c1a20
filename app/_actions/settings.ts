"use server";
/** Server action for the settings page (Admins): the scan schedule, its source and retention. */
import { revalidatePath } from "next/cache";
import { requireActionRole } from "@/lib/auth/server";
import { hasLiveConfiguration } from "@/lib/azure/target";
import { InvalidInputError } from "@/lib/store/errors";
import { updateSettings } from "@/lib/store/settings";
import { uiStore } from "@/lib/views/server-store";

export interface SettingsFormState {
  ok: boolean;
  error?: string;
  /** The field the error is about, for aria-invalid. */
  field?: string;
  /** Set after a save, so the form can say so. */
  savedAt?: string;
  /** What was submitted, so a refused form shows the user's input again instead of the saved values. */
  values?: { scheduleCron: string; scheduleSource: string; retentionKeep: string; exceptionMaxDays: string };
}

const FIELD_WORDS: Record<string, string> = {
  scheduleCron: "Schedule",
  scheduleSource: "Source",
  retentionKeep: "Keep",
  exceptionMaxDays: "Longest exception",
};

export async function saveSettingsAction(_prev: SettingsFormState, fd: FormData): Promise<SettingsFormState> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Admin")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const value = (name: string) => {
    const v = fd.get(name);
    return typeof v === "string" ? v.trim() : "";
  };
  const keep = value("retentionKeep");
  const cron = value("scheduleCron");
  const source = value("scheduleSource");
  const maxDays = value("exceptionMaxDays");
  const values = { scheduleCron: cron, scheduleSource: source, retentionKeep: keep, exceptionMaxDays: maxDays };
  if (!/^\d{1,6}$/.test(keep)) return { ok: false, field: "retentionKeep", error: "Keep: enter a whole number from 1 to 10000.", values };
  if (maxDays !== "" && !/^\d{1,6}$/.test(maxDays))
    return {
      ok: false,
      field: "exceptionMaxDays",
      error: "Longest exception: enter a whole number of days from 1 to 3650, or leave it empty for no limit.",
      values,
    };
  // Scheduled scans of live Azure on a server with no way to reach it would only ever fail.
  if (source === "live" && !hasLiveConfiguration()) {
    return {
      ok: false,
      field: "scheduleSource",
      error:
        "Source: this server has no Azure credentials (AZURE_TENANT_ID and AZURE_CLIENT_ID, or SPEECH_POSTURE_CREDENTIAL), so scheduled scans of live Azure would fail. Set them up first (README, “Scanning a real tenant”).",
      values,
    };
  }
  try {
    await updateSettings(
      await uiStore(),
      {
        scheduleCron: cron === "" ? null : cron,
        scheduleSource: source === "" ? null : source,
        retentionKeep: Number(keep),
        exceptionMaxDays: maxDays === "" ? null : Number(maxDays),
      },
      actor,
    );
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const words = FIELD_WORDS[error.field] ?? error.field;
    return { ok: false, field: error.field, error: `${words}: ${error.message.replace(`${error.field}: `, "")}`, values };
  }
  revalidatePath("/settings");
  return { ok: true, savedAt: new Date().toISOString() };
}
