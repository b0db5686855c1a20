/**
 * Report and export downloads of a stored scan: the result as read now (exceptions applied), the
 * scan's documents for the chain diagrams, the previous scan for "what changed", and an audit entry.
 */
import { readScanResult } from "@/lib/store/scans/result-read";
import { openScanResultStream } from "@/lib/store/scans/result-stream";
import { isStreamedFormat, streamExport } from "@/lib/report/export-stream";
import { readScanDocuments } from "@/lib/store/scans/documents";
import { getScan, listScans, storedExportSha256 } from "@/lib/store/scans/scans";
import { recordAudit } from "@/lib/store/audit";
import type { Store } from "@/lib/store/store";
import { exportFilename, fileNamePart, renderExport, type ExportFormat } from "@/lib/report/export";
import { lastSegment } from "@/lib/posture/ids";
import { renderResourcePdf, renderSubscriptionPdf, renderTenantPdf } from "@/lib/report/pdf";
import { resultSha256 } from "@/lib/report/canonical";
import type { ScanResult } from "@/lib/posture/result";
import { ReportScopeError, subscriptionsResult } from "@/lib/report/scope";
import { scanTenants, tenantSubscriptionKeys, UNKNOWN_TENANT } from "@/lib/store/tenants";
import { scanSubscriptions } from "@/lib/store/reads";
import type { ReportTenant } from "@/lib/report/model";

/**
 * The SHA-256 of a scan's JSON export (printed in every PDF), by scan and the exceptions in force:
 * a stored result read back depends on nothing else. While no exception is in force it was stored
 * with the scan; otherwise it is remembered once computed. Either way, once it is known, a
 * subscription or resource report reads only its own part of a large scan.
 */
const exportHashes = new Map<string, string>();
const exportHashKey = (result: ScanResult) => `${result.scan.id}|${JSON.stringify(result.exceptions ?? null)}`;

/** The export hash without hashing: stored (no exception in force) or remembered. */
async function knownExportHash(store: Store, result: ScanResult): Promise<string | undefined> {
  const remembered = exportHashes.get(exportHashKey(result));
  if (remembered !== undefined) return remembered;
  const none = result.exceptions !== undefined && result.exceptions.active.length === 0 && result.exceptions.expired.length === 0;
  return none ? storedExportSha256(store, result.scan.id) : undefined;
}

/** The result a report needs (only `only`'s part when the whole scan's hash is already known) and that hash. */
async function reportResult(
  store: Store,
  scanId: string,
  only: { subscriptionId?: string; resourceId?: string } | undefined,
): Promise<{ result: ScanResult; sha: string }> {
  if (only) {
    const part = await readScanResult(store, scanId, { only });
    const known = await knownExportHash(store, part);
    if (known !== undefined) return { result: part, sha: known };
  }
  const result = await readScanResult(store, scanId);
  const sha = (await knownExportHash(store, result)) ?? resultSha256(result);
  if (exportHashes.size >= 256) exportHashes.clear();
  exportHashes.set(exportHashKey(result), sha);
  return { result, sha };
}

export interface Download {
  /** Pieces of text are streamed to the client as they are produced (and, when asynchronous, read). */
  body: string | Buffer | Iterable<string> | AsyncIterable<string>;
  contentType: string;
  filename: string;
}

/** The newest succeeded posture scan created before this one, if any (an import kept apart is nobody's "previous"). */
async function previousScanId(store: Store, scanId: string): Promise<string | undefined> {
  const scan = await getScan(store, scanId);
  if (!scan?.createdAt) return undefined;
  const [prev] = await listScans(store, { status: ["succeeded"], before: scan.createdAt, limit: 1, postureOnly: true });
  return prev?.id;
}

export async function scanPdfReport(
  store: Store,
  scanId: string,
  scope: { subscriptionId?: string; resourceId?: string; tenantId?: string },
  actor: string,
): Promise<Download> {
  if (scope.tenantId) return tenantPdfReport(store, scanId, scope.tenantId, actor);
  const only = scope.resourceId ? { resourceId: scope.resourceId } : scope.subscriptionId ? { subscriptionId: scope.subscriptionId } : undefined;
  const { result, sha } = await reportResult(store, scanId, only);
  const snapshot = await readScanDocuments(store, scanId, scope);
  const prevId = await previousScanId(store, scanId);
  // The report compares only its own scope with the previous scan: read just that part of it.
  const previous = prevId ? await readScanResult(store, prevId, { only: scope }) : undefined;
  // The whole scan of an estate: each tenant scored and listed on its own.
  const tenants = scope.resourceId || scope.subscriptionId ? [] : await estateTenants(store, scanId);
  const input = { result, resultSha256: sha, snapshot, previous, generatedAt: new Date(), preparedBy: actor, ...(tenants.length > 1 ? { tenants } : {}) };
  const body = scope.resourceId
    ? await renderResourcePdf(input, scope.resourceId)
    : scope.subscriptionId
      ? await renderSubscriptionPdf(input, scope.subscriptionId)
      : await renderTenantPdf(input);
  await recordAudit(store, { actor, action: "report.exported", target: scanId, details: { format: "pdf", ...scope } });
  const base = exportFilename(scanId, scope.subscriptionId);
  // A resource report is named after the resource, so reports of several resources do not collide.
  const resourceName = scope.resourceId ? fileNamePart(lastSegment(scope.resourceId)) : "";
  return { body, contentType: "application/pdf", filename: `${scope.resourceId ? `${base}-${resourceName || "resource"}` : base}.pdf` };
}

/** The tenants of a scan with the subscriptions of each (by the subscriptions' own tenant). */
async function estateTenants(store: Store, scanId: string): Promise<ReportTenant[]> {
  const [tenants, subs] = await Promise.all([scanTenants(store, scanId), scanSubscriptions(store, scanId)]);
  return tenants.map((t) => ({
    tenantId: t.tenantId,
    displayName: t.displayName,
    subscriptionIds: subs.filter((s) => (s.tenantId ?? UNKNOWN_TENANT) === t.tenantId).map((s) => s.subscriptionId),
    resources: t.resources,
    score: t.score,
    counts: t.counts,
  }));
}

/** One tenant's report: the tenant PDF of its own subscriptions, scored on their findings alone. */
async function tenantPdfReport(store: Store, scanId: string, tenantId: string, actor: string): Promise<Download> {
  const keys = await tenantSubscriptionKeys(store, scanId, tenantId);
  if (keys.length === 0) throw new ReportScopeError(`Tenant ${tenantId} is not part of scan ${scanId}.`);
  const { result, sha } = await reportResult(store, scanId, undefined);
  const snapshot = await readScanDocuments(store, scanId, {});
  const prevId = await previousScanId(store, scanId);
  const previous = prevId ? subscriptionsResult(await readScanResult(store, prevId), keys) : undefined;
  const input = { result: subscriptionsResult(result, keys), resultSha256: sha, snapshot, previous, generatedAt: new Date() };
  const body = await renderTenantPdf(input);
  await recordAudit(store, { actor, action: "report.exported", target: scanId, details: { format: "pdf", tenantId } });
  return { body, contentType: "application/pdf", filename: `${exportFilename(scanId)}-tenant-${fileNamePart(tenantId)}.pdf` };
}

/**
 * A download of a stored scan's export. JSON, CSV and OCSF stream: the scan is read a batch of
 * resources at a time and each batch is written as it is read, so a server's memory does not grow
 * with the scan (the text is byte for byte `renderExport` of the whole result). Everything that
 * can refuse the download (the scan, the subscription, the exceptions) is read before the first
 * byte; a failure after it (the database, or the scan removed meanwhile) ends the body unfinished.
 */
export async function scanExport(store: Store, scanId: string, format: ExportFormat, subscriptionId: string | undefined, actor: string): Promise<Download> {
  let file: { chunks: Iterable<string> | AsyncIterable<string>; contentType: string; filename: string };
  if (isStreamedFormat(format)) {
    const source = await openScanResultStream(store, scanId, subscriptionId ? { only: { subscriptionId } } : {});
    file = streamExport(format, source, { subscriptionId });
  } else {
    // One subscription's export is narrowed from the result anyway: read only that part of the scan.
    const result = await readScanResult(store, scanId, subscriptionId ? { only: { subscriptionId } } : {});
    file = renderExport(format, result, { subscriptionId });
  }
  await recordAudit(store, { actor, action: "report.exported", target: scanId, details: { format, subscriptionId } });
  return { body: file.chunks, contentType: file.contentType, filename: file.filename };
}
