/** The overview before any scan is stored: why the last one failed, if one did, and how to start. */
import Link from "next/link";
import { ScanButton } from "@/components/scan/scan-button";
import { SnapshotUpload } from "@/components/scan/snapshot-upload";
import { uploadLimitBytes } from "@/lib/security/upload-limit";
import { Shield } from "@/components/ui/icons";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { dateTime } from "@/lib/views/format";
import { Can } from "@/components/auth/roles-context";

import type { OverviewData } from "@/lib/views/overview-data";

export function NoScanYet({ data }: { data: OverviewData }) {
  return (
    <>
      <PageHeader
        title="Tenant overview"
        description="No scan has been stored yet."
        // Keyed as on the overview (app/page.tsx): when the first scan ends, the refresh replaces this page with the overview,
        // and the key keeps the button (and its "Scan finished" message) rather than mounting a new one.
        actions={<ScanButton key="scan-button" activeScanId={data.active?.id} label="Run the first scan" />}
      />
      {data.newerImport ? (
        <div className="mb-6" data-testid="newer-import">
          <Alert title={`An imported snapshot (${dateTime(data.newerImport.finishedAt)}) is kept apart, so it is not shown as the posture`}>
            <p>
              It was uploaded to compare, not to replace the latest collected posture.{" "}
              <Link href={`/findings?scan=${data.newerImport.id}`} className="font-medium underline">
                See its findings
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}
      {data.lastFailed ? (
        <div className="mb-6">
          <Alert tone="error" title={`The last scan ${data.lastFailed.status} (${dateTime(data.lastFailed.finishedAt ?? data.lastFailed.createdAt)})`}>
            <p>{data.lastFailed.error ?? "It stopped before its results were stored."}</p>
          </Alert>
        </div>
      ) : null}
      <EmptyState title="Start by scanning your Speech resources" icon={<Shield className="h-10 w-10" />}>
        <p>
          A scan reads every Azure AI Speech resource the server&apos;s identity can see (Resource Graph, diagnostic settings and custom endpoints), follows
          each one to its storage account and key vaults, and judges it against 18 controls. Nothing is changed in Azure.
        </p>
        <p className="mt-2">
          Use <strong>Run the first scan</strong> above, or import a snapshot collected elsewhere with{" "}
          <code className="font-mono text-xs">speech-posture snapshot</code>.
        </p>
      </EmptyState>
      <Can role="Posture.Operator">
        <div className="mt-6">
          <Panel title="Import a snapshot" id="import">
            <SnapshotUpload maxBytes={uploadLimitBytes()} />
          </Panel>
        </div>
      </Can>
    </>
  );
}
