/**
 * "Re-check now" for one resource: the collection restricted to that account (read fresh from
 * ARM), evaluated at once. Nothing is stored (a scan stores results) but an audit entry, since it
 * reads Azure on the user's behalf, and without that entry the re-check does not start.
 */
import { COGNITIVE_ACCOUNT, parseResourceId } from "@/lib/azure/arm";
import { collect } from "@/lib/azure/collect";
import { linkedStorageIds, subscriptionOfId } from "@/lib/azure/links";
import type { CollectionSource } from "@/lib/azure/target";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { Finding } from "@/lib/posture/types";
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

/** The re-check an Operator asks for: validated, audited, then collected and judged; errors become a sentence. */
export async function recheckResource(store: Store, actor: string, resourceId: string, options: RecheckOptions = {}): Promise<RecheckResult> {
  const id = String(resourceId ?? "");
  if (id.length > 2048) return { ok: false, error: "That is not a resource ID (over 2,048 characters)." };
  // Validated before anything is recorded: a crafted ID must not reach the audit trail.
  try {
    parseResourceId(id, COGNITIVE_ACCOUNT);
  } catch (error) {
    return { ok: false, error: message(error) };
  }
  const source = options.source ?? defaultSource();
  try {
    await recordAudit(store, { actor, action: "resource.rechecked", target: id, details: { source } });
  } catch (error) {
    return { ok: false, error: `The re-check was not started: it could not be recorded in the audit trail (${message(error)}).` };
  }
  try {
    const outcome = await recheckAccount(id, { source, openTarget: options.open ?? openTarget, signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
    return {
      ok: true,
      checkedAt: outcome.checkedAt,
      source,
      findings: outcome.findings.map((f) => ({ controlId: f.controlId, status: f.status, reason: f.reason, message: f.message })),
      errors: outcome.errors.map((e) => ({ scope: e.scope, source: e.source, reason: e.reason ?? null, message: e.message ?? "" })),
    };
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    return { ok: false, error: `${message(error)}${typeof code === "string" ? ` (${code})` : ""}` };
  }
}

export interface RecheckOutcome {
  checkedAt: string;
  findings: Finding[];
  /** Errors about the account, its subscription and its linked storage's subscriptions. */
  errors: SnapshotError[];
}

export async function recheckAccount(
  resourceId: string,
  opts: { source: CollectionSource; openTarget: (source: CollectionSource) => Promise<OpenedTarget>; signal?: AbortSignal },
): Promise<RecheckOutcome> {
  const opened = await opts.openTarget(opts.source);
  try {
    const { snapshot } = await collect(opened.target, { accountId: resourceId, signal: opts.signal });
    const key = idKey(resourceId);
    const account = snapshot.resources.find((r) => idKey(r.id) === key);
    const subs = new Set(
      [resourceId, ...(account ? linkedStorageIds([account]) : [])].map((id) => `/subscriptions/${(subscriptionOfId(id) ?? "").toLowerCase()}`),
    );
    // The lookups ran over every visible subscription; only errors about this account's own scopes concern it.
    const relevant = (scope: string) => {
      const s = idKey(scope);
      return [...subs].some((sub) => s === sub || s.startsWith(`${sub}/`));
    };
    const { findings } = evaluateSnapshot(snapshot);
    return {
      checkedAt: snapshot.collectedAt,
      findings: findings.filter((f) => idKey(f.resourceId) === key),
      errors: snapshot.errors.filter((e) => relevant(e.scope)),
    };
  } finally {
    await opened.close().catch(() => undefined);
  }
}
