/**
 * Rule evaluation, pure: from what a scan found compared with the previous scan of the same scope
 * (or from the exceptions in force and the time) to the events each rule raises. No I/O and no
 * clock; the caller gathers the facts and decides where events go.
 */
import { SEVERITIES, type Severity } from "@/lib/posture/vocabulary";
import { MAX_ITEMS, type AlertEvent, type DashboardLink } from "./events";
import type { AlertRule } from "./rules";

export interface SubscriptionScore {
  id: string;
  name: string | null;
  score: number | null;
}

export interface ScanFacts {
  id: string;
  status: "succeeded" | "failed" | "cancelled";
  error: string | null;
  /** What was scanned, in words ("emulator, all subscriptions"). */
  scope: string;
  score: number | null;
  subscriptions: SubscriptionScore[];
}

export interface FindingChange {
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  controlId: string;
  severity: Severity;
  /** Muted by an exception in force: never alerted on. */
  muted: boolean;
}

/** The current scan beside the previous succeeded scan of the same scope. */
export interface ScanChange {
  current: ScanFacts;
  /** Absent for a first scan: it sets the baseline, nothing is "new" yet. */
  previous?: ScanFacts;
  /** Findings failing now that did not fail in the previous scan. */
  newFailures: FindingChange[];
  /** Findings that were read before (pass, fail, not applicable) and are unknown now. */
  newUnknowns: FindingChange[];
  /** Subscriptions the previous scan read and this one could not. */
  subscriptionsNoLongerRead: string[];
}

export interface ExpiringException {
  id: string;
  owner: string;
  reason: string;
  expiresAt: string;
  /** Its scope in words ("control SP-03 on subscription …"). */
  scope: string;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s); // high = 0

const findingsLink = (scanId: string, params: Record<string, string>): DashboardLink => ({
  label: "Open the findings",
  path: `/findings?${new URLSearchParams({ scan: scanId, ...params }).toString()}`,
});
const resourceLink = (resourceId: string, scanId: string): DashboardLink => ({
  label: "Open the resource",
  path: `/resources/${resourceId
    .split("/")
    .filter((s) => s !== "")
    .map((s) => (/^\.+$/.test(s) ? s.replace(/\./g, "%252E") : encodeURIComponent(s)))
    .join("/")}?scan=${encodeURIComponent(scanId)}`,
});
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function newFailureEvent(rule: AlertRule, minSeverity: Severity, change: ScanChange): AlertEvent[] {
  if (!change.previous || change.current.status !== "succeeded") return [];
  const hits = change.newFailures.filter((f) => !f.muted && rank(f.severity) <= rank(minSeverity)).sort((a, b) => rank(a.severity) - rank(b.severity));
  if (hits.length === 0) return [];
  const scanId = change.current.id;
  const severities = SEVERITIES.slice(0, rank(minSeverity) + 1);
  return [
    {
      key: `${rule.id}:new_failure:${scanId}`,
      ruleId: rule.id,
      ruleName: rule.name,
      kind: "new_failure",
      level: hits[0].severity,
      title: `${plural(hits.length, "new failure")} in scan ${scanId}`,
      summary: `${plural(hits.length, "finding")} of ${severities.join(" or ")} severity failed in this scan and not in the one before (${change.current.scope}).`,
      facts: [
        ["Scan", scanId],
        ["Compared with", change.previous.id],
        ...SEVERITIES.filter((s) => severities.includes(s)).map((s): [string, string] => [`New ${s}`, String(hits.filter((h) => h.severity === s).length)]),
      ],
      items: hits
        .slice(0, MAX_ITEMS)
        .map((f) => ({ text: `${f.severity.toUpperCase()} ${f.controlId} on ${f.resourceName}`, link: resourceLink(f.resourceId, scanId) })),
      itemCount: hits.length,
      link: findingsLink(scanId, { status: "fail", severity: severities.join(","), muted: "false" }),
      scanId,
    },
  ];
}

function scoreDropEvents(rule: AlertRule, points: number, scope: "tenant" | "subscription", change: ScanChange): AlertEvent[] {
  const { current, previous } = change;
  if (!previous || current.status !== "succeeded") return [];
  const base = { ruleId: rule.id, ruleName: rule.name, kind: "score_drop" as const, level: "medium" as const, items: [], itemCount: 0, scanId: current.id };
  const dropped = (before: number | null, after: number | null) => before !== null && after !== null && before - after >= points;
  if (scope === "tenant") {
    if (!dropped(previous.score, current.score)) return [];
    return [
      {
        ...base,
        key: `${rule.id}:score_drop:${current.id}:tenant`,
        title: `Tenant score dropped from ${previous.score} to ${current.score}`,
        summary: `The score fell by ${previous.score! - current.score!} points between scans ${previous.id} and ${current.id} (${current.scope}).`,
        facts: [
          ["Before", `${previous.score} (scan ${previous.id})`],
          ["Now", `${current.score} (scan ${current.id})`],
        ],
        link: { label: "See what changed", path: `/scans?from=${encodeURIComponent(previous.id)}&to=${encodeURIComponent(current.id)}#diff` },
      },
    ];
  }
  const before = new Map(previous.subscriptions.map((s) => [s.id.toLowerCase(), s]));
  const out: AlertEvent[] = [];
  for (const sub of current.subscriptions) {
    const was = before.get(sub.id.toLowerCase());
    if (!was || !dropped(was.score, sub.score)) continue;
    const name = sub.name ? `${sub.name} (${sub.id})` : sub.id;
    out.push({
      ...base,
      key: `${rule.id}:score_drop:${current.id}:subscription:${sub.id.toLowerCase()}`,
      title: `Subscription ${sub.name ?? sub.id}: score dropped from ${was.score} to ${sub.score}`,
      summary: `The score of subscription ${name} fell by ${was.score! - sub.score!} points between scans ${previous.id} and ${current.id}.`,
      facts: [
        ["Subscription", name],
        ["Before", `${was.score} (scan ${previous.id})`],
        ["Now", `${sub.score} (scan ${current.id})`],
      ],
      link: { label: "Open the subscription", path: `/subscriptions/${encodeURIComponent(sub.id)}?scan=${encodeURIComponent(current.id)}` },
    });
  }
  return out;
}

function scanDegradedEvents(rule: AlertRule, change: ScanChange): AlertEvent[] {
  const { current, previous } = change;
  const base = { ruleId: rule.id, ruleName: rule.name, kind: "scan_degraded" as const, scanId: current.id };
  if (current.status === "failed") {
    return [
      {
        ...base,
        key: `${rule.id}:scan_failed:${current.id}`,
        level: "high",
        title: `Scan ${current.id} failed`,
        summary: `The scan of ${current.scope} failed: ${current.error ?? "no reason was recorded"}`,
        facts: [["Scan", current.id]],
        items: [],
        itemCount: 0,
        link: { label: "Open the scans", path: `/scans?errors=${encodeURIComponent(current.id)}#errors` },
      },
    ];
  }
  if (current.status !== "succeeded" || !previous) return [];
  const lost = change.subscriptionsNoLongerRead;
  const unknowns = change.newUnknowns;
  if (lost.length === 0 && unknowns.length === 0) return [];
  const parts = [
    ...(unknowns.length
      ? [`${plural(unknowns.length, "finding")} that scan ${previous.id} could read ${unknowns.length === 1 ? "is" : "are"} unknown now`]
      : []),
    ...(lost.length ? [`${plural(lost.length, "subscription")} read before could not be read`] : []),
  ];
  return [
    {
      ...base,
      key: `${rule.id}:coverage_drop:${current.id}`,
      level: "medium",
      title: `Scan ${current.id} read less than the one before`,
      summary: `${parts.join("; ")} (${current.scope}).`,
      facts: [
        ["Scan", current.id],
        ["Compared with", previous.id],
        ["New unknowns", String(unknowns.length)],
        ["Subscriptions no longer read", lost.length ? lost.join(", ") : "none"],
      ],
      items: unknowns.slice(0, MAX_ITEMS).map((f) => ({ text: `${f.controlId} on ${f.resourceName}`, link: resourceLink(f.resourceId, current.id) })),
      itemCount: unknowns.length,
      link: unknowns.length
        ? findingsLink(current.id, { status: "unknown" })
        : { label: "Open the scans", path: `/scans?errors=${encodeURIComponent(current.id)}#errors` },
    },
  ];
}

/** The events a finished scan raises under the given rules (disabled rules raise none). */
export function evaluateScan(rules: readonly AlertRule[], change: ScanChange): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const c = rule.condition;
    if (c.kind === "new_failure") out.push(...newFailureEvent(rule, c.minSeverity, change));
    else if (c.kind === "score_drop") out.push(...scoreDropEvents(rule, c.points, c.scope, change));
    else if (c.kind === "scan_degraded") out.push(...scanDegradedEvents(rule, change));
  }
  return out;
}

const DAY_MS = 86_400_000;

/**
 * The events the daily check raises: one per active exception that expires within a rule's
 * window (`expiresAtMs` is the exception's expiry as an instant). Keyed by the exception and its
 * expiry, so an exception is announced once per rule however often the check runs.
 */
export function evaluateExpiries(rules: readonly AlertRule[], exceptions: readonly (ExpiringException & { expiresAtMs: number })[], now: Date): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const rule of rules) {
    const c = rule.condition;
    if (!rule.enabled || c.kind !== "exception_expiring") continue;
    for (const e of exceptions) {
      const left = e.expiresAtMs - now.getTime();
      if (left <= 0 || left > c.withinDays * DAY_MS) continue;
      const days = Math.ceil(left / DAY_MS);
      out.push({
        key: `${rule.id}:exception_expiring:${e.id}:${e.expiresAt}`,
        ruleId: rule.id,
        ruleName: rule.name,
        kind: "exception_expiring",
        level: "info",
        title: `Exception ${e.id} expires within ${plural(days, "day")}`,
        summary: `The exception for ${e.scope} (owner ${e.owner}) expires ${e.expiresAt}; its findings count again after that unless it is renewed.`,
        facts: [
          ["Owner", e.owner],
          ["Reason", e.reason],
          ["Expires", e.expiresAt],
          ["Scope", e.scope],
        ],
        items: [],
        itemCount: 0,
        link: { label: "Open the exceptions", path: "/exceptions" },
      });
    }
  }
  return out;
}
