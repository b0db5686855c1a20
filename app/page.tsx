/** Overview: the tenant's score, coverage, trend, subscriptions, heat map and what changed. */
import Link from "next/link";
import { Suspense } from "react";
import { HeatMap } from "@/components/charts/heat-map";
import { StatusBar } from "@/components/charts/status-bar";
import { TrendChart } from "@/components/charts/trend-chart";
import { SubscriptionsTable } from "@/components/overview/subscriptions-table";
import { ScanErrors } from "@/components/scans/scan-errors";
import { ScanButton } from "@/components/scan/scan-button";
import { buttonSecondary } from "@/components/ui/buttons";
import { Upload } from "@/components/ui/icons";
import { Alert, PageHeader, Panel } from "@/components/ui/layout";
import { Pagination } from "@/components/ui/pagination";
import { PageSkeleton } from "@/components/ui/skeleton";
import { count, dateTime, duration } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import { loadOverview } from "@/lib/views/overview-data";
import { first, pageParam, toURLSearchParams, type SearchParamsRecord } from "@/lib/views/search-params";
import { ShareLinks } from "@/components/ui/share-links";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { Can } from "@/components/auth/roles-context";
import { ChangesPanel } from "@/components/overview/changes-panel";
import { NoScanYet } from "@/components/overview/no-scan-yet";
import { OverviewStats } from "@/components/overview/overview-stats";
import { OriginBadge } from "@/components/scans/origin-badge";
import { TenantSelector, TenantsTable } from "@/components/overview/tenants-panel";
import { parseTenantParam } from "@/lib/store/tenants";
import { tenantLabel } from "@/lib/views/tenants";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const sp = await searchParams;
  return (
    <Suspense fallback={<PageSkeleton label="Loading the overview" />}>
      <>
        <Overview
          page={pageParam(sp, "subPage")}
          params={toURLSearchParams(sp)}
          scanId={scanParam(first(sp, "scan"))}
          tenant={tenantParam(toURLSearchParams(sp).get("tenant"))}
        />
        <PageReady />
      </>
    </Suspense>
  );
}

/** A scan ID from a shared link; anything else is not one (and shows the latest). */
function scanParam(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
}

/** A malformed `tenant=` in a shared link is shown as unknown rather than failing the page. */
function tenantParam(value: string | null): string | undefined {
  try {
    return parseTenantParam(value);
  } catch {
    return value?.slice(0, 80);
  }
}

async function Overview({ page, params, scanId, tenant }: { page: number; params: URLSearchParams; scanId?: string; tenant?: string }) {
  const data = await loadOverview(await uiStore(), { page, scanId, tenant });
  const { latest } = data;
  if (data.problem) {
    return (
      <>
        <PageHeader title="Tenant overview" description="A scan named in the link" />
        <Alert tone="error" title="This scan cannot be shown">
          <p>{data.problem}</p>
          <p>
            <Link href="/" className="font-medium underline">
              Show the latest scan
            </Link>{" "}
            or{" "}
            <Link href="/scans" className="font-medium underline">
              pick one on the Scans page
            </Link>
            .
          </p>
        </Alert>
      </>
    );
  }
  if (!latest) return <NoScanYet data={data} />;
  const older = data.pinned && data.pinned.newestId !== latest.id;
  const summary = latest.summary!;
  // Scores of scans that read different subscriptions are not comparable: no delta then.
  const sameScope = data.diff !== null && data.diff.subscriptions.onlyNewer === 0 && data.diff.subscriptions.onlyOlder === 0;
  const unread = new Set(data.errors?.subscriptionsUnread.map((e) => e.scope.split("/")[2]?.toLowerCase() ?? "") ?? []);
  return (
    <>
      <PageHeader
        title={data.tenant ? `Tenant ${tenantLabel(data.tenant)}` : data.tenants.length > 1 ? "Estate overview" : "Tenant overview"}
        description={
          <>
            {data.pinned ? "Scan" : "Latest scan"} <span className="font-medium text-slate-800">{dateTime(latest.finishedAt)}</span> ·{" "}
            {SOURCE_LABEL[latest.source] ?? latest.source} · took {duration(latest.startedAt, latest.endedAt ?? latest.finishedAt)}{" "}
            <OriginBadge scan={latest} />
            {older ? (
              <>
                {" "}
                · <span data-testid="pinned-note">not the latest scan</span> ·{" "}
                <Link href="/" className="font-medium text-blue-700 underline">
                  show the latest scan
                </Link>
              </>
            ) : null}
          </>
        }
        actions={
          <>
            <ShareLinks scanId={latest.id} />
            <Can role="Posture.Operator">
              <Link href="/scans#import" className={buttonSecondary}>
                <Upload className="h-4 w-4" />
                Import snapshot
              </Link>
            </Can>
            {/* The same key as in NoScanYet: the first scan's refresh swaps that page for this one, and the button must stay the
                same component so its "Scan finished" message survives the swap. */}
            <ScanButton key="scan-button" activeScanId={data.active?.id} />
          </>
        }
      />

      {data.tenants.length > 1 || tenant ? (
        <div className="mb-4 flex flex-wrap items-center gap-3" data-testid="tenant-selector">
          <TenantSelector tenants={data.tenants} chosen={data.tenant?.tenantId ?? null} />
          {data.tenant ? (
            <span className="text-sm text-slate-700" data-testid="tenant-score">
              Score of this tenant: <span className="font-semibold">{data.tenant.score === null ? "nothing to judge" : `${data.tenant.score}%`}</span> ·{" "}
              {data.tenant.subscriptions} subscriptions · the figures below are this tenant&rsquo;s (Azure&rsquo;s own verdicts: the whole estate&rsquo;s)
            </span>
          ) : null}
        </div>
      ) : null}
      {data.unknownTenant ? (
        <div className="mb-4">
          <Alert tone="warning" title={`Tenant ${data.unknownTenant} is not in the latest scan`}>
            <p>No subscription of the latest scan belongs to it. Choose another tenant or all tenants.</p>
          </Alert>
        </div>
      ) : null}

      <OverviewStats data={data} sameScope={sameScope} />

      {data.newerImport ? (
        <div className="mt-6" data-testid="newer-import">
          <Alert title={`An imported snapshot (${dateTime(data.newerImport.finishedAt)}) is kept apart: this overview shows the latest collected posture`}>
            <p>
              It was uploaded to compare, not to replace the posture, so it is not in these figures or the trend.{" "}
              <Link href={`/scans?from=${latest.id}&to=${data.newerImport.id}#diff`} className="font-medium underline">
                Compare it with this scan
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}

      {data.tenants.length > 1 ? (
        <div className="mt-6">
          <Panel title="Tenants" id="tenants" description="Each tenant scored on its own; select one to narrow the overview to it." bodyClassName="">
            <TenantsTable tenants={data.tenants} scanId={latest.id} chosen={data.tenant?.tenantId ?? null} />
          </Panel>
        </div>
      ) : null}

      {data.lastFailed ? (
        <div className="mt-6">
          <Alert
            tone="error"
            title={`The most recent scan ${data.lastFailed.status} (${dateTime(data.lastFailed.finishedAt ?? data.lastFailed.createdAt)}); the figures below are from the last successful one`}
          >
            <p>
              {data.lastFailed.error ??
                (data.lastFailed.status === "cancelled" ? "It was cancelled before its results were stored." : "It stopped before its results were stored.")}
            </p>
            <p>
              <Link href="/scans" className="font-medium underline">
                See the scan history
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}

      {data.errors && data.errors.total > 0 ? (
        <div className="mt-6">
          <ScanErrors summary={data.errors} />
        </div>
      ) : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Panel title="Score trend" id="trend" description="Tenant score of each finished scan" className="lg:col-span-2">
          <TrendChart points={data.trend} />
          <div className="mt-4 border-t border-slate-100 pt-4">
            <StatusBar
              counts={summary.counts}
              label={`Latest scan: ${count(summary.counts.pass + summary.counts.fail + summary.counts.unknown + summary.counts.not_applicable)} findings by status`}
            />
          </div>
        </Panel>
        <ChangesPanel data={data} sameScope={sameScope} />
      </div>

      <div className="mt-6">
        <Panel
          title="Subscriptions"
          id="subscriptions"
          description={`${data.tenant ? `Of ${tenantLabel(data.tenant)} only. ` : ""}Worst score first. Counts are failing checks; select one to filter the findings.`}
          bodyClassName=""
        >
          <SubscriptionsTable rows={data.subscriptions.items} scanId={latest.id} unread={unread} />
          <Pagination
            path="/"
            params={params}
            param="subPage"
            page={data.subscriptions.page}
            pageSize={data.subscriptions.pageSize}
            total={data.subscriptions.total}
            label="Subscription pages"
          />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="Heat map" id="heatmap" description="Failing resources per subscription and control (same subscriptions as the table above)">
          <HeatMap
            scanId={latest.id}
            controls={data.controls}
            rows={data.subscriptions.items.map((s) => ({ subscriptionId: s.subscriptionId, name: s.displayName ?? s.subscriptionId, cells: s.byControl }))}
          />
        </Panel>
      </div>
    </>
  );
}
