/**
 * "Check access" on the Settings page: `speech-posture doctor` run by the dashboard with the
 * credential its scans use (the configured live identity, or the emulator `npm start` runs), for an
 * Admin. Audited before anything is read; a failure to reach the source is a message, not a throw.
 */
import { runDoctor, type DoctorReport } from "@/lib/azure/doctor";
import type { CollectionSource } from "@/lib/azure/target";
import { recordAudit } from "@/lib/store/audit";
import type { Store } from "@/lib/store/store";
import { defaultSource, openTarget, type OpenedTarget } from "./sources";

export type AccessCheckResult =
  { ok: true; source: CollectionSource; checkedAt: string; report: DoctorReport } | { ok: false; source?: CollectionSource; error: string };

export interface AccessCheckOptions {
  source?: CollectionSource;
  /** How to reach the source (tests pass their own emulator). */
  open?: (source: CollectionSource) => Promise<OpenedTarget>;
  timeoutMs?: number;
}

export async function checkAccess(store: Store, actor: string, options: AccessCheckOptions = {}): Promise<AccessCheckResult> {
  const source = options.source ?? defaultSource();
  await recordAudit(store, { actor, action: "access.checked", target: source, details: { source } });
  let opened: OpenedTarget | undefined;
  try {
    opened = await (options.open ?? ((s: CollectionSource) => openTarget(s)))(source);
    const report = await runDoctor(opened.target, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
    return { ok: true, source, checkedAt: store.now().toISOString(), report };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, source, error: `The check could not run: ${message.split("\n")[0].slice(0, 500)}` };
  } finally {
    await opened?.close().catch(() => undefined);
  }
}
