/**
 * Case-insensitive lookups over a snapshot, built once per evaluation so that every control
 * reads in constant time and evaluation stays linear in the number of documents.
 */
import { idKey, trimTrailingSlash, vaultUriKey } from "./ids";
import { child, eqCi, obj, sameCi, text } from "./read";
import { COVERAGE_ITEMS, ERROR_REASONS, ERROR_SOURCES, isOneOf } from "./vocabulary";
import {
  COGNITIVE_ACCOUNT_TYPE,
  KEY_VAULT_TYPE,
  PERIMETER_ASSOCIATION_TYPE,
  ROLE_ASSIGNMENT_TYPE,
  STORAGE_ACCOUNT_TYPE,
  STORAGE_BLOB_DATA_CONTRIBUTOR,
  type AzureDocument,
  type CoverageItem,
  type ErrorReason,
  type ErrorSource,
  type Snapshot,
  type SnapshotError,
  type SubscriptionInfo,
  SPEECH_KINDS,
} from "./snapshot";

export interface VaultEntry {
  /** A protected document when there is one, else the first document with this vaultUri. */
  readonly doc: AzureDocument;
  /** Some document with this vaultUri has soft delete not false and purge protection true. */
  readonly protected: boolean;
}

export interface RoleGrant {
  readonly id: string;
  /** The scope as the assignment spells it (or as derived from its ID). */
  readonly scope: string;
  /** `idKey` of the assignment's scope, trailing slash removed ("/" for the root). */
  readonly scopeKey: string;
  readonly blobDataContributor: boolean;
  /** The lower-cased `{name}` when the scope is exactly a management group, else undefined. */
  readonly managementGroup: string | undefined;
}

/** A resource's association with a network security perimeter. */
export interface PerimeterAssociation {
  readonly doc: AzureDocument;
  /** `properties.accessMode` as spelled (Enforced, Learning, Audit), or undefined. */
  readonly accessMode: string | undefined;
  readonly enforced: boolean;
  /** `properties.profile.id`: the perimeter profile whose rules apply. */
  readonly profileId: string | undefined;
}

export interface AccountEntry {
  readonly doc: AzureDocument;
  readonly key: string;
  /** `diagnosticSettings[id]` (undefined: no entry, i.e. not collected). */
  readonly diagnosticSettings: readonly unknown[] | undefined;
  /** `speechEndpoints[id]` (undefined: no entry, i.e. not collected). */
  readonly speechEndpoints: readonly unknown[] | undefined;
}

export interface SnapshotIndex {
  readonly coverage: ReadonlySet<CoverageItem>;
  /** In-scope Speech accounts in document order; a repeated ID keeps its first document. */
  readonly accounts: readonly AccountEntry[];
  /** Storage account documents by lower-cased ID. */
  readonly storage: ReadonlyMap<string, AzureDocument>;
  /** Key vaults by `vaultUriKey(properties.vaultUri)`. */
  readonly vaults: ReadonlyMap<string, VaultEntry>;
  /** Role assignments by lower-cased principalId (indexed on first use: only BYOS-3 reads them). */
  readonly roleAssignments: ReadonlyMap<string, readonly RoleGrant[]>;
  readonly diagnosticSettings: ListsById;
  readonly speechEndpoints: ListsById;
  /** Network security perimeter associations by the associated resource's lower-cased ID. */
  readonly perimeters: ReadonlyMap<string, readonly PerimeterAssociation[]>;
  /** Per source, the first error entry for each lower-cased scope. */
  readonly errors: ReadonlyMap<ErrorSource, ReadonlyMap<string, SnapshotError>>;
  /**
   * The `source` error entry that applies to the resource `key` (lower-cased): the most specific
   * of its own ID, its resource group and its subscription, by whole path segments.
   * `subscriptionScope` (the `/subscriptions/{id}` key) spares cutting it from the ID.
   */
  errorFor(source: ErrorSource, key: string, subscriptionScope?: string): SnapshotError | undefined;
  /**
   * The resourceGraph entry that makes a missing resource "hidden": one scoped to its own ID or
   * its resource group (its subscription's means "not scanned" instead).
   */
  hiddenBy(key: string): SnapshotError | undefined;
  /**
   * Lower-cased names of a listed subscription's management groups; undefined when the snapshot
   * does not say (absent or null `managementGroupAncestors`, or the subscription is not listed).
   */
  managementGroupsOf(subscriptionKey: string): ReadonlySet<string> | undefined;
  /** Listed subscriptions by lower-cased ID. */
  readonly subscriptions: ReadonlyMap<string, SubscriptionInfo>;
  /** Lower-cased IDs of listed subscriptions without a resourceGraph error at their scope. */
  readonly scannedSubscriptions: ReadonlySet<string>;
  /** `/subscriptions/{id}` for a lower-cased subscription ID, one shared string per subscription. */
  scopeOfSubscription(subscriptionKey: string): string;
}

/**
 * A snapshot map (resource ID → list) read case-insensitively: a key spelled exactly like the ID
 * wins, otherwise the first key equal to it ignoring case. An exact lookup reads the object's own
 * property (once a key has been used, V8 finds it quickly; copying 100,000 keys into a Map first
 * cost more than every lookup), and the lower-cased copy is built only on the first miss that
 * could be a case variant, so a collector-written snapshot never pays for it.
 */
export class ListsById {
  private folded: Map<string, readonly unknown[]> | undefined;
  /** How many keys hold a list (counted only when a miss needs it). */
  private lists: number | undefined;

  constructor(private readonly source: Readonly<Record<string, unknown[]>>) {}

  /** The list under exactly this key (an own property holding an array), else undefined. */
  private exact(id: string): readonly unknown[] | undefined {
    const value: unknown = this.source[id];
    return Array.isArray(value) && Object.hasOwn(this.source, id) ? value : undefined;
  }

  private listCount(): number {
    if (this.lists === undefined) {
      let n = 0;
      for (const key of Object.keys(this.source)) if (Array.isArray(this.source[key])) n++;
      this.lists = n;
    }
    return this.lists;
  }

  /** The list for a resource, by its ID as spelled and its `idKey`. */
  lookup(id: string, key: string): readonly unknown[] | undefined {
    const exact = this.exact(id);
    if (exact !== undefined || this.listCount() === 0) return exact;
    this.folded ??= lowerCased(this.source);
    return this.folded.get(key);
  }

  /** The list for a resource ID in any casing. */
  get(id: string): readonly unknown[] | undefined {
    return this.lookup(id, idKey(id));
  }

  /**
   * The lists of many accounts at once (aligned with `ids`). When every key of the map is some
   * account's exact ID, a miss cannot be a case variant, so nothing is lower-cased at all.
   */
  resolve(ids: readonly string[], keys: readonly string[]): (readonly unknown[] | undefined)[] {
    const out: (readonly unknown[] | undefined)[] = new Array(ids.length);
    let hits = 0;
    let misses = 0;
    for (let i = 0; i < ids.length; i++) {
      const list = this.exact(ids[i]);
      out[i] = list;
      if (list === undefined) misses++;
      else hits++;
    }
    if (misses > 0 && hits < this.listCount()) {
      this.folded ??= lowerCased(this.source);
      for (let i = 0; i < ids.length; i++) out[i] ??= this.folded.get(keys[i]);
    }
    return out;
  }
}

const SPEECH_KIND_KEYS: readonly string[] = SPEECH_KINDS.map((k) => k.toLowerCase());

/** The kind half of `isSpeechAccount`, without allocating per document. */
function isSpeechKind(kind: unknown): boolean {
  for (let i = 0; i < SPEECH_KIND_KEYS.length; i++) if (eqCi(kind, SPEECH_KIND_KEYS[i])) return true;
  return false;
}

const ERROR_SOURCE_BY_KEY = new Map<string, ErrorSource>(ERROR_SOURCES.map((s) => [s.toLowerCase(), s]));
const ROLE_ASSIGNMENT_SEGMENT = "/providers/microsoft.authorization/roleassignments/";

export function buildIndexes(snapshot: Snapshot): SnapshotIndex {
  const accountDocs: AzureDocument[] = [];
  const accountKeys: string[] = [];
  const seenAccounts = new Set<string>();
  const storage = new Map<string, AzureDocument>();
  const vaults = new Map<string, VaultEntry>();
  const roleDocs: AzureDocument[] = [];
  let roleAssignments: Map<string, RoleGrant[]> | undefined;
  const perimeters = new Map<string, PerimeterAssociation[]>();

  const docs = snapshot.resources;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (typeof doc.id !== "string") continue;
    const type = doc.type;
    if (eqCi(type, COGNITIVE_ACCOUNT_TYPE)) {
      if (!isSpeechKind(doc.kind)) continue;
      const key = idKey(doc.id);
      if (!seenAccounts.has(key)) {
        seenAccounts.add(key);
        accountDocs.push(doc);
        accountKeys.push(key);
      }
    } else if (eqCi(type, STORAGE_ACCOUNT_TYPE)) {
      const key = idKey(doc.id);
      if (!storage.has(key)) storage.set(key, doc);
    } else if (eqCi(type, KEY_VAULT_TYPE)) {
      addVault(vaults, doc);
    } else if (eqCi(type, ROLE_ASSIGNMENT_TYPE)) {
      roleDocs.push(doc);
    } else if (eqCi(type, PERIMETER_ASSOCIATION_TYPE)) {
      addPerimeterAssociation(perimeters, doc);
    }
  }

  const diagnosticSettings = new ListsById(snapshot.diagnosticSettings);
  const speechEndpoints = new ListsById(snapshot.speechEndpoints);
  const accountIds = accountDocs.map((d) => d.id);
  const diagnosticLists = diagnosticSettings.resolve(accountIds, accountKeys);
  const endpointLists = speechEndpoints.resolve(accountIds, accountKeys);
  const accounts: AccountEntry[] = new Array(accountDocs.length);
  for (let i = 0; i < accountDocs.length; i++) {
    accounts[i] = { doc: accountDocs[i], key: accountKeys[i], diagnosticSettings: diagnosticLists[i], speechEndpoints: endpointLists[i] };
  }

  const errors = indexErrors(snapshot.errors);
  const errorLevels = scopeLevels(errors);
  const scopes = new Map<string, string>();
  const subscriptions = new Map<string, SubscriptionInfo>();
  const scannedSubscriptions = new Set<string>();
  const graphErrors = errors.get("resourceGraph");
  for (const sub of snapshot.subscriptions) {
    const key = idKey(sub.subscriptionId);
    if (subscriptions.has(key)) continue;
    subscriptions.set(key, sub);
    if (!graphErrors?.has(`/subscriptions/${key}`)) scannedSubscriptions.add(key);
  }
  const managementGroups = new Map<string, ReadonlySet<string> | undefined>();

  return {
    coverage: coverageOf(snapshot.coverage),
    accounts,
    storage,
    vaults,
    get roleAssignments() {
      if (roleAssignments === undefined) {
        roleAssignments = new Map();
        for (let i = 0; i < roleDocs.length; i++) addRoleAssignment(roleAssignments, roleDocs[i]);
      }
      return roleAssignments;
    },
    diagnosticSettings,
    speechEndpoints,
    perimeters,
    errors,
    errorFor(source, key, subscriptionScope) {
      const bySource = errors.get(source);
      if (bySource === undefined) return undefined;
      const direct = bySource.get(key);
      if (direct !== undefined) return direct;
      // Cutting the enclosing scopes out of the ID costs two strings: only when an entry could match them.
      const levels = errorLevels.get(source)!;
      if (!levels.group && !levels.subscription) return undefined;
      const [group, subscription] = levels.group || subscriptionScope === undefined ? enclosingScopes(key) : [undefined, subscriptionScope];
      return (group === undefined ? undefined : bySource.get(group)) ?? bySource.get(subscriptionScope ?? subscription ?? "");
    },
    hiddenBy(key) {
      if (graphErrors === undefined) return undefined;
      const group = enclosingScopes(key)[0];
      return graphErrors.get(key) ?? (group === undefined ? undefined : graphErrors.get(group));
    },
    managementGroupsOf(subscriptionKey) {
      if (managementGroups.has(subscriptionKey)) return managementGroups.get(subscriptionKey);
      const ancestors = subscriptions.get(subscriptionKey)?.managementGroupAncestors;
      const names = Array.isArray(ancestors)
        ? new Set(ancestors.flatMap((a) => (typeof a === "string" && a.trim() !== "" ? [a.trim().toLowerCase()] : [])))
        : undefined;
      managementGroups.set(subscriptionKey, names);
      return names;
    },
    subscriptions,
    scannedSubscriptions,
    scopeOfSubscription(subscriptionKey) {
      let scope = scopes.get(subscriptionKey);
      if (scope === undefined) scopes.set(subscriptionKey, (scope = `/subscriptions/${subscriptionKey}`));
      return scope;
    },
  };
}

/** Coverage items compared case-insensitively (and trimmed), kept in their canonical spelling. */
function coverageOf(items: readonly unknown[]): Set<CoverageItem> {
  const out = new Set<CoverageItem>();
  for (const item of items) {
    if (typeof item !== "string") continue;
    const key = item.trim().toLowerCase();
    const known = COVERAGE_ITEMS.find((c) => c.toLowerCase() === key);
    if (known) out.add(known);
  }
  return out;
}

/**
 * The resource group scope and the subscription scope enclosing a lower-cased resource ID, cut at
 * whole path segments (`/subscriptions/{s}/resourcegroups/{rg}`, `/subscriptions/{s}`).
 */
export function enclosingScopes(key: string): [group: string | undefined, subscription: string | undefined] {
  if (!key.startsWith("/subscriptions/")) return [undefined, undefined];
  const subEnd = key.indexOf("/", 15);
  if (subEnd < 0) return [undefined, undefined]; // the key is itself a subscription scope
  if (subEnd === 15) return [undefined, undefined];
  const subscription = key.slice(0, subEnd);
  if (!key.startsWith("/resourcegroups/", subEnd)) return [undefined, subscription];
  const groupStart = subEnd + 16;
  const groupEnd = key.indexOf("/", groupStart);
  if (groupEnd < 0 || groupEnd === groupStart) return [undefined, subscription]; // the key is the group itself
  return [key.slice(0, groupEnd), subscription];
}

/** The reason an error entry stands for: a missing or unlisted reason counts as collection_error. */
export function errorReason(error: SnapshotError): ErrorReason {
  const reason = typeof error.reason === "string" ? error.reason.trim().toLowerCase() : "";
  return isOneOf(ERROR_REASONS, reason) ? reason : "collection_error";
}

function addVault(vaults: Map<string, VaultEntry>, doc: AzureDocument): void {
  const props = child(doc, "properties");
  const uri = text(props.vaultUri);
  if (uri === undefined) return;
  const key = vaultUriKey(uri);
  const isProtected = props.enableSoftDelete !== false && props.enablePurgeProtection === true;
  const existing = vaults.get(key);
  if (!existing || (isProtected && !existing.protected)) vaults.set(key, { doc, protected: isProtected });
}

function addRoleAssignment(index: Map<string, RoleGrant[]>, doc: AzureDocument): void {
  const props = child(doc, "properties");
  const principal = text(props.principalId);
  if (principal === undefined) return;
  const scope = text(props.scope);
  const scopeKey = scopeKeyOf(scope, doc.id);
  if (scopeKey === undefined) return;
  const role = text(props.roleDefinitionId);
  const grant: RoleGrant = {
    id: doc.id,
    scope: scope ?? scopeKey,
    scopeKey,
    blobDataContributor: role !== undefined && endsWithCi(role.trimEnd(), STORAGE_BLOB_DATA_CONTRIBUTOR),
    managementGroup: managementGroupOf(scopeKey),
  };
  const key = idKey(principal);
  const grants = index.get(key);
  if (grants) grants.push(grant);
  else index.set(key, [grant]);
}

const MANAGEMENT_GROUP_PREFIX = "/providers/microsoft.management/managementgroups/";

/** `{name}` of a scope that is exactly `/providers/Microsoft.Management/managementGroups/{name}`. */
function managementGroupOf(scopeKey: string): string | undefined {
  if (!scopeKey.startsWith(MANAGEMENT_GROUP_PREFIX)) return undefined;
  const name = scopeKey.slice(MANAGEMENT_GROUP_PREFIX.length);
  return name === "" || name.includes("/") ? undefined : name;
}

function addPerimeterAssociation(index: Map<string, PerimeterAssociation[]>, doc: AzureDocument): void {
  const props = child(doc, "properties");
  const resource = text(child(props, "privateLinkResource").id);
  if (resource === undefined) return;
  const accessMode = text(props.accessMode)?.trim();
  const association: PerimeterAssociation = {
    doc,
    accessMode,
    enforced: eqCi(accessMode, "enforced"),
    profileId: text(child(props, "profile").id)?.trim(),
  };
  const key = idKey(resource);
  const list = index.get(key);
  if (list) list.push(association);
  else index.set(key, [association]);
}

/** Case-insensitive `endsWith` for a lower-case ASCII suffix, without lower-casing the whole ID. */
function endsWithCi(value: string, suffixLower: string): boolean {
  const start = value.length - suffixLower.length;
  return start >= 0 && sameCi(value.slice(start), suffixLower);
}

/** `properties.scope`, or the part of the assignment's ID before `/providers/Microsoft.Authorization/…`. */
function scopeKeyOf(scope: string | undefined, id: string): string | undefined {
  if (scope !== undefined) return trimTrailingSlash(idKey(scope));
  const idLower = idKey(id);
  const at = idLower.lastIndexOf(ROLE_ASSIGNMENT_SEGMENT);
  if (at < 0) return undefined;
  return at === 0 ? "/" : idLower.slice(0, at);
}

/** Lower-cased keys; of keys equal ignoring case, the first wins. */
function lowerCased(map: Readonly<Record<string, unknown[]>>): Map<string, readonly unknown[]> {
  const out = new Map<string, readonly unknown[]>();
  for (const rawKey of Object.keys(map)) {
    const value = map[rawKey];
    const key = idKey(rawKey);
    if (Array.isArray(value) && !out.has(key)) out.set(key, value);
  }
  return out;
}

/** Per source, whether some entry is scoped to a resource group, and some to a subscription. */
function scopeLevels(errors: Map<ErrorSource, Map<string, SnapshotError>>): Map<ErrorSource, { group: boolean; subscription: boolean }> {
  const out = new Map<ErrorSource, { group: boolean; subscription: boolean }>();
  for (const [source, bySource] of errors) {
    const levels = { group: false, subscription: false };
    for (const scope of bySource.keys()) {
      if (!scope.startsWith("/subscriptions/")) continue;
      const parts = scope.split("/").length;
      if (parts === 3) levels.subscription = true;
      else if (parts === 5 && scope.indexOf("/resourcegroups/") === scope.indexOf("/", 15)) levels.group = true;
    }
    out.set(source, levels);
  }
  return out;
}

function indexErrors(errors: readonly SnapshotError[]): Map<ErrorSource, Map<string, SnapshotError>> {
  const out = new Map<ErrorSource, Map<string, SnapshotError>>();
  for (const error of errors) {
    if (!obj(error) || typeof error.scope !== "string" || typeof error.source !== "string") continue;
    const source = ERROR_SOURCE_BY_KEY.get(error.source.trim().toLowerCase());
    if (!source) continue;
    const scope = trimTrailingSlash(idKey(error.scope));
    let bySource = out.get(source);
    if (!bySource) out.set(source, (bySource = new Map()));
    if (!bySource.has(scope)) bySource.set(scope, error);
  }
  return out;
}
