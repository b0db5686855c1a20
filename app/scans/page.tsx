/** Scans: history with status, duration, source and errors; import a snapshot; pick two scans to diff. */
import type { Metadata } from "next";
import { Suspense } from "react";
import { ScanErrors } from "@/components/scans/scan-errors";
import { ScanButton } from "@/components/scan/scan-button";
import { SnapshotUpload } from "@/components/scan/snapshot-upload";
import { uploadLimitBytes } from "@/lib/security/upload-limit";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { dateTime } from "@/lib/views/format";
import { loadScans } from "@/lib/views/scans-data";
import { first, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { Can } from "@/components/auth/roles-context";
import { DiffForm } from "@/components/scans/diff-form";
import { DiffView } from "@/components/scans/diff-view";
import { ScanHistory } from "@/components/scans/scan-history";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Scans" };

export default async function ScansPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const sp = await searchParams;
  const opts = { before: first(sp, "before"), from: first(sp, "from"), to: first(sp, "to"), errorsOf: first(sp, "errors"), tenant: first(sp, "tenant") };
  return (
    <Suspense
      fallback={
        <div role="status" className="space-y-6">
          <span className="sr-only">Loading scans…</span>
          <PanelSkeleton rows={10} />
        </div>
      }
    >
      <>
        <Scans opts={opts} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Scans({ opts }: { opts: { before?: string; from?: string; to?: string; errorsOf?: string; tenant?: string } }) {
  const data = await loadScans(await uiStore(), opts);
  return (
    <>
      <PageHeader
        title="Scans"
        description="Every collection and snapshot import, newest first. Failed and cancelled scans store no results."
        actions={<ScanButton activeScanId={data.active?.id} />}
      />
      {data.scans.length === 0 && !opts.before ? (
        <EmptyState title="No scans yet">
          Start one with <strong>Scan now</strong>, or import a snapshot below.
        </EmptyState>
      ) : (
        <ScanHistory data={data} before={opts.before} />
      )}

      {data.errors ? (
        <div className="mt-6 scroll-mt-6" id="errors">
          {data.errors.summary.total ? (
            <ScanErrors
              summary={data.errors.summary}
              limit={500}
              title={`Scan of ${dateTime(data.errors.scan.finishedAt)}: ${data.errors.summary.total} items could not be read`}
            />
          ) : (
            <Alert title="This scan read everything it tried to read." />
          )}
        </div>
      ) : null}

      <div className="mt-6 scroll-mt-6" id="diff">
        <Panel title="Compare two scans" id="compare" description="What changed per resource and control between two succeeded scans.">
          {data.succeeded.length < 2 ? (
            <p className="text-sm text-slate-600">
              Two succeeded scans are needed to compare; there {data.succeeded.length === 1 ? "is one" : "are none"} so far.
            </p>
          ) : (
            // The picks as compared: a reversed pair is shown in order (older, newer).
            <DiffForm data={data} from={data.diff?.from.id ?? opts.from} to={data.diff?.to.id ?? opts.to} tenant={data.diff?.tenant ?? undefined} />
          )}
          {data.diffProblem ? (
            <div className="mt-4">
              <Alert tone="error" title="These scans cannot be compared">
                <p>{data.diffProblem}</p>
              </Alert>
            </div>
          ) : null}
        </Panel>
      </div>
      {data.diff ? <DiffView d={data.diff} /> : null}

      <Can role="Posture.Operator">
        <div className="mt-6 scroll-mt-6" id="import">
          <Panel
            title="Import a snapshot"
            id="import-panel"
            description="Evaluates a snapshot file as a new scan of source “snapshot”. Nothing in Azure is contacted."
          >
            <SnapshotUpload maxBytes={uploadLimitBytes()} />
          </Panel>
        </div>
      </Can>
    </>
  );
}
