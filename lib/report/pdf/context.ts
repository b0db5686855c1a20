/**
 * Everything a report's sections read, computed once from the input: the scoped result, its
 * hashes, per-control tallies, lookups by resource and subscription, changes since the previous
 * scan and which exception mutes which finding.
 */
import { CATALOG } from "@/lib/posture/controls";
import type { Control } from "@/lib/posture/types";
import { resultSha256 } from "@/lib/report/canonical";
import { compareResults, type Changes } from "@/lib/report/changes";
import type { ReportException, ReportFinding, ReportInput, ReportResource, ReportResult, ReportSubscription } from "@/lib/report/model";
import { idKey } from "@/lib/posture/ids";
import { resourceResult, subscriptionResult } from "@/lib/report/scope";
import { mutingException } from "@/lib/report/muting";

export type ReportKind = "tenant" | "subscription" | "resource";

export interface ControlStats {
  readonly control: Control;
  readonly counts: { pass: number; fail: number; unknown: number; not_applicable: number; muted: number };
  /** Findings of this control in the scope, by status, in result order. */
  readonly failing: ReportFinding[];
  readonly unknown: ReportFinding[];
  readonly all: ReportFinding[];
  readonly failBySubscription: Map<string, number>;
}

export interface ReportContext {
  readonly kind: ReportKind;
  readonly input: ReportInput;
  /** The whole scan. */
  readonly full: ReportResult;
  /** The part the report covers (the whole scan for the tenant report). */
  readonly result: ReportResult;
  readonly subscriptionId?: string;
  readonly resourceId?: string;
  readonly tenantId: string | null;
  /** SHA-256 of the canonical JSON of the whole scan. */
  readonly fullSha256: string;
  /** SHA-256 of the JSON export of this subscription (subscription reports only). */
  readonly scopedSha256?: string;
  readonly controls: readonly ControlStats[];
  readonly resources: ReadonlyMap<string, ReportResource>;
  readonly subscriptions: ReadonlyMap<string, ReportSubscription>;
  /** Lower-cased resource ID → control ID → finding. */
  readonly findingsByResource: ReadonlyMap<string, ReadonlyMap<string, ReportFinding>>;
  readonly unknownByReason: ReadonlyMap<string, number>;
  readonly changes?: Changes;
  /** A short human name of the scope, for headers. */
  readonly scopeLabel: string;
  readonly title: string;
}

export function buildContext(input: ReportInput, kind: ReportKind, target?: string): ReportContext {
  const full = input.result;
  const result = kind === "subscription" ? subscriptionResult(full, target ?? "") : kind === "resource" ? resourceResult(full, target ?? "") : full;
  const resources = new Map(result.resources.map((r) => [idKey(r.id), r]));
  const subscriptions = new Map(full.subscriptions.map((s) => [idKey(s.subscriptionId), s]));
  const byId = new Map<string, ControlStats>();
  const controls: ControlStats[] = CATALOG.map((control) => {
    const stats: ControlStats = {
      control,
      counts: { pass: 0, fail: 0, unknown: 0, not_applicable: 0, muted: 0 },
      failing: [],
      unknown: [],
      all: [],
      failBySubscription: new Map(),
    };
    byId.set(control.id.toLowerCase(), stats);
    return stats;
  });
  const findingsByResource = new Map<string, Map<string, ReportFinding>>();
  const unknownByReason = new Map<string, number>();
  for (const f of result.findings) {
    const rk = idKey(f.resourceId);
    let perResource = findingsByResource.get(rk);
    if (!perResource) findingsByResource.set(rk, (perResource = new Map()));
    perResource.set(f.controlId.toUpperCase(), f);
    const stats = byId.get(f.controlId.toLowerCase());
    if (f.status === "unknown") {
      const reason = f.reason ?? "collection_error";
      unknownByReason.set(reason, (unknownByReason.get(reason) ?? 0) + 1);
    }
    if (!stats) continue;
    stats.all.push(f);
    if (f.status in stats.counts) stats.counts[f.status as "pass"]++;
    if (f.muted) stats.counts.muted++;
    if (f.status === "fail") {
      stats.failing.push(f);
      const sk = idKey(f.subscriptionId);
      stats.failBySubscription.set(sk, (stats.failBySubscription.get(sk) ?? 0) + 1);
    } else if (f.status === "unknown") stats.unknown.push(f);
  }
  let changes: Changes | undefined;
  if (input.previous) {
    let previous: ReportResult | undefined = input.previous;
    try {
      if (kind === "subscription") previous = subscriptionResult(input.previous, target ?? "");
      else if (kind === "resource") previous = resourceResult(input.previous, target ?? "");
    } catch {
      previous = { ...input.previous, findings: [], resources: [], summary: { ...input.previous.summary, score: null } };
    }
    changes = compareResults(result, previous);
  }
  const tenantId = full.scan.tenantId ?? input.snapshot?.tenantId ?? null;
  const sub =
    kind !== "tenant" ? subscriptions.get(idKey(result.subscriptions[0]?.subscriptionId ?? result.resources[0]?.subscriptionId ?? target)) : undefined;
  const resource = kind === "resource" ? result.resources[0] : undefined;
  const scopeLabel =
    kind === "tenant"
      ? (input.tenants?.length ?? 0) > 1
        ? `Estate of ${input.tenants!.length} tenants`
        : `Tenant ${tenantId ?? "(unknown tenant)"}`
      : kind === "subscription"
        ? `Subscription ${sub?.displayName || sub?.subscriptionId || target}`
        : `Resource ${resource?.name ?? target}`;
  const title =
    kind === "tenant"
      ? (input.tenants?.length ?? 0) > 1
        ? "Estate data-protection report"
        : "Tenant data-protection report"
      : kind === "subscription"
        ? "Subscription data-protection report"
        : "Resource data-protection report";
  return {
    kind,
    input,
    full,
    result,
    subscriptionId:
      kind === "subscription" ? (sub?.subscriptionId ?? target) : kind === "resource" ? (resource?.subscriptionId ?? sub?.subscriptionId) : undefined,
    resourceId: kind === "resource" ? (resource?.id ?? target) : undefined,
    tenantId,
    fullSha256: input.resultSha256 ?? resultSha256(full),
    scopedSha256: kind === "subscription" ? resultSha256(result) : undefined,
    controls,
    resources,
    subscriptions,
    findingsByResource,
    unknownByReason,
    changes,
    scopeLabel,
    title,
  };
}

export function resourceName(ctx: ReportContext, resourceId: string): string {
  return ctx.resources.get(idKey(resourceId))?.name || lastSegment(resourceId);
}

export function subscriptionName(ctx: ReportContext, subscriptionId: string): string {
  const s = ctx.subscriptions.get(idKey(subscriptionId));
  return s?.displayName || subscriptionId;
}

export function lastSegment(id: string): string {
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

/** The active exception rule that covers a muted finding (the most specific one). */
export function exceptionFor(ctx: ReportContext, f: ReportFinding): ReportException | undefined {
  return mutingException(ctx.full.exceptions?.active ?? [], f, ctx.resources.get(idKey(f.resourceId))?.tags ?? undefined);
}
