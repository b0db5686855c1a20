/**
 * "Re-check now" for one resource: the collection restricted to that account (read fresh from
 * ARM), evaluated at once. Nothing is stored; the caller shows the verdicts.
 */
import { collect } from "@/lib/azure/collect";
import type { CollectionSource } from "@/lib/azure/target";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import { linkedStorageIds, subscriptionOfId } from "@/lib/azure/links";
import type { Finding } from "@/lib/posture/types";
import type { SnapshotError } from "@/lib/posture/snapshot";
import type { OpenedTarget } from "./sources";

export interface RecheckOutcome {
  checkedAt: string;
  findings: Finding[];
  /** Errors about the account, its subscription and its linked storage's subscriptions. */
  errors: SnapshotError[];
}

export async function recheckResource(
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
