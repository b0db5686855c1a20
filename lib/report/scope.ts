/**
 * Narrowing a result to one subscription or one resource, consistently: findings, resources,
 * subscriptions, errors and exceptions are filtered, and the summary (score and counts) is
 * recomputed from the findings that remain, by CONTROLS.md §Statuses.
 */
import { idKey } from "@/lib/posture/ids";
import { scoreFindings, type Tally as ScoreTotals } from "@/lib/posture/score";
import type { ReportException, ReportFinding, ReportResult } from "./model";

export class ReportScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportScopeError";
  }
}

/** `idKey` of an ID that may be absent (absent keys as ""). */
const keyOf = (id: string | null | undefined): string => idKey(id ?? "");

/** A test for "same ID as `id`", fast for the common case of identical spelling. */
function sameId(id: string): (other: string | null | undefined) => boolean {
  const key = keyOf(id);
  return (other) => other === id || (other != null && keyOf(other) === key);
}

/** Whether `scope` is the subscription itself or something inside it. */
export function inSubscription(scope: string | null | undefined, subscriptionId: string): boolean {
  const s = keyOf(scope);
  const prefix = `/subscriptions/${keyOf(subscriptionId)}`;
  return s === prefix || s.startsWith(`${prefix}/`);
}

export type Tally = ScoreTotals;

/** Score, counts and coverage of findings, by lib/posture/score.ts (CONTROLS.md §Statuses). */
export function tally(findings: readonly ReportFinding[]): Tally {
  return scoreFindings(findings as unknown as Parameters<typeof scoreFindings>[0]);
}

export function findSubscription(result: ReportResult, subscriptionId: string) {
  const key = keyOf(subscriptionId);
  return result.subscriptions.find((s) => keyOf(s.subscriptionId) === key);
}

/** The part of `result` about one subscription. Throws ReportScopeError if the scan does not know it. */
export function subscriptionResult(result: ReportResult, subscriptionId: string): ReportResult {
  const key = keyOf(subscriptionId);
  const known =
    findSubscription(result, subscriptionId) ??
    result.resources.find((r) => keyOf(r.subscriptionId) === key) ??
    result.findings.find((f) => keyOf(f.subscriptionId) === key);
  if (!key || !known) throw new ReportScopeError(`Subscription ${subscriptionId} is not part of scan ${result.scan.id}.`);
  const same = sameId(subscriptionId);
  const findings = result.findings.filter((f) => same(f.subscriptionId));
  const resources = result.resources.filter((r) => same(r.subscriptionId));
  const { score, counts, coverage } = tally(findings);
  const out: ReportResult = {
    ...result,
    summary: { score, resources: resources.length, counts, coverage },
    subscriptions: result.subscriptions.filter((s) => keyOf(s.subscriptionId) === key),
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

/**
 * The part of `result` about a set of subscriptions (one tenant's): its findings, resources,
 * subscriptions, errors inside them and the exceptions that touch them, scored again.
 */
export function subscriptionsResult(result: ReportResult, subscriptionIds: readonly string[]): ReportResult {
  const keys = new Set(subscriptionIds.map(keyOf));
  const findings = result.findings.filter((f) => keys.has(keyOf(f.subscriptionId)));
  const resources = result.resources.filter((r) => keys.has(keyOf(r.subscriptionId)));
  const { score, counts, coverage } = tally(findings);
  const out: ReportResult = {
    ...result,
    summary: { score, resources: resources.length, counts, coverage },
    subscriptions: result.subscriptions.filter((s) => keys.has(keyOf(s.subscriptionId))),
    resources,
    findings,
    errors: result.errors.filter((e) => subscriptionIds.some((id) => inSubscription(e.scope, id))),
  };
  if (result.exceptions) {
    const keep = (x: ReportException) => subscriptionIds.some((id) => exceptionTouchesSubscription(x, id));
    return { ...out, exceptions: { active: result.exceptions.active.filter(keep), expired: result.exceptions.expired.filter(keep) } };
  }
  return out;
}

/** The part of `result` about one resource. Throws ReportScopeError if the scan does not know it. */
export function resourceResult(result: ReportResult, resourceId: string): ReportResult {
  const key = keyOf(resourceId);
  const resource = result.resources.find((r) => keyOf(r.id) === key);
  const same = sameId(resourceId);
  const findings = result.findings.filter((f) => same(f.resourceId));
  if (!key || (!resource && findings.length === 0)) {
    throw new ReportScopeError(`Resource ${resourceId} is not part of scan ${result.scan.id}.`);
  }
  const subscriptionId = resource?.subscriptionId ?? findings[0].subscriptionId;
  const { score, counts, coverage } = tally(findings);
  const out: ReportResult = {
    ...result,
    summary: { score, resources: resource ? 1 : 0, counts, coverage },
    subscriptions: result.subscriptions.filter((s) => keyOf(s.subscriptionId) === keyOf(subscriptionId)),
    resources: resource ? [resource] : [],
    findings,
    errors: result.errors.filter((e) => keyOf(e.scope) === key || keyOf(e.scope) === `/subscriptions/${keyOf(subscriptionId)}`),
  };
  if (result.exceptions) {
    const keep = (x: ReportException) => exceptionTouchesResource(x, resourceId, subscriptionId);
    return { ...out, exceptions: { active: result.exceptions.active.filter(keep), expired: result.exceptions.expired.filter(keep) } };
  }
  return out;
}

/** Rules not scoped to a subscription or resource (control- or tag-wide) touch every subscription. */
export function exceptionTouchesSubscription(x: ReportException, subscriptionId: string): boolean {
  if (x.subscriptionId && keyOf(x.subscriptionId) !== keyOf(subscriptionId)) return false;
  if (x.resourceId && !inSubscription(x.resourceId, subscriptionId)) return false;
  return true;
}

function exceptionTouchesResource(x: ReportException, resourceId: string, subscriptionId: string): boolean {
  if (x.resourceId && keyOf(x.resourceId) !== keyOf(resourceId)) return false;
  return exceptionTouchesSubscription(x, subscriptionId);
}
