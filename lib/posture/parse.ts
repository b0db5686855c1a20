/**
 * Reads the four accepted input shapes into a Snapshot (CONTROLS.md §Snapshot format):
 * the snapshot format itself, an `az graph query -o json` export, a bare array of documents and
 * an ARM list. Strict on the fields the controls read, tolerant of everything else. Every problem
 * found is reported (up to MAX_LISTED_PROBLEMS, then counted) with its JSON path and, inside a
 * resource document, the resource's name and ID; a problem that leaves nothing to read further
 * (not a snapshot, another version) stops at once. The CLI and the upload both parse here.
 */
import * as shapes from "./document-shapes";
import { describe, formatPath, MAX_LISTED_PROBLEMS, SnapshotInputError, type InputProblem, type PathSegment } from "./input-error";
import { idKey, subscriptionOf } from "./ids";
import { readJsonFile } from "./json-file";
import { parseJsonText, type TextProblem } from "./json-text";
import { check, checkAll, isPlainObject, type Shape } from "./shape";
import { COVERAGE_ITEMS, ERROR_REASONS, ERROR_SOURCES } from "./vocabulary";
import {
  COGNITIVE_ACCOUNT_TYPE,
  isSpeechAccount,
  KEY_VAULT_TYPE,
  PERIMETER_ASSOCIATION_TYPE,
  ROLE_ASSIGNMENT_TYPE,
  SNAPSHOT_KIND,
  SNAPSHOT_VERSION,
  STORAGE_ACCOUNT_TYPE,
  type AzureDocument,
  type CoverageItem,
  type Snapshot,
  type SnapshotError,
  type SubscriptionInfo,
} from "./snapshot";

export { SnapshotInputError } from "./input-error";

/** Parses the text of a snapshot file (or export). Throws SnapshotInputError. */
export function parseSnapshotText(text: string): Snapshot {
  return fromParsed(parseJsonText(text));
}

/** Reads and validates a snapshot file without holding its whole text (see json-file.ts). */
export function parseSnapshotFile(path: string): Snapshot {
  return fromParsed(readJsonFile(path));
}

function fromParsed(parsed: { value: unknown } | TextProblem): Snapshot {
  if ("problem" in parsed) throw new SnapshotInputError(parsed.path, parsed.problem);
  return parseSnapshot(parsed.value);
}

/** Validates an already-parsed JSON value. Throws SnapshotInputError. */
export function parseSnapshot(json: unknown): Snapshot {
  if (Array.isArray(json)) return fromDocuments(json, []);
  if (!isPlainObject(json)) {
    fail([], `expected a JSON object or array, got ${describe(json)}`);
  }
  if (Object.hasOwn(json, "kind")) return fromSnapshotFormat(json);
  if (Object.hasOwn(json, "data")) return fromGraphExport(json);
  if (Object.hasOwn(json, "value")) return fromArmList(json);
  return fail(
    [],
    'expected a speech-posture snapshot (with "kind"), a Resource Graph export (with "data"), ' +
      'an ARM list (with "value") or an array of resource documents',
  );
}

/** The problems found so far in one file. */
class Problems {
  readonly listed: InputProblem[] = [];
  more = 0;

  add(problem: InputProblem): void {
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(problem);
    else this.more++;
  }

  /** Runs `read`; a problem it throws is recorded (with the resource it is in) and `undefined` returned. */
  attempt<T>(read: () => T, resource?: string): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof SnapshotInputError)) throw error;
      this.add({ path: error.path, problem: error.problem, ...(resource ? { resource } : {}) });
      return undefined;
    }
  }

  /** Throws them all as one SnapshotInputError, if any. */
  throwIfAny(): void {
    const [first] = this.listed;
    if (first) throw new SnapshotInputError(first.path, first.problem, { problems: this.listed, more: this.more });
  }
}

/** `name (ID)` of a document, for problems inside it; undefined when it names neither. */
function resourceLabel(doc: unknown): string | undefined {
  if (!isPlainObject(doc)) return undefined;
  const id = typeof doc.id === "string" && doc.id.trim() !== "" ? doc.id.trim() : undefined;
  const name = typeof doc.name === "string" && doc.name.trim() !== "" ? doc.name.trim() : undefined;
  if (id && name) return `${name}, ${id}`;
  return id ?? (name ? `name ${JSON.stringify(name)}` : undefined);
}

function fromSnapshotFormat(json: Record<string, unknown>): Snapshot {
  if (json.kind !== SNAPSHOT_KIND) {
    fail(
      ["kind"],
      `${JSON.stringify(json.kind)} is not a snapshot; expected "${SNAPSHOT_KIND}" ` + "(a single resource document is not accepted: put it in an array)",
    );
  }
  const version = required(json, "version");
  if (typeof version !== "number") fail(["version"], `expected a number, got ${describe(version)}`);
  if (version !== SNAPSHOT_VERSION) {
    fail(["version"], `unsupported snapshot version ${version}; this build reads version ${SNAPSHOT_VERSION}`);
  }
  // From here on, each part is read even when an earlier one has problems, so all are reported.
  const problems = new Problems();
  const collectedAt = problems.attempt(() => {
    const value = required(json, "collectedAt");
    if (typeof value !== "string" || value.trim() === "") {
      fail(["collectedAt"], `expected the collection time as a non-empty string, got ${describe(value)}`);
    }
    return value;
  });
  const tenantId = json.tenantId;
  if (tenantId !== undefined && tenantId !== null && typeof tenantId !== "string") {
    problems.add({ path: "tenantId", problem: `expected a string, got ${describe(tenantId)}` });
  }
  const subscriptions = problems.attempt(() => requiredArray(json, "subscriptions"));
  const coverage = problems.attempt(() => readCoverage(requiredArray(json, "coverage"), problems));
  const resources = problems.attempt(() => requiredArray(json, "resources"));
  const readSubs = subscriptions && readSubscriptions(subscriptions, problems);
  if (resources) readDocuments(resources, ["resources"], problems);
  const diagnosticSettings = problems.attempt(() => readMap(json, "diagnosticSettings", shapes.diagnosticSetting, problems));
  const speechEndpoints = problems.attempt(() => readMap(json, "speechEndpoints", shapes.speechEndpoint, problems));
  const errors = problems.attempt(() => readErrors(requiredArray(json, "errors"), problems));
  problems.throwIfAny();
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: collectedAt!,
    ...(typeof tenantId === "string" ? { tenantId } : {}),
    subscriptions: readSubs!,
    coverage: coverage!,
    resources: resources as AzureDocument[],
    diagnosticSettings: diagnosticSettings!,
    speechEndpoints: speechEndpoints!,
    errors: errors!,
  };
}

function fromGraphExport(json: Record<string, unknown>): Snapshot {
  const data = json.data;
  if (isPlainObject(data) && Object.hasOwn(data, "rows")) {
    fail(["data"], "the export is in table format; run az graph query with the default object-array output");
  }
  if (!Array.isArray(data)) fail(["data"], `expected an array of resource documents, got ${describe(data)}`);
  // A truncated export would make present storage accounts look deleted (false BYOS-2 failures).
  if (typeof json.skip_token === "string" && json.skip_token.trim() !== "") {
    fail(["skip_token"], "the export is incomplete (Resource Graph has more pages); fetch every page and combine their data arrays into one array");
  }
  // Without a skip token, too: Resource Graph truncates results it cannot page.
  const total = json.total_records;
  if (typeof total === "number" && total > data.length) {
    fail(
      ["total_records"],
      `the export holds ${data.length} of ${total} matching documents, so it is truncated; export every document (page with --skip-token and combine the data arrays)`,
    );
  }
  return fromDocuments(data, ["data"]);
}

function fromArmList(json: Record<string, unknown>): Snapshot {
  const value = json.value;
  if (!Array.isArray(value)) fail(["value"], `expected an array of resource documents, got ${describe(value)}`);
  if (typeof json.nextLink === "string" && json.nextLink.trim() !== "") {
    fail(["nextLink"], "the list is incomplete (ARM has more pages); fetch every page and combine their value arrays into one array");
  }
  return fromDocuments(value, ["value"]);
}

/** A bare list of documents: only resources were collected (CONTROLS.md: bare exports). */
function fromDocuments(list: unknown[], base: PathSegment[]): Snapshot {
  const problems = new Problems();
  const resources = readDocuments(list, base, problems);
  problems.throwIfAny();
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: "", // a bare export does not say when it was taken
    subscriptions: subscriptionsSeenIn(resources),
    coverage: ["resources"],
    resources,
    diagnosticSettings: Object.create(null) as Record<string, unknown[]>,
    speechEndpoints: Object.create(null) as Record<string, unknown[]>,
    errors: [],
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The subscriptions of a bare export: the GUIDs in `subscriptionId` fields and `/subscriptions/{id}`
 * ID prefixes (anything else there names no subscription that could have been scanned).
 */
function subscriptionsSeenIn(resources: AzureDocument[]): SubscriptionInfo[] {
  const seen = new Map<string, SubscriptionInfo>();
  const add = (id: string | undefined) => {
    if (id === undefined || !GUID.test(id.trim())) return;
    const key = idKey(id);
    if (!seen.has(key)) seen.set(key, { subscriptionId: id.trim() });
  };
  for (const doc of resources) {
    add(typeof doc.subscriptionId === "string" ? doc.subscriptionId : undefined);
    add(subscriptionOf(doc.id));
  }
  return [...seen.values()];
}

function readDocuments(list: unknown[], base: PathSegment[], problems: Problems): AzureDocument[] {
  for (let i = 0; i < list.length; i++) {
    const doc = list[i];
    const resource = resourceLabel(doc);
    const isDocument = problems.attempt(() => {
      if (!isPlainObject(doc)) fail([...base, i], `expected a resource document (an object), got ${describe(doc)}`);
      if (!Object.hasOwn(doc, "id")) fail([...base, i, "id"], "missing; every resource document needs its ARM id");
      if (typeof doc.id !== "string" || doc.id.trim() === "") {
        fail([...base, i, "id"], `expected the ARM id as a non-empty string, got ${describe(doc.id)}`);
      }
      return true;
    }, resource);
    if (!isDocument || !isPlainObject(doc)) continue;
    // Every mistyped field of the document, not only the first; its own shape once its type reads right.
    const found = checkAll(doc, shapes.anyDocument);
    const shape = found.length === 0 ? shapeFor(doc) : undefined;
    if (shape) found.push(...checkAll(doc, shape));
    for (const p of found) problems.add({ path: formatPath([...base, i, ...p.segments]), problem: p.problem, ...(resource ? { resource } : {}) });
  }
  return list as AzureDocument[];
}

/** Only documents a control reads are held to a shape; other types pass untouched. */
function shapeFor(doc: Record<string, unknown>): Shape | undefined {
  const type = typeof doc.type === "string" ? doc.type.trim().toLowerCase() : "";
  switch (type) {
    case COGNITIVE_ACCOUNT_TYPE:
      return isSpeechAccount(doc) ? shapes.speechAccount : undefined;
    case STORAGE_ACCOUNT_TYPE:
      return shapes.storageAccount;
    case KEY_VAULT_TYPE:
      return shapes.keyVault;
    case ROLE_ASSIGNMENT_TYPE:
      return shapes.roleAssignment;
    case PERIMETER_ASSOCIATION_TYPE:
      return shapes.perimeterAssociation;
    default:
      return undefined;
  }
}

function readSubscriptions(list: unknown[], problems: Problems): SubscriptionInfo[] {
  return list.map((entry, i) => problems.attempt(() => readSubscription(entry, i)) as SubscriptionInfo);
}

function readSubscription(entry: unknown, i: number): SubscriptionInfo {
  {
    if (!isPlainObject(entry)) fail(["subscriptions", i], `expected an object, got ${describe(entry)}`);
    const id = entry.subscriptionId;
    if (typeof id !== "string" || id.trim() === "") {
      fail(["subscriptions", i, "subscriptionId"], `expected a non-empty string, got ${describe(id)}`);
    }
    const info: SubscriptionInfo = { subscriptionId: id.trim() };
    for (const field of ["displayName", "state", "tenantId"] as const) {
      const value = entry[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") fail(["subscriptions", i, field], `expected a string, got ${describe(value)}`);
      info[field] = value;
    }
    const ancestors = entry.managementGroupAncestors;
    if (ancestors === null) info.managementGroupAncestors = null;
    else if (ancestors !== undefined) info.managementGroupAncestors = readAncestors(ancestors, i);
    return info;
  }
}

/** Management-group names, nearest first: non-empty strings, kept trimmed. */
function readAncestors(value: unknown, index: number): string[] {
  const path: PathSegment[] = ["subscriptions", index, "managementGroupAncestors"];
  if (!Array.isArray(value)) fail(path, `expected an array of management group names (or null when not known), got ${describe(value)}`);
  return value.map((name, j) => {
    if (typeof name !== "string" || name.trim() === "") fail([...path, j], `expected a management group name (a non-empty string), got ${describe(name)}`);
    return name.trim();
  });
}

/** Known items are kept in their canonical spelling; unknown ones (a newer collector) are ignored. */
function readCoverage(list: unknown[], problems: Problems): CoverageItem[] {
  const out: CoverageItem[] = [];
  list.forEach((item, i) => {
    if (typeof item !== "string") return problems.add({ path: formatPath(["coverage", i]), problem: `expected a string, got ${describe(item)}` });
    const known = canonical(COVERAGE_ITEMS, item);
    if (known && !out.includes(known)) out.push(known);
  });
  return out;
}

/** A map keyed by resource ID. Built without a prototype so `__proto__` keys stay plain keys. */
function readMap(json: Record<string, unknown>, name: string, element: Shape, problems: Problems): Record<string, unknown[]> {
  const value = required(json, name);
  if (!isPlainObject(value)) fail([name], `expected an object keyed by resource ID, got ${describe(value)}`);
  const out = Object.create(null) as Record<string, unknown[]>;
  for (const key of Object.keys(value)) {
    const entries = value[key];
    if (!Array.isArray(entries)) {
      problems.add({ path: formatPath([name, key]), problem: `expected an array, got ${describe(entries)}` });
      continue;
    }
    for (let i = 0; i < entries.length; i++) {
      const problem = check(entries[i], element);
      if (problem) problems.add({ path: formatPath([name, key, i, ...problem.segments]), problem: problem.problem });
    }
    out[key] = entries;
  }
  return out;
}

/** Errors: scope and source must be right; a missing or unknown reason counts as collection_error. */
function readErrors(list: unknown[], problems: Problems): SnapshotError[] {
  return list.map((entry, i) => problems.attempt(() => readError(entry, i)) as SnapshotError);
}

function readError(entry: unknown, i: number): SnapshotError {
  {
    if (!isPlainObject(entry)) fail(["errors", i], `expected an object, got ${describe(entry)}`);
    const { scope, source, reason, code, message } = entry;
    if (typeof scope !== "string" || scope.trim() === "") {
      fail(["errors", i, "scope"], `expected a subscription or resource ID, got ${describe(scope)}`);
    }
    const knownSource = typeof source === "string" ? canonical(ERROR_SOURCES, source) : undefined;
    if (!knownSource) {
      fail(
        ["errors", i, "source"],
        `expected one of ${ERROR_SOURCES.join(", ")}, got ${typeof source === "string" ? JSON.stringify(source) : describe(source)}`,
      );
    }
    const out: SnapshotError = {
      scope,
      source: knownSource,
      reason: (typeof reason === "string" && canonical(ERROR_REASONS, reason)) || "collection_error",
    };
    for (const [field, value] of [
      ["code", code],
      ["message", message],
    ] as const) {
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") fail(["errors", i, field], `expected a string, got ${describe(value)}`);
      out[field] = value;
    }
    return out;
  }
}

function canonical<T extends string>(allowed: readonly T[], value: string): T | undefined {
  const key = value.trim().toLowerCase();
  return allowed.find((a) => a.toLowerCase() === key);
}

function required(json: Record<string, unknown>, name: string): unknown {
  if (!Object.hasOwn(json, name) || json[name] === undefined) {
    fail([name], "missing (a speech-posture snapshot always has it)");
  }
  return json[name];
}

function requiredArray(json: Record<string, unknown>, name: string): unknown[] {
  const value = required(json, name);
  if (!Array.isArray(value)) fail([name], `expected an array, got ${describe(value)}`);
  return value;
}

function fail(segments: PathSegment[], problem: string): never {
  throw new SnapshotInputError(formatPath(segments), problem);
}
