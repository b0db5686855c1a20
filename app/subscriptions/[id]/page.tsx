/** Subscription report: score, every control's counts, resources, failing findings by control with remediation, exports. */
import type { Metadata } from "next";
import { Suspense } from "react";
import { ExportButtons } from "@/components/scans/export-buttons";
import { ScanErrors } from "@/components/scans/scan-errors";
import { Alert, PageHeader, Panel } from "@/components/ui/layout";
import { PageSkeleton } from "@/components/ui/skeleton";
import { ReportUnavailable } from "@/components/subscription/report-unavailable";
import { SubscriptionStats } from "@/components/subscription/subscription-stats";
import { ControlsTable } from "@/components/subscription/controls-table";
import { FailingByControl } from "@/components/subscription/failing-by-control";
import { ResourcesTable } from "@/components/subscription/resources-table";
import { dateTime } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import type { ResourceSort } from "@/lib/store/reads";
import { loadSubscription } from "@/lib/views/subscription-data";
import { findingsHref, first, pageParam, toURLSearchParams, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { showHidden } from "@/lib/report/visible-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Subscription report" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParamsRecord> };
const SORTS: ResourceSort[] = ["score", "name", "kind", "location"];

export default async function SubscriptionPage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const sortText = first(sp, "sort") ?? "score";
  const sort = (SORTS as string[]).includes(sortText) ? (sortText as ResourceSort) : "score";
  return (
    <Suspense fallback={<PageSkeleton label="Loading the subscription report" />}>
      <>
        <Report subscriptionId={decodeURIComponent(id)} scanId={first(sp, "scan")} page={pageParam(sp)} sort={sort} params={toURLSearchParams(sp)} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Report({
  subscriptionId,
  scanId,
  page,
  sort,
  params,
}: {
  subscriptionId: string;
  scanId?: string;
  page: number;
  sort: ResourceSort;
  params: URLSearchParams;
}) {
  const loaded = await loadSubscription(await uiStore(), subscriptionId, { scanId, page, sort });
  if (!loaded.ok) {
    return <ReportUnavailable reason={loaded.reason} message={loaded.message} />;
  }
  const { scan, subscription: s, controls, resources, failing, errors, mutedCount, latestLacksIt } = loaded.report;
  // Links stay on the scan shown: the one named in the URL, or the older scan the report fell back to.
  const shownScanId = scanId ?? (latestLacksIt ? scan.id : undefined);
  const name = s.displayName ?? s.subscriptionId;
  const scanParam = shownScanId ? { scan: shownScanId } : {};
  const f = (extra: Record<string, string>) => findingsHref({ subscriptionId: s.key, ...scanParam, ...extra });
  return (
    <>
      <PageHeader
        title={showHidden(name)}
        breadcrumbs={[{ href: "/", label: "Overview" }]}
        description={
          <>
            <span className="font-mono text-xs">{s.subscriptionId}</span> · scan of {dateTime(scan.finishedAt)} ({SOURCE_LABEL[scan.source] ?? scan.source})
            {s.state && s.state !== "Enabled" ? ` · subscription state ${s.state}` : ""}
          </>
        }
        actions={<ExportButtons scanId={scan.id} subscriptionId={s.subscriptionId} fileStem={`speech-posture-${name}`} />}
      />
      <SubscriptionStats subscription={s} mutedCount={mutedCount} />
      {latestLacksIt ? (
        <div className="mt-6" data-testid="older-scan-note">
          <Alert tone="info" title="The latest scan did not read this subscription">
            This report shows the latest scan that did, from {dateTime(scan.finishedAt)}.
          </Alert>
        </div>
      ) : null}
      {errors.total ? (
        <div className="mt-6">
          <ScanErrors summary={errors} title={`This subscription was only partly read (${errors.total} problem${errors.total === 1 ? "" : "s"})`} />
        </div>
      ) : null}

      <div className="mt-6">
        <Panel
          title="Controls"
          id="controls"
          description="Verdicts per control across this subscription's resources; counts link to the findings."
          bodyClassName=""
        >
          <ControlsTable controls={controls} findingsHref={f} />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="Resources" id="resources" bodyClassName="" description="Sorted by score (worst first) unless chosen otherwise.">
          <ResourcesTable subscriptionId={s.subscriptionId} resources={resources} sort={sort} params={params} shownScanId={shownScanId} />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel
          title="Failing findings by control"
          id="failing"
          description="Each failing control with the resources that fail it and how to fix it."
          bodyClassName=""
        >
          <FailingByControl failing={failing} shownScanId={shownScanId} findingsHref={f} />
        </Panel>
      </div>
    </>
  );
}
