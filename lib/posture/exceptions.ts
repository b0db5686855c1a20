/**
 * Exceptions: rules with an owner, a reason and an expiry that mute findings. Muting adds
 * `muted: true` and never changes a status (so never a score). An expired rule mutes nothing
 * and is reported as expired, so forgotten exceptions surface instead of hiding failures.
 */
import { CATALOG, controlById } from "./controls";
import { idKey } from "./ids";
import { describe, ExceptionsInputError, formatPath, type PathSegment } from "./input-error";
import { parseJsonText } from "./json-text";
import { isPlainObject } from "./shape";
import type { ControlId, Finding } from "./types";

export { ExceptionsInputError } from "./input-error";

export interface ExceptionRule {
  readonly id: string;
  readonly controlId?: ControlId;
  readonly subscriptionId?: string;
  readonly resourceId?: string;
  /** An estate's tenant (lower-cased GUID): findings of every subscription that belongs to it. */
  readonly tenantId?: string;
  /** Tag name compared case-insensitively, value exactly. */
  readonly tag?: { readonly name: string; readonly value: string };
  readonly owner: string;
  readonly reason: string;
  /** ISO date (valid through that day, UTC) or date-time with a time zone (valid until that instant). */
  readonly expiresAt: string;
  readonly createdBy?: string;
  readonly createdAt?: string;
}

/** A rule as a person states it, before it is given an ID and a creator. */
export type NewExceptionRule = Omit<ExceptionRule, "id" | "createdBy" | "createdAt">;

/** The resource facts a rule can be scoped by. */
export interface ExceptionTarget {
  readonly id: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface AppliedExceptions {
  /** The input findings, with `muted: true` on those an active rule covers (copies; inputs untouched). */
  readonly findings: Finding[];
  readonly active: ExceptionRule[];
  readonly expired: ExceptionRule[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const SCOPE_FIELDS = ["controlId", "subscriptionId", "resourceId", "tenantId", "tag"] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses an exceptions file: `{ "exceptions": [...] }` or a bare array. Throws ExceptionsInputError. */
export function parseExceptionsText(text: string): ExceptionRule[] {
  const parsed = parseJsonText(text);
  if ("problem" in parsed) throw new ExceptionsInputError(parsed.path, parsed.problem);
  return parseExceptions(parsed.value);
}

export function parseExceptions(json: unknown): ExceptionRule[] {
  let list: unknown;
  let base: PathSegment[];
  if (Array.isArray(json)) {
    list = json;
    base = [];
  } else if (isPlainObject(json) && Object.hasOwn(json, "exceptions")) {
    list = json.exceptions;
    base = ["exceptions"];
    if (!Array.isArray(list)) fail(base, `expected an array of exception rules, got ${describe(list)}`);
  } else {
    return fail([], `expected { "exceptions": [...] } or an array of exception rules, got ${describe(json)}`);
  }
  const rules: ExceptionRule[] = [];
  const ids = new Set<string>();
  (list as unknown[]).forEach((value, i) => {
    const rule = parseExceptionRule(value, [...base, i]);
    if (ids.has(rule.id)) fail([...base, i, "id"], `duplicate rule id ${JSON.stringify(rule.id)}`);
    ids.add(rule.id);
    rules.push(rule);
  });
  return rules;
}

/** Validates one rule of a file. Throws ExceptionsInputError. */
export function parseExceptionRule(value: unknown, path: PathSegment[] = []): ExceptionRule {
  if (!isPlainObject(value)) fail(path, `expected an exception rule (an object), got ${describe(value)}`);
  const id = requiredText(value, "id", path);
  const rule: ExceptionRule = { id, ...parseRuleFields(value, path) };
  const createdBy = optionalText(value, "createdBy", path);
  const createdAt = optionalText(value, "createdAt", path);
  return { ...rule, ...(createdBy !== undefined ? { createdBy } : {}), ...(createdAt !== undefined ? { createdAt } : {}) };
}

/**
 * Validates what a person states about a new rule (scope, owner, reason, expiry); the ID and
 * who created it when are set by whoever keeps it. Throws ExceptionsInputError naming the field.
 */
export function parseNewExceptionRule(value: unknown): NewExceptionRule {
  if (!isPlainObject(value)) fail([], `expected an exception rule (an object), got ${describe(value)}`);
  return parseRuleFields(value, []);
}

function parseRuleFields(value: Record<string, unknown>, path: PathSegment[]): NewExceptionRule {
  const owner = requiredText(value, "owner", path);
  const reason = requiredText(value, "reason", path);
  const expiresAt = requiredText(value, "expiresAt", path);
  if (expiryInstant(expiresAt) === undefined) {
    fail([...path, "expiresAt"], `expected an ISO date (2026-12-31) or a date-time with a time zone (2026-12-31T18:00:00Z), got ${JSON.stringify(expiresAt)}`);
  }
  const rule: { -readonly [K in keyof NewExceptionRule]: NewExceptionRule[K] } = { owner, reason, expiresAt };
  const controlId = optionalText(value, "controlId", path);
  if (controlId !== undefined) {
    const control = controlById(controlId);
    if (!control) fail([...path, "controlId"], `unknown control ${JSON.stringify(controlId)}; expected one of ${CATALOG.map((c) => c.id).join(", ")}`);
    rule.controlId = control.id;
  }
  const subscriptionId = optionalText(value, "subscriptionId", path);
  if (subscriptionId !== undefined) rule.subscriptionId = subscriptionId.trim();
  const resourceId = optionalText(value, "resourceId", path);
  if (resourceId !== undefined) rule.resourceId = resourceId.trim();
  const tenantId = optionalText(value, "tenantId", path);
  if (tenantId !== undefined) {
    if (!GUID.test(tenantId.trim())) fail([...path, "tenantId"], `expected a tenant ID (a GUID), got ${JSON.stringify(tenantId.slice(0, 80))}`);
    rule.tenantId = tenantId.trim().toLowerCase();
  }
  if (value.tag !== undefined && value.tag !== null) rule.tag = readTag(value.tag, [...path, "tag"]);
  if (!SCOPE_FIELDS.some((field) => rule[field] !== undefined)) {
    fail(path, "an exception needs a scope: at least one of controlId, subscriptionId, resourceId, tenantId or tag (an unscoped rule would mute everything)");
  }
  return rule;
}

function readTag(value: unknown, path: PathSegment[]): { name: string; value: string } {
  if (!isPlainObject(value)) fail(path, `expected { "name": …, "value": … }, got ${describe(value)}`);
  const name = requiredText(value, "name", path);
  if (typeof value.value !== "string") fail([...path, "value"], `expected a string, got ${describe(value.value)}`);
  return { name: name.trim(), value: value.value };
}

/**
 * The instant (ms since epoch) from which a rule no longer applies, or undefined when the text is
 * not a valid ISO date / zoned date-time. A date means "through that day": it expires at the next
 * midnight UTC.
 */
export function expiryInstant(expiresAt: string): number | undefined {
  const text = expiresAt.trim();
  const date = DATE.exec(text);
  if (date) {
    const start = Date.UTC(+date[1], +date[2] - 1, +date[3]);
    if (!sameCalendarDay(start, +date[1], +date[2], +date[3])) return undefined;
    return start + 86_400_000;
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return undefined;
  const [, y, m, d, hh, mm, ss] = dateTime;
  if (!sameCalendarDay(Date.UTC(+y, +m - 1, +d), +y, +m, +d) || +hh > 23 || +mm > 59 || (ss !== undefined && +ss > 59)) return undefined;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : instant;
}

/** Rejects dates JavaScript would roll over (2026-02-30 → March 2). */
function sameCalendarDay(ms: number, year: number, month: number, day: number): boolean {
  const d = new Date(ms);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function isExpired(rule: ExceptionRule, now: Date): boolean {
  const instant = expiryInstant(rule.expiresAt);
  return instant === undefined || now.getTime() >= instant;
}

/** A rule with its comparison keys computed once. */
export interface CompiledRule {
  readonly rule: ExceptionRule;
  /** The control ID upper-cased (IDs are compared ignoring case). */
  readonly control?: string;
  readonly subscription?: string;
  readonly resource?: string;
  readonly tenant?: string;
  readonly tagName?: string;
}

export function compileRule(rule: ExceptionRule): CompiledRule {
  return {
    rule,
    control: rule.controlId?.trim().toUpperCase(),
    subscription: rule.subscriptionId === undefined ? undefined : idKey(rule.subscriptionId),
    resource: rule.resourceId === undefined ? undefined : idKey(rule.resourceId),
    tenant: rule.tenantId?.trim().toLowerCase(),
    tagName: rule.tag?.name.trim().toLowerCase(),
  };
}

/** A resource's tags, by lower-cased name (Azure tag names ignore case). */
export type TagsByName = ReadonlyMap<string, string>;

/** What a rule's scope is compared with: lookup keys (`idKey`) and lower-cased tag names. */
export interface ExceptionSubject {
  readonly controlId: string;
  readonly subscriptionKey: string;
  readonly resourceKey: string;
  readonly tags: TagsByName | undefined;
  /** The tenant of the finding's subscription (lower-cased), when known: a tenant-scoped rule needs it. */
  readonly tenantKey?: string;
}

/**
 * Whether the rule's resource, subscription, tenant and tag scope covers a resource (any control).
 * A tenant-scoped rule covers nothing whose tenant is not known.
 */
export function coversResource(c: CompiledRule, resourceKey: string, subscriptionKey: string, tags: TagsByName | undefined, tenantKey?: string): boolean {
  return (
    (c.resource === undefined || c.resource === idKey(resourceKey)) &&
    (c.subscription === undefined || c.subscription === idKey(subscriptionKey)) &&
    (c.tenant === undefined || c.tenant === tenantKey?.toLowerCase()) &&
    (c.tagName === undefined || tags?.get(c.tagName) === c.rule.tag!.value)
  );
}

/** Whether the rule's control scope covers a control. */
export function coversControl(c: CompiledRule, controlId: string): boolean {
  return c.control === undefined || c.control === controlId || c.control === controlId.trim().toUpperCase();
}

/**
 * Whether a rule mutes a finding: every scope field it sets matches, IDs, the control and tag
 * names ignoring case (and a trailing slash), tag values exactly.
 */
export function matches(rule: ExceptionRule | CompiledRule, subject: ExceptionSubject): boolean {
  const c = "rule" in rule ? rule : compileRule(rule);
  return coversControl(c, subject.controlId) && coversResource(c, subject.resourceKey, subject.subscriptionKey, subject.tags, subject.tenantKey);
}

/** Tags by lower-cased name; own properties only (a tag named `constructor` is not Object.prototype's). */
export function tagsByName(tags: Readonly<Record<string, unknown>> | null | undefined): TagsByName {
  const out = new Map<string, string>();
  if (!tags || typeof tags !== "object") return out;
  for (const name of Object.keys(tags)) {
    const value = tags[name];
    const key = name.toLowerCase();
    if (typeof value === "string" && !out.has(key)) out.set(key, value);
  }
  return out;
}

/**
 * Marks findings covered by an active rule as muted. Pure: `now` decides expiry, inputs are not
 * modified. A rule covers a finding when every scope field it sets matches; `tenantOf` gives a
 * subscription's tenant (lower-cased), for tenant-scoped rules.
 */
export function applyExceptions(
  findings: readonly Finding[],
  resources: readonly ExceptionTarget[],
  rules: readonly ExceptionRule[],
  now: Date,
  tenantOf?: (subscriptionId: string) => string | undefined,
): AppliedExceptions {
  const active: ExceptionRule[] = [];
  const expired: ExceptionRule[] = [];
  for (const rule of rules) (isExpired(rule, now) ? expired : active).push(rule);
  if (active.length === 0) return { findings: findings.slice(), active, expired };

  const compiled = active.map(compileRule);
  const tagsByResource = new Map<string, TagsByName>();
  if (compiled.some((c) => c.tagName !== undefined)) for (const r of resources) tagsByResource.set(idKey(r.id), tagsByName(r.tags));

  const out: Finding[] = new Array(findings.length);
  // Findings arrive grouped by resource: the rules that fit a resource are worked out once per group.
  let lastResource: string | undefined;
  let lastSubscription: string | undefined;
  let candidates: CompiledRule[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.resourceId !== lastResource || f.subscriptionId !== lastSubscription) {
      lastResource = f.resourceId;
      lastSubscription = f.subscriptionId;
      const resourceKey = idKey(f.resourceId);
      const tags = tagsByResource.get(resourceKey);
      const tenant = tenantOf?.(f.subscriptionId);
      candidates = compiled.filter((c) => coversResource(c, resourceKey, f.subscriptionId, tags, tenant));
    }
    const muting = f.muted ? undefined : mostSpecific(candidates.filter((c) => coversControl(c, f.controlId)));
    out[i] = muting ? { ...f, muted: true, exception: { id: muting.id, owner: muting.owner, reason: muting.reason, expiresAt: muting.expiresAt } } : f;
  }
  return { findings: out, active, expired };
}

/** Of the rules muting a finding, the one an auditor should be shown: resource over tag over subscription over tenant over control. */
export function mostSpecific(rules: readonly (ExceptionRule | CompiledRule)[]): ExceptionRule | undefined {
  let best: ExceptionRule | undefined;
  let bestRank = -1;
  for (const r of rules) {
    const rule = "rule" in r ? r.rule : r;
    const rank = (rule.resourceId ? 16 : 0) + (rule.tag ? 8 : 0) + (rule.subscriptionId ? 4 : 0) + (rule.tenantId ? 2 : 0) + (rule.controlId ? 1 : 0);
    if (rank > bestRank) {
      best = rule;
      bestRank = rank;
    }
  }
  return best;
}

function requiredText(value: Record<string, unknown>, field: string, path: PathSegment[]): string {
  const v = value[field];
  if (!Object.hasOwn(value, field) || v === undefined || v === null) fail([...path, field], "missing");
  if (typeof v !== "string" || v.trim() === "")
    fail([...path, field], `expected a non-empty string, got ${typeof v === "string" ? "an empty string" : describe(v)}`);
  return v;
}

function optionalText(value: Record<string, unknown>, field: string, path: PathSegment[]): string | undefined {
  const v = Object.hasOwn(value, field) ? value[field] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") fail([...path, field], `expected a string, got ${describe(v)}`);
  return v.trim() === "" ? undefined : v;
}

function fail(segments: PathSegment[], problem: string): never {
  throw new ExceptionsInputError(formatPath(segments), problem);
}
