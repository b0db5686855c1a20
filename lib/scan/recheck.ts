/**
 * "Re-check now": reads one resource fresh from Azure (ARM for the account, Resource Graph for its
 * storage, vaults and role assignments, plus its details) and evaluates it. The verdicts go back
 * to the caller only; nothing is stored (a scan stores results) but an audit entry, since it reads
 * Azure on the user's behalf — and without that entry the re-check does not start.
 */
import { collectResource } from "@/lib/azure/collect-resource";
import type { CollectionSource } from "@/lib/azure/target";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import { recordAudit } from "@/lib/store/audit";
import type { Store } from "@/lib/store/store";
import { defaultSource, openTarget, type OpenedTarget } from "./sources";

export interface RecheckResult {
  ok: boolean;
  error?: string;
  checkedAt?: string;
  source?: string;
  findings?: { controlId: string; status: string; reason: string | null; message: string }[];
  errors?: { scope: string; source: string; reason: string | null; message: string }[];
}

export interface RecheckOptions {
  source?: CollectionSource;
  /** How to reach the source (tests pass their own emulator). */
  open?: (source: CollectionSource) => Promise<OpenedTarget>;
  timeoutMs?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function recheckResource(store: Store, actor: string, resourceId: string, options: RecheckOptions = {}): Promise<RecheckResult> {
  const id = String(resourceId ?? "");
  if (id.length > 2048) return { ok: false, error: "That is not a resource ID (over 2,048 characters)." };
  const source = options.source ?? defaultSource();
  try {
    await recordAudit(store, { actor, action: "resource.rechecked", target: id, details: { source } });
  } catch (error) {
    return { ok: false, error: `The re-check was not started: it could not be recorded in the audit trail (${message(error)}).` };
  }
  let opened: OpenedTarget;
  try {
    opened = await (options.open ?? openTarget)(source);
  } catch (error) {
    return { ok: false, error: message(error) };
  }
  try {
    const snapshot = await collectResource(opened.target, id, { signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
    const { findings } = evaluateSnapshot(snapshot);
    const key = idKey(id);
    const mine = findings.filter((f) => idKey(f.resourceId) === key);
    return {
      ok: true,
      checkedAt: snapshot.collectedAt,
      source,
      findings: mine.map((f) => ({ controlId: f.controlId, status: f.status, reason: f.reason, message: f.message })),
      errors: snapshot.errors.map((e) => ({ scope: e.scope, source: e.source, reason: e.reason ?? null, message: e.message ?? "" })),
    };
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    return { ok: false, error: `${message(error)}${typeof code === "string" ? ` (${code})` : ""}` };
  } finally {
    await opened.close().catch(() => undefined);
  }
}
