/**
 * A partial scan explained: the snapshot's `errors` grouped into what could not be read at the
 * subscription level (whole subscriptions or one source across them) and per resource.
 */
import type { SnapshotError } from "@/lib/posture/snapshot";
import { ERROR_SOURCE_LABEL, REASON_LABEL } from "./labels";
import { nameOfId } from "./format";

export interface ErrorLine {
  scope: string;
  /** A readable name: the subscription's display name or the resource's name. */
  name: string;
  source: string;
  reason: string;
  code: string | null;
  message: string;
}

export interface ErrorSummary {
  total: number;
  /** Subscriptions whose inventory could not be read at all (Resource Graph errors). */
  subscriptionsUnread: ErrorLine[];
  /** Other subscription-wide errors (e.g. role assignments not readable). */
  subscriptionOther: ErrorLine[];
  /** Per-resource errors (diagnostic settings, custom endpoints). */
  resources: ErrorLine[];
  /** Count by reason label, for a one-line summary. */
  byReason: [string, number][];
}

const SUB_SCOPE = /^\/subscriptions\/([^/]+)\/?$/i;

export function summarizeErrors(errors: readonly SnapshotError[], subscriptionNames: ReadonlyMap<string, string | null>): ErrorSummary {
  const out: ErrorSummary = { total: errors.length, subscriptionsUnread: [], subscriptionOther: [], resources: [], byReason: [] };
  const reasons = new Map<string, number>();
  for (const e of errors) {
    const reason = REASON_LABEL[e.reason ?? ""] ?? REASON_LABEL.collection_error;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const sub = SUB_SCOPE.exec(e.scope ?? "");
    const line: ErrorLine = {
      scope: e.scope ?? "",
      name: sub ? subscriptionNames.get(sub[1].toLowerCase()) || sub[1] : nameOfId(e.scope),
      source: ERROR_SOURCE_LABEL[e.source] ?? String(e.source),
      reason,
      code: e.code ?? null,
      message: e.message ?? "",
    };
    if (sub && e.source === "resourceGraph") out.subscriptionsUnread.push(line);
    else if (sub) out.subscriptionOther.push(line);
    else out.resources.push(line);
  }
  out.byReason = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  return out;
}
