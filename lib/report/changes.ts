/**
 * What changed since the previous scan: failures that are new and failures that are resolved,
 * matched by control and resource ID (case-insensitively). Both results should cover the same
 * scope (narrow the previous one with the same subscription or resource first). When the two were
 * judged with different catalogue versions, a change of a control whose rule changed is marked.
 * A failing resource the current result no longer holds is gone, not resolved (`goneFailures`),
 * and the scores compared are computed over the resources both results hold.
 */
import { rulesChangedBetween } from "@/lib/posture/controls";
import { ScoreTally } from "@/lib/posture/score";
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
  /** Both scans judged it, with different rules for this control: the change may come from the rule. */
  readonly ruleChange: boolean;
}

export interface Changes {
  readonly previousScanId: string;
  readonly previousFinishedAt: string | null;
  /** Scores over the resources both results hold: deleting a failing resource does not raise them. */
  readonly scoreBefore: number | null;
  readonly scoreAfter: number | null;
  readonly newFailures: FindingChange[];
  /** Failures whose resource is still there and no longer fails. */
  readonly resolvedFailures: FindingChange[];
  /** Failures of resources the current result no longer holds (status null): gone, not resolved. */
  readonly goneFailures: FindingChange[];
  /** The catalogue versions of the previous and the current scan (a result without one is version 1). */
  readonly catalogVersions: { readonly from: number; readonly to: number };
  /** Controls whose rules differ between those versions (empty when they are equal). */
  readonly ruleChangedControls: readonly string[];
}

const keyOf = (f: ReportFinding) => `${idKey(f.controlId)}|${idKey(f.resourceId)}`;

const versionOf = (r: ReportResult) => (typeof r.scan.catalogVersion === "number" ? r.scan.catalogVersion : 1);

export function compareResults(current: ReportResult, previous: ReportResult): Changes {
  const catalogVersions = { from: versionOf(previous), to: versionOf(current) };
  const ruleChanged: ReadonlySet<string> = rulesChangedBetween(catalogVersions.from, catalogVersions.to);
  const byRule = (f: ReportFinding, old: ReportFinding | undefined) => old !== undefined && ruleChanged.has(f.controlId.trim().toUpperCase());
  const before = new Map<string, ReportFinding>();
  for (const f of previous.findings) before.set(keyOf(f), f);
  const now = new Map<string, ReportFinding>();
  for (const f of current.findings) now.set(keyOf(f), f);
  const newFailures: FindingChange[] = [];
  const resolvedFailures: FindingChange[] = [];
  const goneFailures: FindingChange[] = [];
  const resourcesNow = new Set(current.findings.map((f) => idKey(f.resourceId)));
  const resourcesBefore = new Set(previous.findings.map((f) => idKey(f.resourceId)));
  const commonScore = (findings: readonly ReportFinding[], other: ReadonlySet<string>) => {
    const tally = new ScoreTally();
    for (const f of findings) if (other.has(idKey(f.resourceId))) tally.add(f as Parameters<ScoreTally["add"]>[0]);
    return tally.score;
  };
  for (const [key, f] of now) {
    const old = before.get(key);
    if (f.status === "fail" && old?.status !== "fail") {
      newFailures.push(change(f, f.status, old?.status ?? null, byRule(f, old)));
    }
  }
  for (const [key, old] of before) {
    if (old.status !== "fail") continue;
    const f = now.get(key);
    if (f?.status === "fail") continue;
    if (!resourcesNow.has(idKey(old.resourceId))) goneFailures.push(change(old, null, old.status, false));
    else resolvedFailures.push(change(f ?? old, f?.status ?? null, old.status, f !== undefined && byRule(f, old)));
  }
  return {
    previousScanId: previous.scan.id,
    previousFinishedAt: previous.scan.finishedAt ?? previous.scan.startedAt ?? null,
    scoreBefore: commonScore(previous.findings, resourcesNow),
    scoreAfter: commonScore(current.findings, resourcesBefore),
    newFailures,
    resolvedFailures,
    goneFailures,
    catalogVersions,
    ruleChangedControls: [...ruleChanged],
  };
}

function change(f: ReportFinding, status: string | null, previousStatus: string | null, ruleChange: boolean): FindingChange {
  return {
    controlId: f.controlId,
    resourceId: f.resourceId,
    subscriptionId: f.subscriptionId,
    severity: f.severity,
    status,
    previousStatus,
    message: f.message,
    ruleChange,
  };
}
