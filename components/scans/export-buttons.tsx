"use client";
/**
 * Report downloads for a subscription or a resource of a scan: PDF (fetched with a spinner, since
 * it is rendered on demand), CSV, JSON and OCSF, and OSCAL assessment results and POA&M (plain links).
 */
import { useState } from "react";
import { buttonSecondary, buttonSmall } from "@/components/ui/buttons";
import { Download, Spinner } from "@/components/ui/icons";
import type { ExportFormat } from "@/lib/report/export-formats";

const LABEL: Record<ExportFormat, string> = {
  csv: "CSV",
  json: "JSON",
  ocsf: "OCSF",
  "oscal-ar": "OSCAL results",
  "oscal-poam": "OSCAL POA&M",
  "oscal-ap": "OSCAL plan",
};
const TITLE: Partial<Record<ExportFormat, string>> = {
  "oscal-ar": "OSCAL 1.1.3 assessment results (JSON)",
  "oscal-poam": "OSCAL 1.1.3 plan of action and milestones (JSON); needs at least one failing finding",
};

export function ExportButtons({
  scanId,
  subscriptionId,
  resourceId,
  fileStem,
  formats = ["csv", "json", "ocsf", "oscal-ar", "oscal-poam"],
}: {
  scanId: string;
  subscriptionId?: string;
  resourceId?: string;
  fileStem: string;
  formats?: ExportFormat[];
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const q = resourceId ? `resourceId=${encodeURIComponent(resourceId)}` : subscriptionId ? `subscriptionId=${encodeURIComponent(subscriptionId)}` : "";
  const pdfUrl = `/api/scans/${encodeURIComponent(scanId)}/report.pdf?${q}`;
  const exportUrl = (format: string) => `/api/scans/${encodeURIComponent(scanId)}/export?format=${format}&${q}`;

  async function downloadPdf() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(pdfUrl);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
      }
      const blob = await response.blob();
      const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1];
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = named ?? `${fileStem}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`The PDF could not be produced: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col items-end gap-1 print:hidden" data-testid="export-buttons">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={downloadPdf}
          disabled={busy}
          className={`${buttonSecondary} ${buttonSmall}`}
          aria-describedby={error ? "pdf-error" : undefined}
          data-href={pdfUrl}
        >
          {busy ? <Spinner className="h-3.5 w-3.5" /> : <Download className="h-3.5 w-3.5" />}
          {busy ? "Preparing PDF…" : "PDF report"}
        </button>
        {formats.map((f) => (
          <a key={f} href={exportUrl(f)} download className={`${buttonSecondary} ${buttonSmall}`} title={TITLE[f]}>
            <Download className="h-3.5 w-3.5" />
            {LABEL[f]}
          </a>
        ))}
      </div>
      <p aria-live="polite" id="pdf-error" className="text-xs text-red-700">
        {error}
      </p>
    </div>
  );
}
