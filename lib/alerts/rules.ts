/**
 * Alert rules as an Admin states them: what to watch for (a new unmuted failure at or above a
 * severity, a score drop of N points, an exception expiring within N days, a scan that failed or
 * read less than the one before) and which destinations hear about it. Parsed here, with the
 * field at fault named, so the store only ever writes rules this module accepts.
 */
import { isSeverity, SEVERITIES, type Severity } from "@/lib/posture/vocabulary";

export const ALERT_RULE_KINDS = ["new_failure", "score_drop", "exception_expiring", "scan_degraded"] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export type AlertCondition =
  | { kind: "new_failure"; minSeverity: Severity }
  | { kind: "score_drop"; points: number; scope: "tenant" | "subscription" }
  | { kind: "exception_expiring"; withinDays: number }
  | { kind: "scan_degraded" };

export interface AlertRule {
  id: string;
  name: string;
  condition: AlertCondition;
  /** The destinations that hear about this rule's events. */
  destinationIds: string[];
  enabled: boolean;
}

export type NewAlertRule = Omit<AlertRule, "id">;

/** Bad rule or destination input: `field` names the form field or JSON property. */
export class AlertInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "AlertInputError";
  }
}

const RULE_FIELDS = new Set(["name", "kind", "minSeverity", "points", "scope", "withinDays", "destinationIds", "enabled"]);

function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) throw new AlertInputError(field, `expected a whole number from ${min} to ${max}`);
  return n;
}

/** The condition of a rule from its flat input (`kind` plus that kind's own fields; others are refused). */
export function parseCondition(b: Record<string, unknown>): AlertCondition {
  const kind = b.kind;
  if (typeof kind !== "string" || !(ALERT_RULE_KINDS as readonly string[]).includes(kind)) {
    throw new AlertInputError("kind", `expected one of ${ALERT_RULE_KINDS.join(", ")}`);
  }
  const own: Record<AlertRuleKind, string[]> = {
    new_failure: ["minSeverity"],
    score_drop: ["points", "scope"],
    exception_expiring: ["withinDays"],
    scan_degraded: [],
  };
  for (const field of ["minSeverity", "points", "scope", "withinDays"]) {
    if (b[field] !== undefined && !own[kind as AlertRuleKind].includes(field)) throw new AlertInputError(field, `not a setting of a ${kind} rule`);
  }
  switch (kind as AlertRuleKind) {
    case "new_failure":
      if (!isSeverity(b.minSeverity)) throw new AlertInputError("minSeverity", `expected one of ${SEVERITIES.join(", ")}`);
      return { kind: "new_failure", minSeverity: b.minSeverity };
    case "score_drop":
      if (b.scope !== "tenant" && b.scope !== "subscription") throw new AlertInputError("scope", 'expected "tenant" or "subscription"');
      return { kind: "score_drop", points: wholeNumber(b.points, "points", 1, 100), scope: b.scope };
    case "exception_expiring":
      return { kind: "exception_expiring", withinDays: wholeNumber(b.withinDays, "withinDays", 1, 365) };
    case "scan_degraded":
      return { kind: "scan_degraded" };
  }
}

/** A rule from a request body; `knownDestinations` are the IDs a rule may name. */
export function parseAlertRule(body: unknown, knownDestinations: ReadonlySet<string>): NewAlertRule {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AlertInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!RULE_FIELDS.has(key)) throw new AlertInputError(key, "unknown field");
  const name = typeof b.name === "string" ? b.name.trim() : "";
  if (name === "" || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name))
    throw new AlertInputError("name", "expected a name of 1 to 100 characters, without control characters");
  const condition = parseCondition(b);
  const ids = b.destinationIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string")) {
    throw new AlertInputError("destinationIds", "choose at least one destination");
  }
  for (const id of ids as string[]) if (!knownDestinations.has(id)) throw new AlertInputError("destinationIds", `no destination ${JSON.stringify(id)}`);
  if (b.enabled !== undefined && typeof b.enabled !== "boolean") throw new AlertInputError("enabled", "expected true or false");
  return { name, condition, destinationIds: [...new Set(ids as string[])], enabled: b.enabled !== false };
}

/** A rule's condition in a sentence, for the page and the messages. */
export function describeCondition(c: AlertCondition): string {
  switch (c.kind) {
    case "new_failure":
      return c.minSeverity === "low"
        ? "A new unmuted failure of any severity"
        : `A new unmuted failure of ${c.minSeverity} severity${c.minSeverity === "high" ? "" : " or higher"}`;
    case "score_drop":
      return `The ${c.scope === "tenant" ? "tenant's score" : "score of a subscription"} drops by ${c.points} point${c.points === 1 ? "" : "s"} or more`;
    case "exception_expiring":
      return `An active exception expires within ${c.withinDays} day${c.withinDays === 1 ? "" : "s"}`;
    case "scan_degraded":
      return "A scan fails, or reads less than the one before (new unknowns, subscriptions no longer read)";
  }
}
