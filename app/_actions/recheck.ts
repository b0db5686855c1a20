"use server";
/** "Re-check now" on the resource page: an Operator's request, run by `lib/scan`'s `recheckResource`. */
import { requireActionRole } from "@/lib/auth/server";
import { recheckResource, type RecheckResult } from "@/lib/scan/recheck";
import { uiStore } from "@/lib/views/server-store";

export async function recheckResourceAction(resourceId: string): Promise<RecheckResult> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Operator")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return recheckResource(await uiStore(), actor, resourceId);
}
