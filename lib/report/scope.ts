/**
 * Narrowing a result to one subscription or one resource, consistently: findings, resources,
 * subscriptions, errors and exceptions are filtered, and the summary (score and counts) is
 * recomputed from the findings that remain, by CONTROLS.md §Statuses.
 */
import type { ReportCounts, ReportException, ReportFinding, ReportResult } from "./model";
import { SEVERITY_WEIGHT } from "./model";

export class ReportScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportScopeError";
  }
}

/** Case-insensitive, trimmed key for IDs (Azure IDs compare case-insensitively). */
export function idKey(id: string | null | undefined): string {
  return (id ?? "").trim().toLowerCase();
}

/** Whether `scope` is the subscription itself or something inside it. */
export function inSubscription(scope: string | null | undefined, subscriptionId: string): boolean {
  const s = idKey(scope);
  const prefix = `/subscriptions/${idKey(subscriptionId)}`;
  return s === prefix || s.startsWith(`${prefix}/`);
}

export interface Tally {
  score: number | null;
  counts: Required<ReportCounts>;
}

/** Score = Σ weight(pass) / Σ weight(pass + fail), rounded down; null when nothing is judged. */
export function tally(findings: Iterable<ReportFinding>): Tally {
  const counts = { pass: 0, fail: 0, unknown: 0, not_applicable: 0, muted: 0 };
  let passWeight = 0;
  let judged = 0;
  for (const f of findings) {
    const status = f.status as keyof typeof counts;
    if (status in counts && status !== "muted") counts[status]++;
    if (f.muted) counts.muted++;
    const w = SEVERITY_WEIGHT[f.severity] ?? 0;
    if (f.status === "pass") {
      passWeight += w;
      judged += w;
    } else if (f.status === "fail") judged += w;
  }
  return { score: judged === 0 ? null : Math.floor((100 * passWeight) / judged), counts };
}

export function findSubscription(result: ReportResult, subscriptionId: string) {
  const key = idKey(subscriptionId);
  return result.subscriptions.find((s) => idKey(s.subscriptionId) === key);
}

/** The part of `result` about one subscription. Throws ReportScopeError if the scan does not know it. */
export function subscriptionResult(result: ReportResult, subscriptionId: string): ReportResult {
  const key = idKey(subscriptionId);
  const known =
    findSubscription(result, subscriptionId) ??
    result.resources.find((r) => idKey(r.subscriptionId) === key) ??
    result.findings.find((f) => idKey(f.subscriptionId) === key);
  if (!key || !known) throw new ReportScopeError(`Subscription ${subscriptionId} is not part of scan ${result.scan.id}.`);
  const findings = result.findings.filter((f) => idKey(f.subscriptionId) === key);
  const resources = result.resources.filter((r) => idKey(r.subscriptionId) === key);
  const { score, counts } = tally(findings);
  const out: ReportResult = {
    ...result,
    summary: { score, resources: resources.length, counts },
    subscriptions: result.subscriptions.filter((s) => idKey(s.subscriptionId) === key),
    resources,
    findings,
    errors: result.errors.filter((e) => inSubscription(e.scope, subscriptionId)),
  };
  if (result.exceptions) {
    const keep = (x: ReportException) => exceptionTouchesSubscription(x, subscriptionId);
    return { ...out, exceptions: { active: result.exceptions.active.filter(keep), expired: result.exceptions.expired.filter(keep) } };
  }
  return out;
}

/** The part of `result` about one resource. Throws ReportScopeError if the scan does not know it. */
export function resourceResult(result: ReportResult, resourceId: string): ReportResult {
  const key = idKey(resourceId);
  const resource = result.resources.find((r) => idKey(r.id) === key);
  const findings = result.findings.filter((f) => idKey(f.resourceId) === key);
  if (!key || (!resource && findings.length === 0)) {
    throw new ReportScopeError(`Resource ${resourceId} is not part of scan ${result.scan.id}.`);
  }
  const subscriptionId = resource?.subscriptionId ?? findings[0].subscriptionId;
  const { score, counts } = tally(findings);
  const out: ReportResult = {
    ...result,
    summary: { score, resources: resource ? 1 : 0, counts },
    subscriptions: result.subscriptions.filter((s) => idKey(s.subscriptionId) === idKey(subscriptionId)),
    resources: resource ? [resource] : [],
    findings,
    errors: result.errors.filter((e) => idKey(e.scope) === key || idKey(e.scope) === `/subscriptions/${idKey(subscriptionId)}`),
  };
  if (result.exceptions) {
    const keep = (x: ReportException) => exceptionTouchesResource(x, resourceId, subscriptionId);
    return { ...out, exceptions: { active: result.exceptions.active.filter(keep), expired: result.exceptions.expired.filter(keep) } };
  }
  return out;
}

/** Exceptions scoped to nothing narrower than the tenant touch every subscription. */
function exceptionTouchesSubscription(x: ReportException, subscriptionId: string): boolean {
  const targets = [x.subscriptionId ? `/subscriptions/${x.subscriptionId}` : null, x.resourceId, x.scope].filter(
    (t): t is string => typeof t === "string" && t.trim() !== "",
  );
  if (targets.length === 0) return true;
  return targets.some((t) => inSubscription(t, subscriptionId) || !t.trim().toLowerCase().startsWith("/subscriptions/"));
}

function exceptionTouchesResource(x: ReportException, resourceId: string, subscriptionId: string): boolean {
  if (typeof x.resourceId === "string" && x.resourceId.trim() !== "") return idKey(x.resourceId) === idKey(resourceId);
  if (typeof x.scope === "string" && x.scope.trim() !== "") {
    const scope = idKey(x.scope).replace(/\/+$/, "");
    const target = idKey(resourceId);
    return scope === "" || target === scope || target.startsWith(`${scope}/`) || !scope.startsWith("/subscriptions/");
  }
  return exceptionTouchesSubscription(x, subscriptionId);
}
