/**
 * First-run check of what the configured identity can read: visible subscriptions and management
 * groups, Resource Graph and its quota, role assignments, linked storage, diagnostic settings and
 * the Speech data plane. Each gap names the controls that will come out unknown and the role to
 * grant. Used by `speech-posture doctor`; returns plain data so a Settings page can show it too.
 */
import type { SubscriptionInfo } from "@/lib/posture/snapshot";
import { ArmReader, STORAGE_ACCOUNT } from "./arm";
import { rowToSubscription } from "./collect";
import { DetailReader } from "./details";
import { classifyError, isAbortError } from "./errors";
import { linkedStorageIds, subscriptionOfId } from "./links";
import { speechAccountsQuery, storageByIdQuery, subscriptionsQuery } from "./queries";
import { ResourceGraphReader } from "./resource-graph";
import { SUBSCRIPTION_BATCH } from "./scoped-query";
import type { AzureTarget } from "./target";

export type DoctorCheckId =
  "subscriptions" | "managementGroups" | "resourceGraphQuota" | "roleAssignments" | "linkedStorage" | "diagnosticSettings" | "speechDataPlane";

/** `gap`: controls will be unknown until the role is granted; `warning`: worth knowing, not a permission gap. */
export type DoctorStatus = "ok" | "gap" | "warning" | "skipped";

export interface DoctorCheck {
  id: DoctorCheckId;
  title: string;
  status: DoctorStatus;
  detail: string;
  /** Controls that come out unknown while this gap stays open. */
  unknownControls: string[];
  /** The role to grant, and where. */
  grant?: string;
}

export interface DoctorReport {
  subscriptions: Pick<SubscriptionInfo, "subscriptionId" | "displayName" | "managementGroupAncestors">[];
  managementGroups: string[];
  checks: DoctorCheck[];
  gaps: number;
}

const ALL_CONTROLS = [
  "BYOS-1",
  "BYOS-2",
  "BYOS-3",
  "CMK-1",
  "CMK-2",
  "CMK-3",
  "CMK-4",
  "CMK-5",
  "NET-1",
  "NET-2",
  "NET-3",
  "NET-4",
  "IAM-1",
  "IAM-2",
  "IAM-3",
  "LOG-1",
  "LOG-2",
  "LBX-1",
];
const STORAGE_CONTROLS = ["BYOS-2", "BYOS-3", "CMK-2", "CMK-3", "CMK-4", "CMK-5", "NET-3", "IAM-2", "LBX-1"];
const SAMPLE = 100;

const READER = "Reader";
const GRANTS = {
  subscriptions: `${READER} on the subscriptions to scan, or on a management group above them`,
  managementGroups: "Management Group Reader on the management groups above the subscriptions",
  roleAssignments: `${READER} (it includes Microsoft.Authorization/roleAssignments/read) on the linked storage accounts' subscriptions, or above them`,
  linkedStorage: `${READER} on the linked storage accounts (or their resource groups or subscriptions)`,
  diagnosticSettings: `${READER} or Monitoring Reader on the Speech resources (Microsoft.Insights/diagnosticSettings/read)`,
  speechDataPlane: "Cognitive Services Speech User on the Speech resources (reads custom endpoints; cannot list keys)",
};

const sampleAccountsQuery = `${speechAccountsQuery}
| take ${SAMPLE}`;

const roleAssignmentProbeQuery = `authorizationresources
| where type =~ 'microsoft.authorization/roleassignments'
| project id
| take 1`;

function failure(error: unknown): string {
  const c = classifyError(error);
  return `${c.code}: ${c.message}`;
}

function props(doc: Record<string, unknown>): Record<string, unknown> {
  return (doc.properties ?? {}) as Record<string, unknown>;
}

function closedNetwork(doc: Record<string, unknown>): boolean {
  const p = props(doc);
  const pna = typeof p.publicNetworkAccess === "string" ? p.publicNetworkAccess.trim().toLowerCase() : "";
  const acl = (p.networkAcls ?? {}) as { defaultAction?: unknown };
  return pna === "disabled" || (typeof acl.defaultAction === "string" && acl.defaultAction.trim().toLowerCase() === "deny");
}

export async function runDoctor(target: AzureTarget, options: { signal?: AbortSignal } = {}): Promise<DoctorReport> {
  const { signal } = options;
  const arg = new ResourceGraphReader(target);
  const details = new DetailReader(target);
  const arm = new ArmReader(target);
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => checks.push(check);
  const rethrowAbort = (error: unknown) => {
    if (isAbortError(error) || signal?.aborted) throw error;
  };

  // Subscriptions (and Resource Graph itself): without them nothing else can be checked.
  let subscriptions: SubscriptionInfo[] = [];
  try {
    const outcome = await arg.query(subscriptionsQuery, undefined, signal);
    subscriptions = outcome.rows.map(rowToSubscription).filter((s): s is SubscriptionInfo => !!s);
    const partial = outcome.subscriptionLimitHit || outcome.truncated;
    add({
      id: "subscriptions",
      title: "Subscriptions visible through Resource Graph",
      status: subscriptions.length === 0 ? "gap" : partial ? "warning" : "ok",
      detail:
        subscriptions.length === 0
          ? "Resource Graph answered, but no subscription is visible to this identity."
          : `${subscriptions.length} visible${partial ? "; the tenant-wide listing stopped at Resource Graph's subscription limit, so name the others with --subscriptions" : ""}.`,
      unknownControls: subscriptions.length === 0 ? ALL_CONTROLS : [],
      grant: subscriptions.length === 0 ? GRANTS.subscriptions : undefined,
    });
  } catch (error) {
    rethrowAbort(error);
    add({
      id: "subscriptions",
      title: "Subscriptions visible through Resource Graph",
      status: "gap",
      detail: `Resource Graph refused or failed: ${failure(error)}`,
      unknownControls: ALL_CONTROLS,
      grant: GRANTS.subscriptions,
    });
  }
  const quota = arg.quota;
  add({
    id: "resourceGraphQuota",
    title: "Resource Graph quota",
    status: quota.remaining === 0 ? "warning" : "ok",
    detail:
      quota.remaining === undefined
        ? "Resource Graph reported no per-user quota."
        : `${quota.remaining} requests left in the current window (resets in ${Math.ceil((quota.resetsInMs ?? 0) / 1000)} s); the collector paces itself by it.`,
    unknownControls: [],
  });

  const managementGroups = [...new Set(subscriptions.flatMap((s) => s.managementGroupAncestors ?? []))];
  const withoutChain = subscriptions.filter((s) => s.managementGroupAncestors === undefined || s.managementGroupAncestors === null);
  add({
    id: "managementGroups",
    title: "Management groups above the subscriptions",
    status: subscriptions.length === 0 ? "skipped" : withoutChain.length > 0 ? "gap" : "ok",
    detail:
      subscriptions.length === 0
        ? "No subscription to look above."
        : withoutChain.length > 0
          ? `${withoutChain.length} subscription(s) came without managementGroupAncestorsChain: grants made at a management group cannot be matched to them.`
          : `${managementGroups.length} visible: ${managementGroups.join(", ")}.`,
    unknownControls: withoutChain.length > 0 ? ["BYOS-3"] : [],
    grant: withoutChain.length > 0 ? GRANTS.managementGroups : undefined,
  });

  const scope = subscriptions.slice(0, SUBSCRIPTION_BATCH).map((s) => s.subscriptionId);
  const skipped = (id: DoctorCheckId, title: string, why: string) => add({ id, title, status: "skipped", detail: why, unknownControls: [] });
  if (scope.length === 0) {
    for (const [id, title] of [
      ["roleAssignments", "Role assignments"],
      ["linkedStorage", "Linked storage accounts"],
      ["diagnosticSettings", "Diagnostic settings"],
      ["speechDataPlane", "Speech data plane (custom endpoints)"],
    ] as const)
      skipped(id, title, "No subscription is visible.");
    return report(subscriptions, managementGroups, checks);
  }

  try {
    await arg.query(roleAssignmentProbeQuery, scope, signal, undefined, { authorizationScopeFilter: "AtScopeAboveAndBelow" });
    add({
      id: "roleAssignments",
      title: "Role assignments",
      status: "ok",
      detail: "Readable through Resource Graph (authorizationresources).",
      unknownControls: [],
    });
  } catch (error) {
    rethrowAbort(error);
    add({
      id: "roleAssignments",
      title: "Role assignments",
      status: "gap",
      detail: `Resource Graph refused authorizationresources: ${failure(error)}`,
      unknownControls: ["BYOS-3"],
      grant: GRANTS.roleAssignments,
    });
  }

  let accounts: Record<string, unknown>[] = [];
  try {
    accounts = (await arg.query(sampleAccountsQuery, scope, signal)).rows.filter((r) => typeof r.id === "string");
  } catch (error) {
    rethrowAbort(error);
  }
  if (accounts.length === 0) {
    for (const [id, title] of [
      ["linkedStorage", "Linked storage accounts"],
      ["diagnosticSettings", "Diagnostic settings"],
      ["speechDataPlane", "Speech data plane (custom endpoints)"],
    ] as const)
      skipped(id, title, "No Speech resource is visible in the first subscriptions to try it on.");
    return report(subscriptions, managementGroups, checks);
  }

  add(await checkLinkedStorage(arg, arm, accounts, subscriptions, signal));

  const first = accounts[0] as { id: string };
  try {
    await details.diagnosticSettings(first.id, signal);
    add({ id: "diagnosticSettings", title: "Diagnostic settings", status: "ok", detail: `Read for ${first.id}.`, unknownControls: [] });
  } catch (error) {
    rethrowAbort(error);
    add({
      id: "diagnosticSettings",
      title: "Diagnostic settings",
      status: "gap",
      detail: `Reading them for ${first.id} failed: ${failure(error)}`,
      unknownControls: ["LOG-2"],
      grant: GRANTS.diagnosticSettings,
    });
  }

  add(await checkSpeechDataPlane(details, accounts, signal));
  return report(subscriptions, managementGroups, checks);
}

/** Linked storage Resource Graph leaves out is confirmed by ARM: 403 means the identity may not read it. */
async function checkLinkedStorage(
  arg: ResourceGraphReader,
  arm: ArmReader,
  accounts: Record<string, unknown>[],
  subscriptions: SubscriptionInfo[],
  signal?: AbortSignal,
): Promise<DoctorCheck> {
  const title = "Linked storage accounts";
  const visible = new Set(subscriptions.map((s) => s.subscriptionId.toLowerCase()));
  const linked = linkedStorageIds(accounts as { id: string }[])
    .filter((id) => visible.has((subscriptionOfId(id) ?? "").toLowerCase()))
    .slice(0, SAMPLE);
  if (linked.length === 0) return { id: "linkedStorage", title, status: "skipped", detail: "No sampled Speech resource links storage.", unknownControls: [] };
  const subs = [...new Set(linked.map((id) => subscriptionOfId(id)!))];
  let seen = new Set<string>();
  try {
    seen = new Set((await arg.queryAll(storageByIdQuery(linked), subs.slice(0, SUBSCRIPTION_BATCH), signal)).map((r) => String(r.id).toLowerCase()));
  } catch (error) {
    if (isAbortError(error) || signal?.aborted) throw error;
  }
  const hidden: string[] = [];
  for (const id of linked.filter((l) => !seen.has(l.toLowerCase()))) {
    try {
      await arm.get(id, STORAGE_ACCOUNT, signal);
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw error;
      if (classifyError(error).status === 403) hidden.push(id);
    }
  }
  if (hidden.length === 0)
    return { id: "linkedStorage", title, status: "ok", detail: `${linked.length} linked storage account(s) checked.`, unknownControls: [] };
  return {
    id: "linkedStorage",
    title,
    status: "gap",
    detail: `${hidden.length} of ${linked.length} linked storage account(s) exist but are hidden from this identity (ARM answered 403), e.g. ${hidden[0]}.`,
    unknownControls: STORAGE_CONTROLS,
    grant: GRANTS.linkedStorage,
  };
}

/** One account whose data plane this network can reach; closed networks are reported, not counted as a permission gap. */
async function checkSpeechDataPlane(details: DetailReader, accounts: Record<string, unknown>[], signal?: AbortSignal): Promise<DoctorCheck> {
  const title = "Speech data plane (custom endpoints)";
  const callable = accounts.filter((a) => typeof props(a).customSubDomainName === "string" && String(props(a).customSubDomainName).trim() !== "");
  const open = callable.filter((a) => !closedNetwork(a));
  const closedNote =
    callable.length > open.length
      ? ` ${callable.length - open.length} sampled resource(s) sit behind closed networks: LOG-1 is unknown (network_blocked) for them unless the scanner runs inside their network.`
      : "";
  if (open.length === 0) {
    return {
      id: "speechDataPlane",
      title,
      status: "warning",
      detail: callable.length === 0 ? "No sampled Speech resource has a custom subdomain; LOG-1 needs one (Entra tokens only work there)." : closedNote.trim(),
      unknownControls: [],
    };
  }
  const account = open[0] as { id: string; properties?: Record<string, unknown> | null };
  try {
    await details.speechEndpoints(account, signal);
    return {
      id: "speechDataPlane",
      title,
      status: callable.length > open.length ? "warning" : "ok",
      detail: `Custom endpoints read for ${account.id}.${closedNote}`,
      unknownControls: [],
    };
  } catch (error) {
    if (isAbortError(error) || signal?.aborted) throw error;
    const c = classifyError(error);
    const denied = c.reason === "access_denied";
    return {
      id: "speechDataPlane",
      title,
      status: denied ? "gap" : "warning",
      detail: `Listing custom endpoints of ${account.id} failed: ${c.code}: ${c.message}`,
      unknownControls: ["LOG-1"],
      grant: denied ? GRANTS.speechDataPlane : undefined,
    };
  }
}

function report(subscriptions: SubscriptionInfo[], managementGroups: string[], checks: DoctorCheck[]): DoctorReport {
  return {
    subscriptions: subscriptions.map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName,
      managementGroupAncestors: s.managementGroupAncestors,
    })),
    managementGroups,
    checks,
    gaps: checks.filter((c) => c.status === "gap").length,
  };
}
