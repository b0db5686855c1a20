/**
 * From a snapshot to what the store keeps of a scan: the CONTROLS.md result (built by
 * lib/posture, without exceptions: those apply when read), the resources' evidence documents,
 * the SHA-256 of the result's canonical JSON, and that of its JSON export as read back while no
 * exception is in force (the same result plus empty exception lists). Pure: no I/O.
 */
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import { buildResult, type ScanSource } from "@/lib/posture/result";
import type { Snapshot } from "@/lib/posture/snapshot";
import { resultSha256Pair } from "@/lib/report/canonical";
import type { ResourceResult, ScanResultData } from "@/lib/store/scans/results";
import { documentsByAccount } from "./run-scan-documents";

export interface BuildScanInfo {
  id: string;
  source: ScanSource;
  startedAt: string;
  /**
   * Also becomes the stored scan's finishedAt, so the stored hash can be checked later. A function
   * is called once evaluation is done, so a scan's duration includes evaluating it.
   */
  finishedAt: string | (() => string);
}

const NO_EXCEPTIONS = { active: [], expired: [] };

export function buildScanResult(snapshot: Snapshot, info: BuildScanInfo, stats?: unknown): ScanResultData {
  const evaluation = evaluateSnapshot(snapshot);
  const scan = { ...info, finishedAt: typeof info.finishedAt === "function" ? info.finishedAt() : info.finishedAt };
  const result = buildResult({ snapshot, evaluation, scan: { ...scan, tenantId: snapshot.tenantId ?? null }, now: new Date(scan.finishedAt) });
  const docs = documentsByAccount(snapshot);
  const [resultSha256, exportSha256] = resultSha256Pair(result as unknown as Record<string, unknown>, { exceptions: NO_EXCEPTIONS });
  // Each subscription is reported under its own tenant (a Lighthouse-delegated one under its customer's).
  const tenantOf = new Map(snapshot.subscriptions.map((s) => [idKey(s.subscriptionId), s.tenantId ?? snapshot.tenantId ?? null]));
  const resources: ResourceResult[] = result.resources.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    subscriptionId: r.subscriptionId,
    resourceGroup: r.resourceGroup,
    score: r.score,
    tags: r.tags,
    documents: docs.get(idKey(r.id)) ?? null,
  }));
  return {
    catalogVersion: result.scan.catalogVersion,
    tenantId: result.scan.tenantId,
    collectedAt: snapshot.collectedAt || null,
    finishedAt: scan.finishedAt,
    summary: result.summary,
    resultSha256,
    exportSha256,
    errors: result.errors,
    stats,
    subscriptions: result.subscriptions.map((s) => ({ ...s, tenantId: tenantOf.get(idKey(s.subscriptionId)) ?? snapshot.tenantId ?? null })),
    resources,
    // Each finding's resource name and kind are its resource's, taken when the row is written.
    findings: result.findings,
  };
}
