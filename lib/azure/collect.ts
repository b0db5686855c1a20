/**
 * Collection: Resource Graph first, then per-resource details with bounded concurrency, into one
 * Snapshot (CONTROLS.md §Snapshot). A failure is recorded in `errors` with its reason and never
 * drops what could be read; only cancellation aborts.
 */
import { setMaxListeners } from "node:events";
import {
  SNAPSHOT_KIND,
  SNAPSHOT_VERSION,
  type AzureDocument,
  type CoverageItem,
  type Snapshot,
  type SnapshotError,
  type SubscriptionInfo,
} from "@/lib/posture/snapshot";
import {
  blobContributorAssignmentsQuery,
  keyVaultsByNameQuery,
  linkedStorageQuery,
  speechAccountsQuery,
  storageByIdQuery,
  subscriptionsQuery,
} from "./queries";
import { ResourceGraphReader } from "./resource-graph";
import { DetailReader, NotCallableError } from "./details";
import { WorkPool } from "./pool";
import { classifyError, isAbortError, toSnapshotError, CollectionCancelledError } from "./errors";
import { throwIfAborted } from "./sleep";
import type { AzureTarget } from "./target";
import { vaultNameFromUri, vaultUrisInUse } from "@/lib/posture/key-vaults";
import { linkedStorageIds, subscriptionOfId } from "./links";

export type CollectPhase = "subscriptions" | "accounts" | "storage" | "keyVaults" | "roleAssignments" | "details" | "done";

export interface CollectProgress {
  phase: CollectPhase;
  /** Per-resource calls finished and planned so far (the long part of a scan). */
  done: number;
  total: number;
}

export interface CollectOptions {
  /** Subscription IDs to scan; all visible subscriptions when omitted. */
  subscriptions?: string[];
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
/** Resource Graph accepts many subscriptions per query; the guidance is to stay under 300. */
export const SUBSCRIPTION_BATCH = 200;
const ID_CHUNK = 100;
const NAME_CHUNK = 300;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function rowToSubscription(row: Record<string, unknown>): SubscriptionInfo | undefined {
  const id = row.subscriptionId;
  if (typeof id !== "string" || id === "") return undefined;
  const props = (row.properties ?? {}) as { state?: unknown };
  return {
    subscriptionId: id,
    displayName: typeof row.name === "string" ? row.name : undefined,
    state: typeof props.state === "string" ? props.state : undefined,
  };
}

/** An internal signal that follows the caller's: many concurrent calls listen to it at once. */
function linkedSignal(outer?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller.signal;
}

export async function collect(target: AzureTarget, options: CollectOptions = {}): Promise<CollectResult> {
  const signal = linkedSignal(options.signal);
  const now = options.now ?? (() => new Date());
  const collectedAt = now().toISOString();
  const arg = new ResourceGraphReader(target);
  const details = new DetailReader(target);
  const errors: SnapshotError[] = [];
  const resources: AzureDocument[] = [];
  const diagnosticSettings: Record<string, unknown[]> = {};
  const speechEndpoints: Record<string, unknown[]> = {};
  let failedCalls = 0;
  let phase: CollectPhase = "subscriptions";
  const report = () => options.onProgress?.({ phase, done: pool.done, total: pool.total });
  const pool = new WorkPool(options.concurrency ?? DEFAULT_CONCURRENCY, () => report());
  const setPhase = (p: CollectPhase) => {
    phase = p;
    report();
  };

  try {
    // 1. Subscriptions: names and which ones the caller can see.
    setPhase("subscriptions");
    const visible = new Map<string, SubscriptionInfo>();
    let tenantFromRows: string | undefined;
    for (const row of await arg.queryAll(subscriptionsQuery, undefined, signal)) {
      const sub = rowToSubscription(row);
      if (sub) visible.set(sub.subscriptionId.toLowerCase(), sub);
      if (!tenantFromRows && typeof row.tenantId === "string" && row.tenantId) tenantFromRows = row.tenantId;
    }
    const subscriptions: SubscriptionInfo[] = [];
    if (options.subscriptions?.length) {
      for (const requested of options.subscriptions) {
        const found = visible.get(requested.toLowerCase());
        if (found) subscriptions.push(found);
        else {
          subscriptions.push({ subscriptionId: requested });
          errors.push({
            scope: `/subscriptions/${requested}`,
            source: "resourceGraph",
            reason: "access_denied",
            code: "SubscriptionNotFound",
            message: `Subscription ${requested} is not visible to the scanning identity (it does not exist or the identity has no role on it).`,
          });
        }
      }
    } else {
      subscriptions.push(...visible.values());
    }
    const scanned = new Set(subscriptions.filter((s) => visible.has(s.subscriptionId.toLowerCase())).map((s) => s.subscriptionId.toLowerCase()));

    /** Run a query over batches of the scanned subscriptions; a denied subscription is isolated and recorded. */
    const queryScanned = async (
      query: string,
      source: "resourceGraph" | "roleAssignments",
      subs: string[],
      onPage?: (rows: Record<string, unknown>[]) => void,
    ) => {
      const rows: Record<string, unknown>[] = [];
      let failed = false;
      const run = async (batch: string[]): Promise<void> => {
        if (batch.length === 0) return;
        try {
          rows.push(...(await arg.queryAll(query, batch, signal, onPage)));
        } catch (error) {
          if (isAbortError(error) || signal?.aborted) throw error;
          const c = classifyError(error);
          if (c.reason === "access_denied" && batch.length > 1) {
            // One subscription without access fails the whole batch: bisect to find it, keep the rest.
            const mid = Math.ceil(batch.length / 2);
            await run(batch.slice(0, mid));
            await run(batch.slice(mid));
            return;
          }
          failed = true;
          for (const s of batch) {
            errors.push({ scope: `/subscriptions/${s}`, source, reason: c.reason, code: c.code, message: c.message });
            if (source === "resourceGraph") scanned.delete(s.toLowerCase());
          }
        }
      };
      for (const batch of chunk(subs, SUBSCRIPTION_BATCH)) await run(batch);
      return { rows, failed };
    };

    // 2. Speech accounts; their per-resource calls start as each page arrives.
    setPhase("accounts");
    const accounts: AzureDocument[] = [];
    const queueDetails = (account: AzureDocument) => {
      pool.add(async () => {
        try {
          diagnosticSettings[account.id] = await details.diagnosticSettings(account.id, signal);
        } catch (error) {
          if (signal?.aborted) return;
          failedCalls++;
          errors.push(toSnapshotError(account.id, "diagnosticSettings", error));
        }
      });
      pool.add(async () => {
        try {
          speechEndpoints[account.id] = await details.speechEndpoints(account, signal);
        } catch (error) {
          if (signal?.aborted) return;
          if (!(error instanceof NotCallableError)) failedCalls++;
          errors.push(toSnapshotError(account.id, "speechEndpoints", error));
        }
      });
    };
    await queryScanned(speechAccountsQuery, "resourceGraph", [...scanned], (rows) => {
      for (const row of rows) {
        if (typeof row.id !== "string") continue;
        const account = row as AzureDocument;
        accounts.push(account);
        queueDetails(account);
      }
    });
    resources.push(...accounts);
    const accountSubs = [...scanned];

    // 3. Linked storage: one join per batch, then by ID for links into other batches.
    setPhase("storage");
    const storage = new Map<string, AzureDocument>();
    const addStorage = (rows: Record<string, unknown>[]) => {
      for (const row of rows) if (typeof row.id === "string") storage.set(row.id.toLowerCase(), row as AzureDocument);
    };
    addStorage((await queryScanned(linkedStorageQuery, "resourceGraph", accountSubs)).rows);
    const missing = new Map<string, string[]>();
    for (const id of linkedStorageIds(accounts)) {
      if (storage.has(id.toLowerCase())) continue;
      const sub = subscriptionOfId(id);
      if (!sub || !scanned.has(sub.toLowerCase())) continue; // outside the scan: not visible by definition
      const list = missing.get(sub.toLowerCase()) ?? [];
      list.push(id);
      missing.set(sub.toLowerCase(), list);
    }
    if (missing.size > 0) {
      const ids = [...missing.values()].flat();
      const subs = [...missing.keys()];
      for (const part of chunk(ids, ID_CHUNK)) addStorage((await queryScanned(storageByIdQuery(part), "resourceGraph", subs)).rows);
    }
    resources.push(...storage.values());

    // 4. Key vaults named by the keys in use.
    setPhase("keyVaults");
    const vaultNames = [
      ...new Set(
        vaultUrisInUse(accounts, storage.values())
          .map(vaultNameFromUri)
          .filter((n): n is string => !!n),
      ),
    ].sort();
    const vaults = new Map<string, AzureDocument>();
    for (const part of chunk(vaultNames, NAME_CHUNK)) {
      for (const row of (await queryScanned(keyVaultsByNameQuery(part), "resourceGraph", [...scanned])).rows) {
        if (typeof row.id === "string") vaults.set(row.id.toLowerCase(), row as AzureDocument);
      }
    }
    resources.push(...vaults.values());

    // 5. Storage Blob Data Contributor assignments of the accounts' identities.
    setPhase("roleAssignments");
    const principals = new Set<string>();
    for (const a of accounts) {
      const pid = (a.identity as { principalId?: unknown } | null | undefined)?.principalId;
      if (typeof pid === "string" && pid) principals.add(pid.toLowerCase());
    }
    const roles = await queryScanned(blobContributorAssignmentsQuery, "roleAssignments", [...scanned]);
    for (const row of roles.rows) {
      const pid = (row.properties as { principalId?: unknown } | undefined)?.principalId;
      if (typeof row.id === "string" && typeof pid === "string" && principals.has(pid.toLowerCase())) resources.push(row as AzureDocument);
    }

    // 6. Wait for the per-resource calls.
    setPhase("details");
    await pool.whenIdle();
    throwIfAborted(signal);
    setPhase("done");

    const coverage: CoverageItem[] = ["resources"];
    // Assignments that could not be read must not turn into "no assignment": leave the control unknown.
    if (!roles.failed) coverage.push("roleAssignments");
    coverage.push("diagnosticSettings", "speechEndpoints");

    const tenantId = target.tenantId ?? tenantFromRows ?? firstString(accounts.map((a) => a.tenantId));
    const snapshot: Snapshot = {
      kind: SNAPSHOT_KIND,
      version: SNAPSHOT_VERSION,
      collectedAt,
      ...(tenantId ? { tenantId } : {}),
      subscriptions,
      coverage,
      resources,
      diagnosticSettings,
      speechEndpoints,
      errors,
    };
    return {
      snapshot,
      stats: { argRequests: arg.stats.requests, argThrottled: arg.stats.throttled, perResourceCalls: details.calls, failedCalls },
    };
  } catch (error) {
    pool.clear();
    if (isAbortError(error) || signal?.aborted) throw new CollectionCancelledError();
    throw error;
  }
}

function firstString(values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === "string" && v) return v;
  return undefined;
}
