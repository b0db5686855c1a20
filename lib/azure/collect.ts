/**
 * Collection: Resource Graph first, then per-resource details with bounded concurrency, into one
 * Snapshot (CONTROLS.md §Snapshot). One step per method, in the order the controls need them. A
 * failure is recorded in `errors` with its reason and never drops what could be read; only
 * cancellation aborts. A re-check is the same collection restricted to one account.
 */
import { setMaxListeners } from "node:events";
import {
  SNAPSHOT_KIND,
  SNAPSHOT_VERSION,
  isSpeechAccount,
  type AzureDocument,
  type CoverageItem,
  type ErrorSource,
  type Snapshot,
  type SnapshotError,
  type SubscriptionInfo,
} from "@/lib/posture/snapshot";
import {
  blobContributorAssignmentsQuery,
  defenderAssessmentsQuery,
  keyVaultsByNameQuery,
  linkedStorageQuery,
  perimeterAssociationsQuery,
  policyAssignmentsAndExemptionsQuery,
  policyStatesQuery,
  speechAccountsQuery,
  storageByIdQuery,
  subscriptionsQuery,
} from "./queries";
import { ResourceGraphReader, type QueryOptions } from "./resource-graph";
import { DetailReader, NotCallableError } from "./details";
import { ArmReader, COGNITIVE_ACCOUNT, STORAGE_ACCOUNT, parseResourceId } from "./arm";
import { WorkPool } from "./pool";
import { ScopedQueries, chunk } from "./scoped-query";
import { classifyError, isAbortError, toSnapshotError, CollectionCancelledError } from "./errors";
import { throwIfAborted } from "./sleep";
import type { AzureTarget } from "./target";
import { vaultNameFromUri, vaultUrisInUse } from "@/lib/posture/key-vaults";
import { scopesAbove } from "@/lib/posture/ids";
import { linkedStorageIds, subscriptionOfId } from "./links";
import { idChunks, type IdChunk } from "./id-chunks";
import { assessmentsOfRow, policyStatesOfRow } from "./verdict-rows";
import { AZURE_MAPPINGS, POLICY_EXEMPTION_TYPE } from "@/lib/posture/azure-verdicts";

export type CollectPhase = "subscriptions" | "accounts" | "storage" | "keyVaults" | "roleAssignments" | "azureVerdicts" | "details" | "done";

export interface CollectProgress {
  phase: CollectPhase;
  /** Per-resource calls finished and planned so far (the long part of a scan). */
  done: number;
  total: number;
}

export interface CollectOptions {
  /** Subscription IDs to scan; all visible subscriptions when omitted. */
  subscriptions?: string[];
  /** Scan the subscriptions below these management groups (Resource Graph `managementGroups` scope) instead of every visible one. */
  managementGroups?: string[];
  /** Subscription IDs never scanned (nor listed), whatever the scope says. */
  excludeSubscriptions?: string[];
  /**
   * Re-check: only this Speech account, read from ARM (fresher than Resource Graph's index), with
   * everything it links to, looked up over every visible subscription as a full scan would.
   */
  accountId?: string;
  /** Per-resource calls in flight at once (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: CollectProgress) => void;
  /** Override the clock for reproducible tests. */
  now?: () => Date;
}

export interface CollectStats {
  argRequests: number;
  argThrottled: number;
  perResourceCalls: number;
  failedCalls: number;
}

export interface CollectResult {
  snapshot: Snapshot;
  stats: CollectStats;
}

export const DEFAULT_CONCURRENCY = 16;
const ID_CHUNK = 100;
const NAME_CHUNK = 300;
const PERIMETER_ASSOCIATION_TYPE = "microsoft.network/networksecurityperimeters/resourceassociations";
/** The definitions and assessment keys the reconciliation maps (CONTROLS.md "Azure's own verdicts"). */
const MAPPINGS = Object.values(AZURE_MAPPINGS);
const POLICY_GUIDS = [...new Set(MAPPINGS.flatMap((m) => m!.policies.map((p) => p.definitionId)))].sort();
const DEFENDER_KEYS = [...new Set(MAPPINGS.flatMap((m) => m!.defender.map((d) => d.key)))].sort();
const EXEMPTION_SUFFIX = /\/providers\/microsoft\.authorization\/policyexemptions\/[^/]+$/i;

export async function collect(target: AzureTarget, options: CollectOptions = {}): Promise<CollectResult> {
  return new Collector(target, options).run();
}

/**
 * The subscriptions a scope covers, listed as a collection would list them (one Resource Graph
 * query per scope): what a large tenant's job splits into batches. Undefined when the listing is
 * not the whole scope (a capped tenant, a group that could not be read): then it is not split.
 */
export async function listScopeSubscriptions(target: AzureTarget, options: CollectOptions = {}): Promise<string[] | undefined> {
  return new Collector(target, options).scopeSubscriptions();
}

/** An internal signal that follows the caller's: many concurrent calls listen to it at once. */
function linkedSignal(outer?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller.signal;
}

const lower = (s: string) => s.toLowerCase();

/** The lower-cased subscriptions of some resource IDs, sorted: a verdict query's scope. */
function subscriptionsOf(ids: readonly string[]): string[] {
  const subs = new Set<string>();
  for (const id of ids) {
    const sub = subscriptionOfId(id);
    if (sub) subs.add(lower(sub));
  }
  return [...subs].sort();
}
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** A `resourcecontainers` subscription row, with its management-group ancestors when Azure sent them. */
export function rowToSubscription(row: Record<string, unknown>): SubscriptionInfo | undefined {
  const id = str(row.subscriptionId);
  if (!id) return undefined;
  const props = (row.properties ?? {}) as { state?: unknown; managementGroupAncestorsChain?: unknown };
  const sub: SubscriptionInfo = { subscriptionId: id, displayName: str(row.name), state: str(props.state) };
  // Its own tenant: a Lighthouse-delegated subscription is listed under the managing tenant's token but belongs to the customer's.
  const tenantId = str(row.tenantId);
  if (tenantId) sub.tenantId = tenantId;
  const chain = props.managementGroupAncestorsChain;
  if (Array.isArray(chain)) {
    sub.managementGroupAncestors = chain.map((mg) => str((mg as { name?: unknown } | null)?.name)).filter((n): n is string => !!n);
  }
  return sub;
}

/** Documents kept by lower-cased ID: a batch split after a late failure may deliver rows twice. */
class DocumentSet {
  private readonly byId = new Map<string, AzureDocument>();
  add(row: Record<string, unknown>): boolean {
    if (typeof row.id !== "string" || this.byId.has(lower(row.id))) return false;
    this.byId.set(lower(row.id), row as AzureDocument);
    return true;
  }
  has(id: string): boolean {
    return this.byId.has(lower(id));
  }
  values(): AzureDocument[] {
    return [...this.byId.values()];
  }
}

class Collector {
  private readonly signal: AbortSignal;
  private readonly arg: ResourceGraphReader;
  private readonly details: DetailReader;
  private readonly arm: ArmReader;
  private readonly queries: ScopedQueries;
  private readonly pool: WorkPool;
  private readonly errors: SnapshotError[] = [];
  private readonly diagnosticSettings: Record<string, unknown[]> = {};
  private readonly speechEndpoints: Record<string, unknown[]> = {};
  /** Lower-cased IDs of the subscriptions being scanned (listed, and no Resource Graph error). */
  private readonly scanned = new Set<string>();
  private phase: CollectPhase = "subscriptions";
  private failedCalls = 0;

  constructor(
    private readonly target: AzureTarget,
    private readonly options: CollectOptions,
  ) {
    this.signal = linkedSignal(options.signal);
    this.arg = new ResourceGraphReader(target);
    this.details = new DetailReader(target);
    this.arm = new ArmReader(target);
    this.queries = new ScopedQueries(this.arg, this.errors, this.signal);
    this.pool = new WorkPool(options.concurrency ?? DEFAULT_CONCURRENCY, () => this.report());
  }

  async run(): Promise<CollectResult> {
    const collectedAt = (this.options.now ?? (() => new Date()))().toISOString();
    try {
      // A re-check reads its account first: a wrong ID or a missing account fails before any query.
      const single = this.options.accountId ? await this.readAccount(this.options.accountId) : undefined;
      const { subscriptions, tenantFromRows } = await this.listSubscriptions();
      const accounts = single ? [single] : await this.collectAccounts();
      if (single) this.queueDetails(single);
      const storage = await this.collectLinkedStorage(accounts, !single);
      await this.confirmHiddenStorage(accounts, storage);
      const perimeters = await this.collectPerimeterAssociations(accounts, storage.values());
      const vaults = await this.collectKeyVaults(accounts, storage.values());
      const roles = await this.collectRoleAssignments(accounts, storage.values());
      const policy = await this.collectPolicyVerdicts([...accounts, ...storage.values(), ...vaults]);
      const defender = await this.collectDefenderAssessments(accounts);
      this.setPhase("details");
      await this.pool.whenIdle();
      throwIfAborted(this.signal);
      this.setPhase("done");

      // Role assignments that could not be read are `errors` entries (BYOS-3 reads them), so the item is covered.
      const coverage: CoverageItem[] = ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"];
      if (policy.covered) coverage.push("azurePolicy");
      if (defender.covered) coverage.push("defender");
      const tenantId = this.target.tenantId ?? tenantFromRows ?? accounts.map((a) => str(a.tenantId)).find(Boolean);
      const snapshot: Snapshot = {
        kind: SNAPSHOT_KIND,
        version: SNAPSHOT_VERSION,
        collectedAt,
        ...(tenantId ? { tenantId } : {}),
        subscriptions,
        coverage,
        resources: [...accounts, ...storage.values(), ...vaults, ...roles, ...perimeters, ...policy.rows, ...defender.rows],
        diagnosticSettings: this.diagnosticSettings,
        speechEndpoints: this.speechEndpoints,
        errors: this.errors,
      };
      const stats: CollectStats = {
        argRequests: this.arg.stats.requests,
        argThrottled: this.arg.stats.throttled,
        perResourceCalls: this.details.calls + this.arm.calls,
        failedCalls: this.failedCalls,
      };
      return { snapshot, stats };
    } catch (error) {
      this.pool.clear();
      if (isAbortError(error) || this.signal.aborted) throw new CollectionCancelledError();
      throw error;
    }
  }

  async scopeSubscriptions(): Promise<string[] | undefined> {
    const { subscriptions } = await this.listSubscriptions();
    return this.errors.length > 0 ? undefined : subscriptions.map((s) => s.subscriptionId);
  }

  private report(): void {
    this.options.onProgress?.({ phase: this.phase, done: this.pool.done, total: this.pool.total });
  }

  private setPhase(phase: CollectPhase): void {
    this.phase = phase;
    this.report();
  }

  /** Run a query over the scanned subscriptions; a subscription Resource Graph refuses is no longer scanned. */
  private async queryScanned(query: string, onPage?: (rows: Record<string, unknown>[]) => void, subs = [...this.scanned]) {
    const result = await this.queries.run(query, "resourceGraph", subs, { onPage });
    for (const s of result.failed) this.scanned.delete(lower(s));
    return result.rows;
  }

  /** The re-checked account, straight from ARM; it must be a Speech account. */
  private async readAccount(id: string): Promise<AzureDocument> {
    const { subscriptionId, resourceGroup } = parseResourceId(id, COGNITIVE_ACCOUNT);
    this.setPhase("accounts");
    const raw = await this.arm.get(id, COGNITIVE_ACCOUNT, this.signal);
    // ARM's GET omits Resource Graph's subscriptionId and resourceGroup columns; the snapshot keeps both shapes.
    const account = { ...raw, subscriptionId, resourceGroup } as AzureDocument;
    if (!isSpeechAccount(account)) {
      throw Object.assign(
        new Error(`${account.name ?? id} is a ${String(account.kind)} account, not a Speech resource (SpeechServices, AIServices or CognitiveServices).`),
        { code: "NotSpeech" },
      );
    }
    return account;
  }

  /** Step 1: the subscriptions to scan, their names and their management-group ancestors. */
  private async listSubscriptions(): Promise<{ subscriptions: SubscriptionInfo[]; tenantFromRows?: string }> {
    this.setPhase("subscriptions");
    const visible = new Map<string, SubscriptionInfo>();
    let tenantFromRows: string | undefined;
    const addRows = (rows: Record<string, unknown>[]) => {
      for (const row of rows) {
        const sub = rowToSubscription(row);
        if (sub && !visible.has(lower(sub.subscriptionId))) visible.set(lower(sub.subscriptionId), sub);
        tenantFromRows ??= str(row.tenantId);
      }
    };
    const excluded = new Set((this.options.excludeSubscriptions ?? []).map((s) => lower(s.trim())));
    const groups = this.options.accountId ? [] : (this.options.managementGroups ?? []).filter((g) => g.trim() !== "");
    const outcome = groups.length ? await this.listUnderGroups(groups) : await this.arg.query(subscriptionsQuery, undefined, this.signal);
    addRows(outcome.rows);
    for (const key of excluded) visible.delete(key);
    const requested = this.options.accountId ? undefined : this.options.subscriptions?.filter((s) => s.trim() !== "" && !excluded.has(lower(s.trim())));
    const incomplete = outcome.subscriptionLimitHit || outcome.truncated;
    if (incomplete && requested?.length) {
      // Tenant scope stopped short: ask for the requested subscriptions by name (explicit scopes have no such cap).
      addRows(
        await this.queries
          .run(
            subscriptionsQuery,
            "resourceGraph",
            requested.filter((s) => !visible.has(lower(s))),
          )
          .then((r) => r.rows),
      );
    } else if (incomplete) {
      this.errors.push({
        scope: "/",
        source: "resourceGraph",
        reason: "collection_error",
        code: outcome.subscriptionLimitHit ? "TenantSubscriptionLimitHit" : "ResultTruncated",
        message: `Resource Graph listed only the first ${visible.size} subscriptions of the tenant; the others were not scanned. Scan them by naming them (--subscriptions).`,
      });
    }

    const subscriptions: SubscriptionInfo[] = [];
    if (requested?.length) {
      for (const id of requested) {
        const found = visible.get(lower(id));
        if (found) subscriptions.push(found);
        else {
          subscriptions.push({ subscriptionId: id });
          this.errors.push({
            scope: `/subscriptions/${id}`,
            source: "resourceGraph",
            reason: "access_denied",
            code: "SubscriptionNotFound",
            message: `Subscription ${id} is not visible to the scanning identity (it does not exist or the identity has no role on it).`,
          });
        }
      }
    } else subscriptions.push(...visible.values());
    for (const s of subscriptions) if (visible.has(lower(s.subscriptionId))) this.scanned.add(lower(s.subscriptionId));
    return { subscriptions, tenantFromRows };
  }

  /**
   * The subscriptions below the chosen management groups, one group at a time so a group the
   * identity may not read (403) becomes an `errors` entry on that group and the others still count.
   */
  private async listUnderGroups(groups: string[]) {
    const rows: Record<string, unknown>[] = [];
    let subscriptionLimitHit = false;
    let truncated = false;
    for (const group of groups) {
      try {
        const outcome = await this.arg.query(subscriptionsQuery, undefined, this.signal, undefined, { managementGroups: [group] });
        for (const row of outcome.rows) rows.push(row);
        subscriptionLimitHit ||= outcome.subscriptionLimitHit;
        truncated ||= outcome.truncated;
      } catch (error) {
        if (isAbortError(error) || this.signal.aborted) throw error;
        this.errors.push(toSnapshotError(`/providers/Microsoft.Management/managementGroups/${group}`, "resourceGraph", error));
      }
    }
    return { rows, subscriptionLimitHit, truncated };
  }

  /** Step 2: Speech accounts; their per-resource calls start as each page arrives. */
  private async collectAccounts(): Promise<AzureDocument[]> {
    this.setPhase("accounts");
    const accounts = new DocumentSet();
    await this.queryScanned(speechAccountsQuery, (rows) => {
      for (const row of rows) if (accounts.add(row)) this.queueDetails(row as AzureDocument);
    });
    return accounts.values();
  }

  /** Step 3: diagnostic settings (ARM) and custom endpoints (Speech data plane) of one account. */
  private queueDetails(account: AzureDocument): void {
    this.pool.add(async () => {
      try {
        this.diagnosticSettings[account.id] = await this.details.diagnosticSettings(account.id, this.signal);
      } catch (error) {
        if (this.signal.aborted) return;
        this.failedCalls++;
        this.errors.push(toSnapshotError(account.id, "diagnosticSettings", error));
      }
    });
    this.pool.add(async () => {
      try {
        this.speechEndpoints[account.id] = await this.details.speechEndpoints(account, this.signal);
      } catch (error) {
        if (this.signal.aborted) return;
        if (!(error instanceof NotCallableError)) this.failedCalls++;
        this.errors.push(toSnapshotError(account.id, "speechEndpoints", error));
      }
    });
  }

  /**
   * Step 4: linked storage. A full scan joins accounts to storage per batch, then reads by ID the
   * links into other batches; a re-check reads its links by ID.
   */
  private async collectLinkedStorage(accounts: AzureDocument[], join: boolean): Promise<DocumentSet> {
    this.setPhase("storage");
    const storage = new DocumentSet();
    if (join) for (const row of await this.queryScanned(linkedStorageQuery)) storage.add(row);
    const missing = this.linkedInScannedSubscriptions(accounts).filter((id) => !storage.has(id));
    if (missing.length > 0) {
      const subs = [...new Set(missing.map((id) => lower(subscriptionOfId(id)!)))];
      for (const part of chunk(missing, ID_CHUNK)) for (const row of await this.queryScanned(storageByIdQuery(part), undefined, subs)) storage.add(row);
    }
    return storage;
  }

  /** Linked storage IDs whose subscription is scanned: the others are "not visible" by definition. */
  private linkedInScannedSubscriptions(accounts: AzureDocument[]): string[] {
    return linkedStorageIds(accounts).filter((id) => {
      const sub = subscriptionOfId(id);
      return !!sub && this.scanned.has(lower(sub));
    });
  }

  /**
   * Step 5: Resource Graph leaves out, silently, what the caller may not read. Each linked storage
   * account it did not return is confirmed with an ARM GET: 404 = gone (a dangling link, no
   * entry); 403 = hidden (`access_denied` on the storage ID); anything else = `collection_error`.
   */
  private async confirmHiddenStorage(accounts: AzureDocument[], storage: DocumentSet): Promise<void> {
    const unseen = this.linkedInScannedSubscriptions(accounts).filter((id) => !storage.has(id));
    // Its own pool: the shared one is busy with every account's details, which need not finish first.
    const confirmations = new WorkPool(this.options.concurrency ?? DEFAULT_CONCURRENCY);
    await Promise.all(
      unseen.map((id) =>
        confirmations.run(async () => {
          try {
            // Read by ARM but not yet in Resource Graph's index: the document is real, keep it.
            storage.add(await this.arm.get(id, STORAGE_ACCOUNT, this.signal));
          } catch (error) {
            if (isAbortError(error) || this.signal.aborted) throw error;
            const c = classifyError(error);
            if (c.status === 404) return;
            if (c.status !== 403) this.failedCalls++;
            const reason = c.status === 403 ? "access_denied" : "collection_error";
            this.errors.push({ scope: id, source: "resourceGraph", reason, code: c.code, message: c.message });
            // Role assignments made at a scope the caller cannot read (the storage account or its group)
            // are left out of Resource Graph's answer as silently: BYOS-3 cannot be judged for this one.
            if (c.status === 403) {
              this.errors.push({
                scope: id,
                source: "roleAssignments",
                reason,
                code: c.code,
                message: "The storage account is hidden from the scanner, so role assignments at its scope cannot be read.",
              });
            }
          }
        }),
      ),
    );
    throwIfAborted(this.signal);
  }

  /** Step 6: network security perimeter associations of the accounts and their linked storage. */
  private async collectPerimeterAssociations(accounts: AzureDocument[], storage: AzureDocument[]): Promise<AzureDocument[]> {
    const governed = new Set([...accounts, ...storage].map((d) => lower(d.id)));
    for (const id of linkedStorageIds(accounts)) governed.add(lower(id));
    const associations = new DocumentSet();
    for (const row of await this.queryScanned(perimeterAssociationsQuery)) {
      if (lower(String(row.type)) !== PERIMETER_ASSOCIATION_TYPE) continue;
      const target = (row.properties as { privateLinkResource?: { id?: unknown } } | null | undefined)?.privateLinkResource?.id;
      if (typeof target === "string" && governed.has(lower(target.trim().replace(/\/+$/, "")))) associations.add(row);
    }
    return associations.values();
  }

  /** Step 7: key vaults named by the keys in use. */
  private async collectKeyVaults(accounts: AzureDocument[], storage: AzureDocument[]): Promise<AzureDocument[]> {
    this.setPhase("keyVaults");
    const vaultNames = [
      ...new Set(
        vaultUrisInUse(accounts, storage)
          .map(vaultNameFromUri)
          .filter((n): n is string => !!n),
      ),
    ].sort();
    const vaults = new DocumentSet();
    for (const part of chunk(vaultNames, NAME_CHUNK)) for (const row of await this.queryScanned(keyVaultsByNameQuery(part))) vaults.add(row);
    return vaults.values();
  }

  /**
   * Step 8: Storage Blob Data Contributor assignments of the accounts' identities, over the linked
   * storage accounts' subscriptions, including grants above them (management groups, `/`).
   */
  private async collectRoleAssignments(accounts: AzureDocument[], storage: AzureDocument[]): Promise<AzureDocument[]> {
    this.setPhase("roleAssignments");
    const principals = new Set<string>();
    for (const a of accounts) {
      const pid = str((a.identity as { principalId?: unknown } | null | undefined)?.principalId);
      if (pid) principals.add(lower(pid));
    }
    const subs = new Set<string>();
    for (const id of [...linkedStorageIds(accounts), ...storage.map((s) => s.id)]) {
      const sub = subscriptionOfId(id);
      if (sub && this.scanned.has(lower(sub))) subs.add(lower(sub));
    }
    if (principals.size === 0 || subs.size === 0) return [];
    const { rows } = await this.queries.run(blobContributorAssignmentsQuery, "roleAssignments", [...subs].sort(), {
      options: { authorizationScopeFilter: "AtScopeAboveAndBelow" },
    });
    // A grant above the subscriptions comes back once per batch.
    const roles = new DocumentSet();
    for (const row of rows) {
      const pid = str((row.properties as { principalId?: unknown } | undefined)?.principalId);
      if (pid && principals.has(lower(pid))) roles.add(row);
    }
    return roles.values();
  }

  /**
   * Step 9: Azure Policy's own verdicts on the accounts, their linked storage and their vaults in
   * use: the states of the mapped definitions and subject types in the subjects' subscriptions,
   * summarised per assignment in KQL (queries.ts says why), of which the subjects' are kept; then
   * the exemptions and display names of the assignments those states name.
   * Coverage `azurePolicy` is claimed when some batch answered (or nothing was in scope): a failed
   * batch leaves `errors` entries on its subscriptions, which make only their accounts'
   * agreement `not_collected`, instead of dropping every subscription's verdicts.
   */
  private async collectPolicyVerdicts(subjects: AzureDocument[]): Promise<{ rows: AzureDocument[]; covered: boolean }> {
    this.setPhase("azureVerdicts");
    const inScope = subjects.map((d) => d.id).filter((id) => this.scanned.has(lower(subscriptionOfId(id) ?? "")));
    const wanted = new Set(inScope.map(lower));
    const subs = subscriptionsOf(inScope);
    const states = new DocumentSet();
    const covered = await this.runSummarised(policyStatesQuery(POLICY_GUIDS), "azurePolicy", subs, (row) =>
      policyStatesOfRow(row, (k) => wanted.has(k)).forEach((d) => states.add(d)),
    );
    const assignmentIds = new Set<string>();
    for (const s of states.values()) {
      const id = str((s.properties as { policyAssignmentId?: unknown } | null)?.policyAssignmentId);
      if (id) assignmentIds.add(lower(id));
    }
    const named = idChunks(assignmentIds).map((c) => ({ ids: c.ids, subscriptions: subs }));
    const namedDocs = new DocumentSet();
    await this.runChunks(named, policyAssignmentsAndExemptionsQuery, "azurePolicy", namedDocs, { authorizationScopeFilter: "AtScopeAboveAndBelow" });
    const isExemption = (d: AzureDocument) => lower(String(d.type)) === POLICY_EXEMPTION_TYPE;
    const exemptions = namedDocs.values().filter(isExemption);
    const assignments = namedDocs.values().filter((d) => !isExemption(d));
    // An exemption at a resource group or subscription also comes back for resources out of scope.
    const scopes = new Set(inScope.flatMap((id) => scopesAbove(lower(id))));
    const exempting = exemptions.filter((e) => scopes.has(lower(e.id.replace(EXEMPTION_SUFFIX, ""))));
    return { rows: [...states.values(), ...exempting, ...assignments], covered };
  }

  /** Step 10: Defender for Cloud's assessments of the mapped keys in the accounts' subscriptions, summarised per key; the accounts' are kept. Coverage as for Azure Policy. */
  private async collectDefenderAssessments(accounts: AzureDocument[]): Promise<{ rows: AzureDocument[]; covered: boolean }> {
    const ids = accounts.map((a) => a.id).filter((id) => this.scanned.has(lower(subscriptionOfId(id) ?? "")));
    const wanted = new Set(ids.map(lower));
    const assessments = new DocumentSet();
    const covered = await this.runSummarised(defenderAssessmentsQuery(DEFENDER_KEYS), "defender", subscriptionsOf(ids), (row) =>
      assessmentsOfRow(row, (k) => wanted.has(k)).forEach((d) => assessments.add(d)),
    );
    return { rows: assessments.values(), covered };
  }

  /** One summarised verdict query over `subs`; true when nothing was asked or some subscription answered. */
  private async runSummarised(query: string, source: ErrorSource, subs: string[], onRow: (row: Record<string, unknown>) => void): Promise<boolean> {
    if (subs.length === 0) return true;
    const result = await this.queries.run(query, source, subs);
    for (const row of result.rows) onRow(row);
    return result.failed.length < subs.length;
  }

  /** One query per chunk over its subscriptions; true when nothing was asked or some subscription answered. */
  private async runChunks(
    chunks: IdChunk[],
    query: (ids: string[]) => string,
    source: ErrorSource,
    into: DocumentSet,
    options?: QueryOptions,
  ): Promise<boolean> {
    let answered = chunks.length === 0;
    for (const c of chunks) {
      const result = await this.queries.run(query(c.ids), source, c.subscriptions, { options });
      for (const row of result.rows) into.add(row);
      if (result.failed.length < c.subscriptions.length) answered = true;
    }
    return answered;
  }
}
