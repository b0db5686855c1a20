/**
 * Report and export downloads of a stored scan: the result as read now (exceptions applied), the
 * scan's documents for the chain diagrams, the previous scan for "what changed", and an audit entry.
 */
import { readScanResult } from "../store/result-read";
import { readScanDocuments } from "../store/scan-documents";
import { getScan, listScans } from "../store/scans";
import { recordAudit } from "../store/audit";
import type { Store } from "../store/store";
import { renderExport, type ExportFormat } from "../report/export";
import { renderResourcePdf, renderSubscriptionPdf, renderTenantPdf } from "../report/pdf";
import { exportFilename } from "../report/export";

export interface Download {
  /** Pieces of text are streamed to the client as they are produced. */
  body: string | Buffer | Iterable<string>;
  contentType: string;
  filename: string;
}

/** The newest succeeded scan created before this one, if any. */
async function previousScanId(store: Store, scanId: string): Promise<string | undefined> {
  const scan = await getScan(store, scanId);
  if (!scan?.createdAt) return undefined;
  const [prev] = await listScans(store, { status: ["succeeded"], before: scan.createdAt, limit: 1 });
  return prev?.id;
}

export async function scanPdfReport(store: Store, scanId: string, scope: { subscriptionId?: string; resourceId?: string }, actor: string): Promise<Download> {
  const result = await readScanResult(store, scanId);
  const snapshot = await readScanDocuments(store, scanId, scope);
  const prevId = await previousScanId(store, scanId);
  const previous = prevId ? await readScanResult(store, prevId) : undefined;
  const input = { result, snapshot, previous, generatedAt: new Date() };
  const body = scope.resourceId
    ? await renderResourcePdf(input, scope.resourceId)
    : scope.subscriptionId
      ? await renderSubscriptionPdf(input, scope.subscriptionId)
      : await renderTenantPdf(input);
  await recordAudit(store, { actor, action: "report.exported", target: scanId, details: { format: "pdf", ...scope } });
  const base = exportFilename(scanId, scope.subscriptionId);
  return { body, contentType: "application/pdf", filename: `${scope.resourceId ? `${base}-resource` : base}.pdf` };
}

export async function scanExport(store: Store, scanId: string, format: ExportFormat, subscriptionId: string | undefined, actor: string): Promise<Download> {
  const result = await readScanResult(store, scanId);
  const file = renderExport(format, result, { subscriptionId });
  await recordAudit(store, { actor, action: "report.exported", target: scanId, details: { format, subscriptionId } });
  return { body: file.chunks, contentType: file.contentType, filename: file.filename };
}
