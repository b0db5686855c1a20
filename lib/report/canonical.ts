/**
 * The canonical text of a result: JSON with every object's keys sorted (by UTF-16 code units, as
 * `Array.prototype.sort` orders strings), array order kept, no insignificant white space, values
 * as JSON.stringify writes them (undefined members dropped, non-finite numbers as null). The JSON
 * export serves exactly this text and the PDFs print its SHA-256, so an auditor can check one
 * against the other with `sha256sum`.
 *
 * A 10,000-resource result is ~150 MB of JSON: it is written by the native JSON.stringify with the
 * sorted list of all keys as replacer, and hashes are remembered per result object.
 */
import { createHash } from "node:crypto";

const hashes = new WeakMap<object, string>();

export function canonicalResultJson(result: unknown): string {
  const parts: string[] = [];
  writeCanonical(result, (chunk) => parts.push(chunk));
  return parts.join("");
}

/**
 * Hex SHA-256 of the UTF-8 bytes of `canonicalResultJson(result)`, computed piece by piece (the
 * text is never held whole). Remembered per object: do not mutate a result after hashing it.
 */
export function resultSha256(result: unknown): string {
  const known = result !== null && typeof result === "object" ? hashes.get(result) : undefined;
  if (known) return known;
  const hash = createHash("sha256");
  writeCanonical(result, (chunk) => hash.update(chunk, "utf8"));
  const hex = hash.digest("hex");
  if (result !== null && typeof result === "object") hashes.set(result, hex);
  return hex;
}

/**
 * Emits the canonical text in pieces: the top object member by member, large arrays in batches.
 * Each piece is written by JSON.stringify with an array replacer, which writes every object's
 * members in the replacer's order: the sorted union of the piece's keys sorts each object's own
 * keys (and only those are present). Keys are collected per piece, so the lists stay short even
 * when resources carry many different tag names.
 */
export function writeCanonical(value: unknown, emit: (chunk: string) => void): void {
  for (const chunk of canonicalChunks(value)) emit(chunk);
}

/** `writeCanonical` as a generator, for streaming a download. */
export function* canonicalChunks(value: unknown): Generator<string> {
  const root = resolve(value);
  if (omitted(root)) {
    yield "null";
    return;
  }
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    yield* valueChunks(root);
    return;
  }
  const record = root as Record<string, unknown>;
  yield "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = resolve(record[key]);
    if (omitted(member)) continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    yield* valueChunks(member);
    first = false;
  }
  yield "}";
}

/** A member of `canonicalStream`'s object whose array value is read in pieces (each piece is a run of its elements). */
export class StreamedArray {
  constructor(readonly pieces: () => AsyncIterable<readonly unknown[]>) {}
}

/** A member of `canonicalStream`'s object whose value is known only once the members before it are written. */
export class LaterValue {
  constructor(readonly get: () => unknown) {}
}

/**
 * `canonicalChunks` of an object some of whose members are produced as they are written: a
 * StreamedArray's elements piece by piece, a LaterValue's value when its turn comes (members go
 * out in sorted key order). The text is exactly `canonicalChunks` of the object with those
 * members in place: each element is written alone by the same rules, whatever the pieces.
 */
export async function* canonicalStream(record: Readonly<Record<string, unknown>>): AsyncGenerator<string> {
  yield "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const raw = record[key];
    if (raw instanceof StreamedArray) {
      yield `${first ? "" : ","}${JSON.stringify(key)}:[`;
      let any = false;
      for await (const piece of raw.pieces()) {
        for (const text of elementRuns(piece)) {
          yield `${any ? "," : ""}${text}`;
          any = true;
        }
      }
      yield "]";
      first = false;
      continue;
    }
    const member = resolve(raw instanceof LaterValue ? raw.get() : raw);
    if (omitted(member)) continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    yield* valueChunks(member);
    first = false;
  }
  yield "}";
}

/**
 * The SHA-256s of `result` and of `{ ...result, ...extra }` in one pass: members the two share are
 * serialized once and fed to both hashes. A scan stores both — its result, and its JSON export as
 * read back while no exception is in force — for the price of serializing one.
 */
export function resultSha256Pair(result: Record<string, unknown>, extra: Record<string, unknown>): [string, string] {
  const pair = new CanonicalHashPair();
  const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
  for (const key of [...new Set([...Object.keys(result), ...Object.keys(extra)])].sort()) {
    const own = has(result, key) ? resolve(result[key]) : undefined;
    const added = has(extra, key) ? resolve(extra[key]) : own;
    if (own === added) {
      pair.member(key, own);
      continue;
    }
    pair.member(key, own, 0);
    pair.member(key, added, 1);
  }
  return pair.digest();
}

/**
 * The SHA-256s of two canonical texts of objects that differ in some members (`only` 0: the
 * first's, 1: the second's), written member by member in sorted key order; an array member can be
 * written a piece at a time. A scan whose findings are evaluated and stored piece by piece is
 * hashed as it goes, without its findings ever being held at once.
 */
export class CanonicalHashPair {
  private readonly hashes = [createHash("sha256"), createHash("sha256")];
  private readonly opened = [false, false];
  private lastKey = "";
  /** The array member being written, and whether it has an element yet. */
  private array: { any: boolean } | undefined;

  /** A member whose value is known (after toJSON, as JSON.stringify sees it); left out when JSON.stringify would leave it out. */
  member(key: string, value: unknown, only?: 0 | 1): void {
    const v = resolve(value);
    if (omitted(v)) return;
    this.open(key, only);
    for (const chunk of valueChunks(v)) this.write(chunk, only);
  }

  /** Opens an array member in both texts; `elements` writes its elements, `endArray` closes it. */
  beginArray(key: string): void {
    this.open(key, undefined);
    this.write("[");
    this.array = { any: false };
  }

  elements(items: readonly unknown[]): void {
    if (!this.array) throw new Error("CanonicalHashPair: elements() outside beginArray()/endArray()");
    for (const text of elementRuns(items)) {
      this.write(this.array.any ? `,${text}` : text);
      this.array.any = true;
    }
  }

  endArray(): void {
    if (!this.array) throw new Error("CanonicalHashPair: endArray() without beginArray()");
    this.write("]");
    this.array = undefined;
  }

  digest(): [string, string] {
    if (this.array) throw new Error("CanonicalHashPair: an array member is still open");
    const [first, second] = this.hashes.map((h, t) => h.update(this.opened[t] ? "}" : "{}", "utf8").digest("hex"));
    return [first, second];
  }

  private open(key: string, only: 0 | 1 | undefined): void {
    if (this.array) throw new Error(`CanonicalHashPair: member "${key}" while an array member is open`);
    // Canonical text lists members in sorted order; a key out of order would hash another text.
    if (key < this.lastKey) throw new Error(`CanonicalHashPair: member "${key}" after "${this.lastKey}"`);
    this.lastKey = key;
    for (const t of only === undefined ? [0, 1] : [only]) {
      this.hashes[t].update(`${this.opened[t] ? "," : "{"}${JSON.stringify(key)}:`, "utf8");
      this.opened[t] = true;
    }
  }

  private write(text: string, only?: 0 | 1): void {
    if (only !== 1) this.hashes[0].update(text, "utf8");
    if (only !== 0) this.hashes[1].update(text, "utf8");
  }
}

/**
 * Array elements serialized per JSON.stringify call. Few enough that each piece stays a small
 * string (32 findings are ~25 KB): a piece past ~64 KB is allocated in V8's large-object space,
 * and turning such a string into bytes (hashing, a response) costs ten times what writing it did.
 */
const BATCH = 32;

/** The value JSON.stringify serializes in place of `v` (its toJSON() result when it has one). */
function resolve(v: unknown): unknown {
  return v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function" ? (v as { toJSON: () => unknown }).toJSON() : v;
}

const omitted = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";

/** An already resolved value; arrays longer than a batch go out batch by batch. */
function* valueChunks(v: unknown): Generator<string> {
  if (Array.isArray(v) && v.length > BATCH) {
    yield "[";
    let i = 0;
    for (const text of elementRuns(v)) yield `${i++ > 0 ? "," : ""}${text}`;
    yield "]";
    return;
  }
  yield stringifySorted(v);
}

/** The elements of an array as comma-separated runs of at most BATCH (no brackets); none for an empty array. */
function* elementRuns(v: readonly unknown[]): Generator<string> {
  for (let i = 0; i < v.length; i += BATCH) yield runText(v.slice(i, i + BATCH));
}

/*
 * Findings are most of a result's text. A finding of the shape the engine and the store produce is
 * copied with its keys inserted in sorted order, and the native JSON.stringify writes the copies
 * canonically without a replacer, much faster than with one. An element of any other
 * shape (an unknown key, a prototype, a toJSON, an index-like key) is written by the general path;
 * lib/report/canonical.test.ts holds the two equal.
 */
const FINDING_KEYS = new Set([
  "agreement",
  "azure",
  "controlId",
  "evidence",
  "exception",
  "message",
  "muted",
  "reason",
  "resourceId",
  "severity",
  "status",
  "subscriptionId",
]);

/** A run of elements, comma-separated: findings through sorted copies, anything else by `stringifySorted`. */
function runText(run: readonly unknown[]): string {
  const parts: string[] = [];
  let copies: unknown[] = [];
  let others: unknown[] = [];
  const flushCopies = () => {
    if (copies.length) parts.push(JSON.stringify(copies).slice(1, -1));
    copies = [];
  };
  const flushOthers = () => {
    if (others.length) parts.push(stringifySorted(others).slice(1, -1));
    others = [];
  };
  for (const element of run) {
    const copy = sortedFinding(element);
    if (copy === NOT_SORTABLE) {
      flushCopies();
      others.push(element);
    } else {
      flushOthers();
      copies.push(copy);
    }
  }
  flushCopies();
  flushOthers();
  return parts.join(",");
}

const NOT_SORTABLE = Symbol("not sortable");

/** A plain object: JSON.stringify writes its own enumerable keys and nothing else decides how. */
function isPlainObject(o: unknown): o is Record<string, unknown> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return false;
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

/** Keys a copy cannot take in sorted order: index-like keys (always enumerated first), __proto__ and toJSON. */
const awkwardKey = (key: string) => (key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) || key === "__proto__" || key === "toJSON";

/** The finding with its keys (and those of everything in it) in sorted order, or NOT_SORTABLE. */
function sortedFinding(f: unknown): unknown {
  if (!isPlainObject(f)) return NOT_SORTABLE;
  for (const key in f) if (!FINDING_KEYS.has(key)) return NOT_SORTABLE;
  const azure = sortedValue(f.azure);
  const evidence = sortedValue(f.evidence);
  const exception = sortedValue(f.exception);
  if (azure === NOT_SORTABLE || evidence === NOT_SORTABLE || exception === NOT_SORTABLE) return NOT_SORTABLE;
  const { agreement, controlId, message, muted, reason, resourceId, severity, status, subscriptionId } = f;
  for (const v of [agreement, controlId, message, muted, reason, resourceId, severity, status, subscriptionId])
    if (v !== null && typeof v === "object") return NOT_SORTABLE;
  return { agreement, azure, controlId, evidence, exception, message, muted, reason, resourceId, severity, status, subscriptionId };
}

/** A copy of a JSON value with every object's keys inserted in sorted order, or NOT_SORTABLE. */
function sortedValue(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== "object") return v;
  if (depth > 32) return NOT_SORTABLE;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.prototype.hasOwnProperty.call(v, "toJSON")) return NOT_SORTABLE;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = sortedValue(v[i], depth + 1);
      if (item === NOT_SORTABLE) return NOT_SORTABLE;
      out[i] = item;
    }
    return out;
  }
  if (!isPlainObject(v)) return NOT_SORTABLE;
  const keys = Object.keys(v);
  if (keys.length === 3 && keys[0] === "path" && keys[1] === "actual" && keys[2] === "expected") {
    // An evidence entry, as every control writes it: one literal shape for all of them.
    const actual = sortedValue(v.actual, depth + 1);
    const expected = sortedValue(v.expected, depth + 1);
    const path = sortedValue(v.path, depth + 1);
    return actual === NOT_SORTABLE || expected === NOT_SORTABLE || path === NOT_SORTABLE ? NOT_SORTABLE : { actual, expected, path };
  }
  if (keys.length === 2 && keys[0] === "state" && keys[1] === "sources") {
    // Azure's verdict on a finding.
    const sources = sortedValue(v.sources, depth + 1);
    const state = sortedValue(v.state, depth + 1);
    return sources === NOT_SORTABLE || state === NOT_SORTABLE ? NOT_SORTABLE : { sources, state };
  }
  if (keys.length > 1) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (awkwardKey(key)) return NOT_SORTABLE;
    const item = sortedValue(v[key], depth + 1);
    if (item === NOT_SORTABLE) return NOT_SORTABLE;
    out[key] = item;
  }
  return out;
}

function stringifySorted(v: unknown): string {
  const keys = new Set<string>();
  collectKeys(v, keys, new Set());
  if (keys.has("__proto__")) return slowCanonical(v, new Set()) ?? "null";
  return JSON.stringify(v, [...keys].sort()) ?? "null";
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Every own enumerable key of every object in the value (after toJSON, as JSON.stringify sees it). */
function collectKeys(value: unknown, keys: Set<string>, stack: Set<object>): void {
  if (value === null || typeof value !== "object") return;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return collectKeys(withJson.toJSON(), keys, stack);
  if (stack.has(value)) throw new TypeError("canonicalResultJson: the value contains a cycle");
  stack.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectKeys(value[i], keys, stack);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      keys.add(key);
      const v = record[key];
      if (v !== null && typeof v === "object") collectKeys(v, keys, stack);
    }
  }
  stack.delete(value);
}

/** Writes the canonical text directly (for objects with array-index-like keys). */
function slowCanonical(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      throw new TypeError("canonicalResultJson: BigInt values cannot be serialized");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === "function") return slowCanonical(obj.toJSON(), seen);
  if (seen.has(obj)) throw new TypeError("canonicalResultJson: the value contains a cycle");
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((item) => slowCanonical(item, seen) ?? "null").join(",")}]`;
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = slowCanonical(record[key], seen);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(obj);
  }
}
