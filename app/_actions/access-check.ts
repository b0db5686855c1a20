"use server";
/** "Check access" on the Settings page: an Admin's request, run by `lib/scan`'s `checkAccess`. */
import { requireActionRole } from "@/lib/auth/server";
import { checkAccess, type AccessCheckResult } from "@/lib/scan/access-check";
import { uiStore } from "@/lib/views/server-store";

export async function checkAccessAction(): Promise<AccessCheckResult> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Admin")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return checkAccess(await uiStore(), actor);
}
