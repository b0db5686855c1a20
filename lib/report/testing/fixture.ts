/**
 * Report inputs for tests and the benchmark: a synthetic tenant from the emulator's generator,
 * its snapshot (what a perfect collection returns), evaluated and assembled into the
 * CONTROLS.md result format.
 */
import { generateTenant, type Tenant } from "../../../emulator/tenant";
import { CATALOG_VERSION } from "../../posture/controls";
import { evaluateSnapshot } from "../../posture/evaluate";
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type Snapshot } from "../../posture/snapshot";
import type { ReportResult } from "../model";
import { idKey, tally } from "../scope";

export function tenantSnapshot(tenant: Tenant, collectedAt: string): Snapshot {
  const visible = tenant.subscriptions.filter((s) => s.visible);
  const keys = new Set(visible.map((s) => s.subscriptionId.toLowerCase()));
  const inVisible = (id: string) => keys.has((id.split("/")[2] ?? "").toLowerCase());
  const diagnosticSettings: Record<string, unknown[]> = {};
  const speechEndpoints: Record<string, unknown[]> = {};
  for (const doc of tenant.resources) {
    if (!inVisible(doc.id) || doc.type?.toLowerCase() !== "microsoft.cognitiveservices/accounts") continue;
    diagnosticSettings[doc.id] = tenant.diagnosticSettings.get(doc.id.toLowerCase()) ?? [];
    speechEndpoints[doc.id] = tenant.speechEndpoints.get(doc.id.toLowerCase()) ?? [];
  }
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt,
    tenantId: tenant.tenantId,
    subscriptions: visible.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state })),
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
    resources: [...tenant.resources, ...tenant.roleAssignments].filter((d) => inVisible(d.id)),
    diagnosticSettings,
    speechEndpoints,
    errors: [],
  };
}

/** The result document for a snapshot (the shape of CONTROLS.md §Result format). */
export function resultOf(snapshot: Snapshot, scan: { id: string; startedAt: string; finishedAt: string; source?: string }): ReportResult {
  const { resources, findings } = evaluateSnapshot(snapshot);
  const byResource = new Map<string, typeof findings>();
  const bySub = new Map<string, typeof findings>();
  for (const f of findings) {
    const rk = idKey(f.resourceId);
    (byResource.get(rk) ?? byResource.set(rk, []).get(rk))!.push(f);
    const sk = idKey(f.subscriptionId);
    (bySub.get(sk) ?? bySub.set(sk, []).get(sk))!.push(f);
  }
  const all = tally(findings);
  return {
    kind: "speech-posture.result",
    version: 1,
    scan: { id: scan.id, startedAt: scan.startedAt, finishedAt: scan.finishedAt, source: scan.source ?? "emulator", tenantId: snapshot.tenantId ?? null, catalogVersion: CATALOG_VERSION },
    summary: { score: all.score, resources: resources.length, counts: all.counts },
    subscriptions: snapshot.subscriptions.map((s) => {
      const list = bySub.get(idKey(s.subscriptionId)) ?? [];
      const t = tally(list);
      return {
        subscriptionId: s.subscriptionId,
        displayName: s.displayName ?? null,
        score: t.score,
        resources: new Set(list.map((f) => idKey(f.resourceId))).size,
        counts: t.counts,
      };
    }),
    resources: resources.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      location: r.location,
      subscriptionId: r.subscriptionId,
      resourceGroup: r.resourceGroup,
      score: tally(byResource.get(idKey(r.id)) ?? []).score,
    })),
    findings: findings.map((f) => ({ ...f, evidence: [...f.evidence] })),
    errors: snapshot.errors,
  };
}

export interface Fixture {
  tenant: Tenant;
  snapshot: Snapshot;
  result: ReportResult;
}

export function tenantFixture(options: { seed?: number; subscriptions?: number; accounts?: number; scanId?: string } = {}): Fixture {
  const tenant = generateTenant({ seed: options.seed ?? 7, subscriptions: options.subscriptions ?? 3, accounts: options.accounts ?? 24 });
  const snapshot = tenantSnapshot(tenant, "2026-11-28T10:00:00.000Z");
  const result = resultOf(snapshot, { id: options.scanId ?? "scan-0001", startedAt: "2026-11-28T10:00:00.000Z", finishedAt: "2026-11-28T10:02:13.000Z" });
  return { tenant, snapshot, result };
}
