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

export type ExportFormat = "csv" | "json" | "ocsf";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json", "ocsf"];

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

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  ocsf: "application/x-ndjson; charset=utf-8",
};

const EXTENSION: Record<ExportFormat, string> = { csv: "csv", json: "json", ocsf: "ocsf.jsonl" };

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
        contentType: CONTENT_TYPE.csv,
        filename: `${base}.${EXTENSION.csv}`,
      };
    case "json":
      return { chunks: canonicalChunks(scoped), contentType: CONTENT_TYPE.json, filename: `${base}.${EXTENSION.json}` };
    case "ocsf":
      return { chunks: findingsToOcsfLines(scoped), contentType: CONTENT_TYPE.ocsf, filename: `${base}.${EXTENSION.ocsf}` };
    default:
      throw new TypeError(`Unknown export format "${String(format)}": use csv, json or ocsf`);
  }
}

/** `speech-posture-<scan>[-<subscription>]`, with anything but [A-Za-z0-9._-] replaced. */
/** A piece of a download's file name: characters safe everywhere, at most 80. */
export const fileNamePart = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);

export function exportFilename(scanId: string, subscriptionId?: string): string {
  return `speech-posture-${fileNamePart(scanId)}${subscriptionId ? `-${fileNamePart(subscriptionId)}` : ""}`;
}
