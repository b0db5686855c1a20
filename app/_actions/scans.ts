"use server";
/** Server actions for scans: start a collection and cancel one. Progress is read over SSE. */
import { requireActionRole } from "@/lib/auth/server";
import { ScanConflictError } from "@/lib/store/errors";
import { uiJobs } from "@/lib/views/server-store";

export type StartScanResult = { ok: true; scanId: string; alreadyRunning: boolean } | { ok: false; error: string };

export async function startScanAction(): Promise<StartScanResult> {
  try {
    const { actor } = await requireActionRole("Posture.Operator");
    const jobs = await uiJobs();
    const scan = await jobs.start({ actor });
    return { ok: true, scanId: scan.id, alreadyRunning: false };
  } catch (error) {
    // Holds for another bundle's copy of the class too (see lib/store/errors.ts).
    if (error instanceof ScanConflictError) {
      return { ok: true, scanId: error.runningScanId, alreadyRunning: true };
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function cancelScanAction(scanId: string): Promise<{ ok: boolean; error?: string }> {
  try {
    const { actor } = await requireActionRole("Posture.Operator");
    const jobs = await uiJobs();
    await jobs.cancel(String(scanId), actor);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
