"use server";
/**
 * "Re-check now": reads one resource fresh from Azure (ARM for the account, Resource Graph for its
 * storage, vaults and role assignments, plus its details) and evaluates it. The verdicts are
 * returned to the page only; nothing is stored (a scan stores results) but an audit entry, since it
 * reads Azure on the user's behalf.
 */
import { requireActionRole } from "@/lib/auth/server";
import { collectResource, parseAccountId } from "@/lib/azure/collect-resource";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { defaultSource, openTarget } from "@/lib/scan/sources";
import { recordAudit } from "@/lib/store/audit";
import { uiStore } from "@/lib/views/server-store";

export interface RecheckResult {
  ok: boolean;
  error?: string;
  checkedAt?: string;
  source?: string;
  findings?: { controlId: string; status: string; reason: string | null; message: string }[];
  errors?: { scope: string; source: string; reason: string | null; message: string }[];
}

export async function recheckResourceAction(resourceId: string): Promise<RecheckResult> {
  let actor: string;
  try {
    actor = (await requireActionRole("Posture.Operator")).actor;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const id = String(resourceId ?? "");
  if (id.length > 2048) return { ok: false, error: "That is not a resource ID (over 2,048 characters)." };
  // Validated before anything is recorded: a crafted ID must not reach the audit trail.
  try {
    parseAccountId(id);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const source = defaultSource();
  try {
    await recordAudit(await uiStore(), { actor, action: "resource.rechecked", target: id, details: { source } });
  } catch (error) {
    return {
      ok: false,
      error: `The re-check was not started: it could not be recorded in the audit trail (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
  let opened;
  try {
    opened = await openTarget(source);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const snapshot = await collectResource(opened.target, id, { signal: AbortSignal.timeout(60_000) });
    const { findings } = evaluateSnapshot(snapshot);
    const key = id.trim().toLowerCase();
    const mine = findings.filter((f) => f.resourceId.trim().toLowerCase() === key);
    return {
      ok: true,
      checkedAt: snapshot.collectedAt,
      source,
      findings: mine.map((f) => ({ controlId: f.controlId, status: f.status, reason: f.reason, message: f.message })),
      errors: snapshot.errors.map((e) => ({ scope: e.scope, source: e.source, reason: e.reason ?? null, message: e.message ?? "" })),
    };
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    return { ok: false, error: `${error instanceof Error ? error.message : String(error)}${typeof code === "string" ? ` (${code})` : ""}` };
  } finally {
    await opened.close().catch(() => undefined);
  }
}
