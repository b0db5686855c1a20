/**
 * Case-insensitive lookups over a snapshot, built once per evaluation so that every control
 * reads in constant time and evaluation stays linear in the number of documents.
 */
import { idKey, trimTrailingSlash, vaultUriKey } from "./ids";
import { child, eqCi, obj, sameCi, text } from "./read";
import {
  COGNITIVE_ACCOUNT_TYPE,
  KEY_VAULT_TYPE,
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
  ERROR_SOURCES,
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
  /** Per source, the first error entry for each lower-cased scope. */
  readonly errors: ReadonlyMap<ErrorSource, ReadonlyMap<string, SnapshotError>>;
  /** Listed subscriptions by lower-cased ID. */
  readonly subscriptions: ReadonlyMap<string, SubscriptionInfo>;
  /** Lower-cased IDs of listed subscriptions without a resourceGraph error at their scope. */
  readonly scannedSubscriptions: ReadonlySet<string>;
  /** `/subscriptions/{id}` for a lower-cased subscription ID, one shared string per subscription. */
  scopeOfSubscription(subscriptionKey: string): string;
}

/**
 * A snapshot map (resource ID → list) read case-insensitively: a key spelled exactly like the ID
 * wins, otherwise the first key equal to it ignoring case. Lookups go through Maps (a property
 * lookup on a large object with a non-internalised key costs microseconds), and the lower-cased
 * copy is built only on the first miss, so a collector-written snapshot never pays for it.
 */
export class ListsById {
  private readonly exact = new Map<string, readonly unknown[]>();
  private folded: Map<string, readonly unknown[]> | undefined;

  constructor(private readonly source: Readonly<Record<string, unknown[]>>) {
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (Array.isArray(value)) this.exact.set(key, value);
    }
  }

  /** The list for a resource, by its ID as spelled and its `idKey`. */
  lookup(id: string, key: string): readonly unknown[] | undefined {
    const exact = this.exact.get(id);
    if (exact !== undefined || this.exact.size === 0) return exact;
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
      const list = this.exact.get(ids[i]);
      out[i] = list;
      if (list === undefined) misses++;
      else hits++;
    }
    if (misses > 0 && hits < this.exact.size) {
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
const ERROR_REASONS: ReadonlySet<string> = new Set<ErrorReason>(["access_denied", "network_blocked", "collection_error"]);
const ROLE_ASSIGNMENT_SEGMENT = "/providers/microsoft.authorization/roleassignments/";

export function buildIndexes(snapshot: Snapshot): SnapshotIndex {
  const accountDocs: AzureDocument[] = [];
  const accountKeys: string[] = [];
  const seenAccounts = new Set<string>();
  const storage = new Map<string, AzureDocument>();
  const vaults = new Map<string, VaultEntry>();
  const roleDocs: AzureDocument[] = [];
  let roleAssignments: Map<string, RoleGrant[]> | undefined;

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

  return {
    coverage: new Set(snapshot.coverage),
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
    errors,
    subscriptions,
    scannedSubscriptions,
    scopeOfSubscription(subscriptionKey) {
      let scope = scopes.get(subscriptionKey);
      if (scope === undefined) scopes.set(subscriptionKey, (scope = `/subscriptions/${subscriptionKey}`));
      return scope;
    },
  };
}

/** The reason an error entry stands for: a missing or unlisted reason counts as collection_error. */
export function errorReason(error: SnapshotError): ErrorReason {
  const reason = typeof error.reason === "string" ? error.reason.trim().toLowerCase() : "";
  return ERROR_REASONS.has(reason) ? (reason as ErrorReason) : "collection_error";
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
  };
  const key = idKey(principal);
  const grants = index.get(key);
  if (grants) grants.push(grant);
  else index.set(key, [grant]);
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
