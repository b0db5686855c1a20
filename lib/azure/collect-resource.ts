/**
 * One-resource refresh for "Re-check now": the account straight from ARM (fresher than Resource
 * Graph's index), then its storage, vaults, role assignments and details, as a one-resource snapshot.
 */
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import {
  SNAPSHOT_KIND,
  SNAPSHOT_VERSION,
  isSpeechAccount,
  type AzureDocument,
  type Snapshot,
  type SnapshotError,
  type SubscriptionInfo,
} from "@/lib/posture/snapshot";
import { blobContributorAssignmentsQuery, keyVaultsByNameQuery, storageByIdQuery, subscriptionsQuery } from "./queries";
import { ResourceGraphReader } from "./resource-graph";
import { DetailReader } from "./details";
import { classifyError, isAbortError, toSnapshotError, CollectionCancelledError } from "./errors";
import type { AzureTarget } from "./target";
import { vaultNameFromUri, vaultUrisInUse } from "@/lib/posture/key-vaults";
import { linkedStorageIds, subscriptionOfId } from "./links";

const ACCOUNT_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.CognitiveServices\/accounts\/([a-zA-Z0-9][a-zA-Z0-9_.-]{1,63})$/i;

export class InvalidResourceIdError extends Error {
  constructor(id: string) {
    super(
      `"${id.slice(0, 200)}" is not a Cognitive Services account ID (/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}).`,
    );
    this.name = "InvalidResourceIdError";
  }
}

export function parseAccountId(id: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const m = ACCOUNT_ID.exec(id.trim());
  if (!m) throw new InvalidResourceIdError(id);
  return { subscriptionId: m[1], resourceGroup: m[2], name: m[3] };
}

export async function collectResource(target: AzureTarget, resourceId: string, options: { signal?: AbortSignal; now?: () => Date } = {}): Promise<Snapshot> {
  const { signal } = options;
  const { subscriptionId, resourceGroup, name } = parseAccountId(resourceId);
  const errors: SnapshotError[] = [];
  const arg = new ResourceGraphReader(target);
  const details = new DetailReader(target);
  try {
    const client = new CognitiveServicesManagementClient(target.credential, subscriptionId, {
      endpoint: target.cloud.armEndpoint,
      credentialScopes: [target.cloud.armScope],
      tlsOptions: target.tlsCa ? { ca: target.tlsCa } : undefined,
      retryOptions: target.retryOptions,
    });
    let raw: Record<string, unknown> | undefined;
    await client.accounts.get(resourceGroup, name, {
      abortSignal: signal,
      onResponse: (response) => {
        raw = response.parsedBody as Record<string, unknown> | undefined;
      },
    });
    if (!raw || typeof raw.id !== "string") throw Object.assign(new Error("ARM returned the account without an id"), { code: "InvalidResponse" });
    const account: AzureDocument = { ...(raw as AzureDocument), subscriptionId, resourceGroup };
    if (!isSpeechAccount(account)) {
      throw Object.assign(
        new Error(`${account.name ?? name} is a ${String(account.kind)} account, not a Speech resource (SpeechServices, AIServices or CognitiveServices).`),
        { code: "NotSpeech" },
      );
    }

    const visible = new Map<string, SubscriptionInfo>();
    for (const row of await arg.queryAll(subscriptionsQuery, undefined, signal)) {
      if (typeof row.subscriptionId === "string") {
        visible.set(row.subscriptionId.toLowerCase(), {
          subscriptionId: row.subscriptionId,
          displayName: typeof row.name === "string" ? row.name : undefined,
          state: typeof (row.properties as { state?: unknown })?.state === "string" ? (row.properties as { state: string }).state : undefined,
        });
      }
    }
    const storageIds = linkedStorageIds([account]);
    const subs = new Set<string>([subscriptionId.toLowerCase()]);
    for (const id of storageIds) {
      const s = subscriptionOfId(id);
      if (s && visible.has(s.toLowerCase())) subs.add(s.toLowerCase());
    }
    const scope = [...subs].filter((s) => visible.has(s));
    const resources: AzureDocument[] = [account];
    const guarded = async (source: "resourceGraph" | "roleAssignments", run: () => Promise<Record<string, unknown>[]>) => {
      try {
        return await run();
      } catch (error) {
        if (isAbortError(error) || signal?.aborted) throw error;
        const c = classifyError(error);
        for (const s of scope) errors.push({ scope: `/subscriptions/${s}`, source, reason: c.reason, code: c.code, message: c.message });
        return undefined;
      }
    };
    const storage =
      storageIds.length && scope.length ? ((await guarded("resourceGraph", () => arg.queryAll(storageByIdQuery(storageIds), scope, signal))) ?? []) : [];
    resources.push(...(storage as AzureDocument[]));
    const vaultNames = [
      ...new Set(
        vaultUrisInUse([account], storage as AzureDocument[])
          .map(vaultNameFromUri)
          .filter((n): n is string => !!n),
      ),
    ];
    if (vaultNames.length && visible.size) {
      const vaults = await guarded("resourceGraph", () =>
        arg.queryAll(keyVaultsByNameQuery(vaultNames), [...visible.values()].map((s) => s.subscriptionId).slice(0, 200), signal),
      );
      resources.push(...((vaults ?? []) as AzureDocument[]));
    }
    const principal = (account.identity as { principalId?: unknown } | null | undefined)?.principalId;
    const roles = scope.length ? await guarded("roleAssignments", () => arg.queryAll(blobContributorAssignmentsQuery, scope, signal)) : [];
    for (const row of roles ?? []) {
      const pid = (row.properties as { principalId?: unknown } | undefined)?.principalId;
      if (typeof principal === "string" && typeof pid === "string" && pid.toLowerCase() === principal.toLowerCase()) resources.push(row as AzureDocument);
    }

    const diagnosticSettings: Record<string, unknown[]> = {};
    const speechEndpoints: Record<string, unknown[]> = {};
    await Promise.all([
      details.diagnosticSettings(account.id, signal).then(
        (v) => void (diagnosticSettings[account.id] = v),
        (e) => void errors.push(toSnapshotError(account.id, "diagnosticSettings", e)),
      ),
      details.speechEndpoints(account, signal).then(
        (v) => void (speechEndpoints[account.id] = v),
        (e) => void errors.push(toSnapshotError(account.id, "speechEndpoints", e)),
      ),
    ]);
    if (signal?.aborted) throw new CollectionCancelledError();

    const subscriptions = [...subs].map((s) => visible.get(s) ?? { subscriptionId: s });
    for (const s of subs) {
      if (!visible.has(s))
        errors.push({
          scope: `/subscriptions/${s}`,
          source: "resourceGraph",
          reason: "access_denied",
          code: "SubscriptionNotFound",
          message: `Subscription ${s} is not visible to the scanning identity.`,
        });
    }
    return {
      kind: SNAPSHOT_KIND,
      version: SNAPSHOT_VERSION,
      collectedAt: (options.now ?? (() => new Date()))().toISOString(),
      ...(target.tenantId || typeof account.tenantId === "string" ? { tenantId: target.tenantId ?? (account.tenantId as string) } : {}),
      subscriptions,
      coverage:
        roles === undefined
          ? ["resources", "diagnosticSettings", "speechEndpoints"]
          : ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
      resources,
      diagnosticSettings,
      speechEndpoints,
      errors,
    };
  } catch (error) {
    if (isAbortError(error) || signal?.aborted) throw new CollectionCancelledError();
    throw error;
  }
}
