/**
 * What changed since the previous scan: failures that are new and failures that are resolved,
 * matched by control and resource ID (case-insensitively). Both results should cover the same
 * scope (narrow the previous one with the same subscription or resource first).
 */
import type { ReportFinding, ReportResult } from "./model";
import { idKey } from "@/lib/posture/ids";

export interface FindingChange {
  readonly controlId: string;
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly severity: string;
  /** The status now; `null` when the resource is no longer in the scan. */
  readonly status: string | null;
  readonly previousStatus: string | null;
  readonly message: string;
}

export interface Changes {
  readonly previousScanId: string;
  readonly previousFinishedAt: string | null;
  readonly scoreBefore: number | null;
  readonly scoreAfter: number | null;
  readonly newFailures: FindingChange[];
  readonly resolvedFailures: FindingChange[];
}

const keyOf = (f: ReportFinding) => `${idKey(f.controlId)}|${idKey(f.resourceId)}`;

export function compareResults(current: ReportResult, previous: ReportResult): Changes {
  const before = new Map<string, ReportFinding>();
  for (const f of previous.findings) before.set(keyOf(f), f);
  const now = new Map<string, ReportFinding>();
  for (const f of current.findings) now.set(keyOf(f), f);
  const newFailures: FindingChange[] = [];
  const resolvedFailures: FindingChange[] = [];
  for (const [key, f] of now) {
    const old = before.get(key);
    if (f.status === "fail" && old?.status !== "fail") {
      newFailures.push(change(f, f.status, old?.status ?? null));
    }
  }
  for (const [key, old] of before) {
    if (old.status !== "fail") continue;
    const f = now.get(key);
    if (f?.status === "fail") continue;
    resolvedFailures.push(change(f ?? old, f?.status ?? null, old.status));
  }
  return {
    previousScanId: previous.scan.id,
    previousFinishedAt: previous.scan.finishedAt ?? previous.scan.startedAt ?? null,
    scoreBefore: previous.summary.score,
    scoreAfter: current.summary.score,
    newFailures,
    resolvedFailures,
  };
}

function change(f: ReportFinding, status: string | null, previousStatus: string | null): FindingChange {
  return {
    controlId: f.controlId,
    resourceId: f.resourceId,
    subscriptionId: f.subscriptionId,
    severity: f.severity,
    status,
    previousStatus,
    message: f.message,
  };
}
