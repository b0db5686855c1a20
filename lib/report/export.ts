/**
 * One entry point for the machine-readable exports: CSV (findings), JSON (the canonical result
 * text, so its SHA-256 matches the one printed in the PDFs) and OCSF (JSON lines). With a
 * subscription, the result is narrowed first: findings, resources, errors and exceptions are
 * filtered and the summary is recomputed, the same way for every format.
 */
import { canonicalChunks } from "./canonical";
import { findingsToCsvLines } from "./csv";
import type { ReportResult } from "./model";
import { findingsToOcsfLines } from "./ocsf";
import { subscriptionResult } from "./scope";
import { exportFilename } from "./export-names";
import { oscalText } from "./oscal/render";

import { EXPORT_FORMATS, type ExportFormat } from "./export-formats";

export { EXPORT_FORMATS, type ExportFormat };

export interface ExportFile {
  /**
   * The text in pieces, produced as they are read: a whole tenant's export can be more text than
   * one JavaScript string holds, and a server should not keep a 150 MB copy per download.
   */
  chunks: Iterable<string>;
  contentType: string;
  filename: string;
}

/** The whole text of an export (for small results and tests). */
export function exportText(file: ExportFile): string {
  let out = "";
  for (const chunk of file.chunks) out += chunk;
  return out;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  ocsf: "application/x-ndjson; charset=utf-8",
  "oscal-ar": "application/oscal.ar+json; charset=utf-8",
  "oscal-poam": "application/oscal.poam+json; charset=utf-8",
  "oscal-ap": "application/oscal.ap+json; charset=utf-8",
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  csv: "csv",
  json: "json",
  ocsf: "ocsf.jsonl",
  "oscal-ar": "oscal-ar.json",
  "oscal-poam": "oscal-poam.json",
  "oscal-ap": "oscal-ap.json",
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === "string" && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Renders a result (or one subscription of it) in an export format. Throws ReportScopeError
 * (from ./scope) when the subscription is not part of the scan.
 */
export function renderExport(format: ExportFormat, result: ReportResult, options: { subscriptionId?: string } = {}): ExportFile {
  const scoped = options.subscriptionId ? subscriptionResult(result, options.subscriptionId) : result;
  const base = exportFilename(result.scan.id, options.subscriptionId);
  switch (format) {
    case "csv":
      return {
        chunks: findingsToCsvLines(scoped as unknown as Parameters<typeof findingsToCsvLines>[0]),
        contentType: EXPORT_CONTENT_TYPES.csv,
        filename: `${base}.${EXPORT_EXTENSIONS.csv}`,
      };
    case "json":
      return { chunks: canonicalChunks(scoped), contentType: EXPORT_CONTENT_TYPES.json, filename: `${base}.${EXPORT_EXTENSIONS.json}` };
    case "ocsf":
      return { chunks: findingsToOcsfLines(scoped), contentType: EXPORT_CONTENT_TYPES.ocsf, filename: `${base}.${EXPORT_EXTENSIONS.ocsf}` };
    case "oscal-ar":
    case "oscal-poam":
    case "oscal-ap":
      return {
        chunks: [oscalText(format, scoped, options.subscriptionId)],
        contentType: EXPORT_CONTENT_TYPES[format],
        filename: `${base}.${EXPORT_EXTENSIONS[format]}`,
      };
    default:
      throw new TypeError(`Unknown export format "${String(format)}": use ${EXPORT_FORMATS.join(", ")}`);
  }
}

export { exportFilename, fileNamePart } from "./export-names";
