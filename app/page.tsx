/** Overview: the tenant's score, coverage, trend, subscriptions, heat map and what changed. */
import Link from "next/link";
import { Suspense } from "react";
import { HeatMap } from "@/components/charts/heat-map";
import { StatusBar } from "@/components/charts/status-bar";
import { TrendChart } from "@/components/charts/trend-chart";
import { SubscriptionsTable } from "@/components/overview/subscriptions-table";
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
import { ScanErrors } from "@/components/scans/scan-errors";
import { ScanButton } from "@/components/scan/scan-button";
import { SnapshotUpload } from "@/components/scan/snapshot-upload";
import { scoreBand } from "@/components/ui/badges";
import { buttonSecondary, linkClass } from "@/components/ui/buttons";
import { Shield, Upload } from "@/components/ui/icons";
import { Alert, EmptyState, PageHeader, Panel, Stat } from "@/components/ui/layout";
import { Pagination } from "@/components/ui/pagination";
import { PageSkeleton } from "@/components/ui/skeleton";
import { count, dateTime, duration, percent, plural } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import { loadOverview } from "@/lib/views/overview-data";
import { findingsHref, pageParam, toURLSearchParams, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { Can } from "@/components/auth/roles-context";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const sp = await searchParams;
  return (
    <Suspense fallback={<PageSkeleton label="Loading the overview" />}>
      <>
        <Overview page={pageParam(sp, "subPage")} params={toURLSearchParams(sp)} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Overview({ page, params }: { page: number; params: URLSearchParams }) {
  const data = await loadOverview(await uiStore(), { page });
  const { latest } = data;
  if (!latest) {
    return (
      <>
        <PageHeader
          title="Tenant overview"
          description="No scan has been stored yet."
          actions={<ScanButton activeScanId={data.active?.id} label="Run the first scan" />}
        />
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
              <SnapshotUpload />
            </Panel>
          </div>
        </Can>
      </>
    );
  }
  const summary = latest.summary!;
  const band = scoreBand(summary.score);
  // Scores of scans that read different subscriptions are not comparable: no delta then.
  const sameScope = data.diff !== null && data.diff.subscriptions.onlyNewer === 0 && data.diff.subscriptions.onlyOlder === 0;
  const delta =
    sameScope && data.previous?.summary && summary.score !== null && data.previous.summary.score !== null ? summary.score - data.previous.summary.score : null;
  const cov = data.coverage!;
  const unread = new Set(data.errors?.subscriptionsUnread.map((e) => e.scope.split("/")[2]?.toLowerCase() ?? "") ?? []);
  const totalFail = summary.counts.fail;
  return (
    <>
      <PageHeader
        title="Tenant overview"
        description={
          <>
            Latest scan <span className="font-medium text-slate-800">{dateTime(latest.finishedAt)}</span> · {SOURCE_LABEL[latest.source] ?? latest.source} ·
            took {duration(latest.startedAt, latest.endedAt ?? latest.finishedAt)}
          </>
        }
        actions={
          <>
            <Can role="Posture.Operator">
              <Link href="/scans#import" className={buttonSecondary}>
                <Upload className="h-4 w-4" />
                Import snapshot
              </Link>
            </Can>
            <ScanButton activeScanId={data.active?.id} />
          </>
        }
      />

      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Tenant score"
          tone={band.text}
          value={
            <span data-testid="tenant-score">
              {summary.score === null ? "n/a" : summary.score}
              {summary.score !== null ? <span className="text-base font-normal text-slate-500"> / 100</span> : null}
            </span>
          }
          detail={
            <>
              {band.label}
              {delta !== null
                ? ` · ${delta > 0 ? "+" : delta < 0 ? "−" : "±"}${Math.abs(delta)} since previous scan`
                : data.diff && !sameScope
                  ? " · previous scan read other subscriptions"
                  : ""}
            </>
          }
        />
        <Stat
          label="Coverage"
          value={percent(cov.judged, cov.judged + cov.unknown)}
          detail={
            <>
              {count(cov.unknown)} unknown · {count(cov.notApplicable)} not applicable · {data.subscriptions.scanned} of {data.subscriptions.total}{" "}
              subscriptions read
            </>
          }
        />
        <Stat
          label="Failing checks"
          tone={totalFail > 0 ? "text-red-800" : "text-slate-900"}
          value={count(totalFail)}
          detail={
            <span className="flex flex-wrap gap-x-2">
              <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "high" })}>
                {count(data.failBySeverity[0])} high
              </Link>
              <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "medium" })}>
                {count(data.failBySeverity[1])} medium
              </Link>
              <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "low" })}>
                {count(data.failBySeverity[2])} low
              </Link>
              {summary.counts.muted ? <span>· {count(summary.counts.muted)} muted</span> : null}
            </span>
          }
        />
        <Stat label="Speech resources" value={count(summary.resources)} detail={`in ${plural(data.subscriptions.total, "subscription")}`} />
      </div>

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
        <Panel
          title="Since the previous scan"
          id="changes"
          description={data.previous ? `Compared with ${dateTime(data.previous.finishedAt)}` : undefined}
          bodyClassName=""
          actions={
            data.previous ? (
              <Link href={`/scans?from=${data.previous.id}&to=${latest.id}`} className={`text-xs ${linkClass}`}>
                Full diff
              </Link>
            ) : null
          }
        >
          {data.diff ? (
            <>
              <div className="grid grid-cols-2 divide-x divide-slate-100 border-b border-slate-100 text-center">
                <div className="px-3 py-3">
                  <div className="text-xl font-semibold tabular-nums text-red-800" data-testid="new-failures">
                    {count(data.diff.counts.newFailures)}
                  </div>
                  <div className="text-xs text-slate-600">new failures</div>
                </div>
                <div className="px-3 py-3">
                  <div className="text-xl font-semibold tabular-nums text-emerald-800">{count(data.diff.counts.resolved)}</div>
                  <div className="text-xs text-slate-600">resolved</div>
                </div>
              </div>
              {sameScope ? null : (
                <div className="px-4 pt-3">
                  <DiffScopeNote diff={data.diff} />
                </div>
              )}
              {data.diff.catalogVersions.from === data.diff.catalogVersions.to ? null : (
                <div className="px-4 pt-3">
                  <DiffCatalogNote diff={data.diff} />
                </div>
              )}
              <h3 className="px-4 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">New failures</h3>
              <DiffList items={data.diff.newFailures.slice(0, 4)} empty="No new failures." scanId={latest.id} olderScanId={data.previous?.id} />
              <h3 className="px-4 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Resolved</h3>
              <DiffList items={data.diff.resolved.slice(0, 4)} empty="Nothing resolved." scanId={latest.id} olderScanId={data.previous?.id} />
            </>
          ) : (
            <p className="px-4 py-3 text-sm text-slate-600">This is the first stored scan. Changes appear after the next one.</p>
          )}
        </Panel>
      </div>

      <div className="mt-6">
        <Panel
          title="Subscriptions"
          id="subscriptions"
          description="Worst score first. Counts are failing checks; select one to filter the findings."
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
