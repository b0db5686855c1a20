/**
 * From a snapshot to what the store keeps of a scan: findings (with resource name and kind),
 * resources with their documents and scores, per-subscription scores, the summary and the
 * SHA-256 of the canonical result. Pure: no I/O.
 */
import { createHash } from "node:crypto";
import { evaluateSnapshot } from "../posture/evaluate";
import type { Snapshot } from "../posture/snapshot";
import type { FindingResult, ResourceResult, ScanResultData, SubscriptionResult } from "../store/scan-results";
import { documentsByAccount } from "./run-scan-documents";
import { ScoreTally } from "./run-scan-score";

export function buildScanResult(snapshot: Snapshot, stats?: unknown): ScanResultData {
  const { resources, findings } = evaluateSnapshot(snapshot);
  const docs = documentsByAccount(snapshot);
  const byResource = new Map<string, ScoreTally>();
  const bySub = new Map<string, { tally: ScoreTally; resources: Set<string> }>();
  const tenant = new ScoreTally();
  const resourceInfo = new Map(resources.map((r) => [r.id.trim().toLowerCase(), r]));
  const rows: FindingResult[] = new Array(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const key = f.resourceId.trim().toLowerCase();
    const info = resourceInfo.get(key);
    rows[i] = {
      controlId: f.controlId,
      resourceId: f.resourceId,
      resourceName: info?.name ?? f.resourceId,
      subscriptionId: f.subscriptionId,
      severity: f.severity,
      status: f.status,
      reason: f.reason,
      message: f.message,
      evidence: f.evidence,
      kind: info?.kind ?? "",
    };
    tenant.add(f.status, f.severity);
    let r = byResource.get(key);
    if (!r) byResource.set(key, (r = new ScoreTally()));
    r.add(f.status, f.severity);
    const subKey = f.subscriptionId.trim().toLowerCase();
    let s = bySub.get(subKey);
    if (!s) bySub.set(subKey, (s = { tally: new ScoreTally(), resources: new Set() }));
    s.tally.add(f.status, f.severity);
    s.resources.add(key);
  }
  const resourceRows: ResourceResult[] = resources.map((r) => {
    const key = r.id.trim().toLowerCase();
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      location: r.location,
      subscriptionId: r.subscriptionId,
      resourceGroup: r.resourceGroup,
      score: byResource.get(key)?.score ?? null,
      tags: r.tags,
      documents: docs.get(key) ?? null,
    };
  });
  const subscriptions: SubscriptionResult[] = snapshot.subscriptions.map((s) => {
    const t = bySub.get(s.subscriptionId.trim().toLowerCase());
    return {
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? null,
      state: s.state ?? null,
      score: t?.tally.score ?? null,
      resources: t?.resources.size ?? 0,
      counts: t?.tally.counts ?? { pass: 0, fail: 0, unknown: 0, not_applicable: 0 },
    };
  });
  const summary = { score: tenant.score, resources: resources.length, counts: { ...tenant.counts, muted: 0 } };
  // The canonical result: what a rerun of evaluation on the same snapshot must reproduce.
  const canonical = JSON.stringify({
    tenantId: snapshot.tenantId ?? null,
    collectedAt: snapshot.collectedAt,
    summary,
    subscriptions,
    resources: resources.map((r) => ({ ...r, score: byResource.get(r.id.trim().toLowerCase())?.score ?? null })),
    findings,
    errors: snapshot.errors,
  });
  return {
    tenantId: snapshot.tenantId ?? null,
    collectedAt: snapshot.collectedAt || null,
    summary,
    resultSha256: createHash("sha256").update(canonical).digest("hex"),
    errors: snapshot.errors,
    stats,
    subscriptions,
    resources: resourceRows,
    findings: rows,
  };
}
