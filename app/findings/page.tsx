/** Findings explorer: filters, sort, grouping and paging, all in the URL; exceptions from a finding. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { FindingsFilters } from "@/components/findings/filters";
import { FindingsTable } from "@/components/findings/findings-table";
import { linkClass } from "@/components/ui/buttons";
import { Alert, EmptyState, Panel } from "@/components/ui/layout";
import { Pagination } from "@/components/ui/pagination";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { loadFindings } from "@/lib/views/findings-data";
import { hasFilters, parseFindingsView, type FindingsView } from "@/lib/views/findings-view";
import type { SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { LinkNotices } from "@/components/ui/link-notices";
import { FindingsHeader } from "@/components/findings/findings-header";
import { ExceptionFormDialog } from "@/components/exceptions/exception-form-dialog";
import { createViewExceptionsAction } from "@/app/_actions/exceptions";
import { Can } from "@/components/auth/roles-context";
import { count } from "@/lib/views/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseFindingsView(await searchParams);
  return (
    <Suspense key={view.params.toString()} fallback={<FindingsSkeleton />}>
      <>
        <Findings view={view} />
        <PageReady />
      </>
    </Suspense>
  );
}

function FindingsSkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading findings…</span>
      <PanelSkeleton rows={3} />
      <PanelSkeleton rows={12} />
    </div>
  );
}

async function Findings({ view }: { view: FindingsView }) {
  const data = await loadFindings(await uiStore(), view);
  const header = <FindingsHeader data={data} scanId={view.scanId} />;
  if (data.problem) {
    return (
      <>
        {header}
        <Alert tone="error" title="These findings cannot be shown">
          <p>{data.problem}</p>
          <p>
            <Link href="/scans" className="font-medium underline">
              Pick a scan on the Scans page
            </Link>{" "}
            or{" "}
            <Link href="/findings" className="font-medium underline">
              show the latest scan
            </Link>
            .
          </p>
        </Alert>
      </>
    );
  }
  if (!data.scan || !data.page) {
    return (
      <>
        {header}
        <EmptyState
          title="No findings yet"
          actions={
            <Link href="/" className={linkClass}>
              Go to the overview to run a scan
            </Link>
          }
        >
          Findings appear after the first scan has finished: one per Speech resource and control.
        </EmptyState>
      </>
    );
  }
  const controlTitles = new Map(data.controls.map((c) => [c.id, c.title]));
  const page = data.page;
  const query = data.query;
  const notices = [...view.notices, ...data.notices];
  return (
    <>
      {header}
      <LinkNotices notices={notices} />
      <div className="mb-6 rounded-lg border border-slate-200 bg-white shadow-sm">
        <FindingsFilters
          query={query}
          group={view.group}
          facets={page.facets}
          scanId={view.scanId}
          subscriptions={data.subscriptions}
          controls={data.controls}
          tenants={data.tenants}
        />
      </div>
      <Can role="Posture.Operator">
        <div className="mb-4 flex flex-wrap items-center gap-3 text-sm text-slate-700" data-testid="bulk-exceptions">
          {data.exceptable === 0 ? null : data.exceptable <= data.maxBulk ? (
            <ExceptionFormDialog
              label={`Add exceptions for these ${count(data.exceptable)} findings`}
              title={`Add exceptions for ${count(data.exceptable)} findings`}
              description={
                <>
                  One exception for each failing or unknown finding of this view that no exception mutes yet ({count(data.exceptable)}), each scoped to its
                  control and resource, all with this owner, reason and expiry. All are created, or none.
                </>
              }
              submitLabel={`Create ${count(data.exceptable)} exceptions`}
              action={createViewExceptionsAction}
              fields={["owner", "reason", "expires"]}
              hidden={{ scanId: data.scan.id, filters: view.params.toString() }}
              maxExpiry={data.maxExpiry}
              testId="add-view-exceptions"
            />
          ) : (
            <p>
              {count(data.exceptable)} failing or unknown findings without an exception match: narrow the filters to at most {data.maxBulk} to add exceptions
              for them, or add one by tag on the{" "}
              <Link href="/exceptions" className={linkClass}>
                Exceptions page
              </Link>
              .
            </p>
          )}
        </div>
      </Can>
      <Panel title="Results" id="results" bodyClassName="" description={view.group !== "none" ? `Grouped by ${view.group}` : undefined}>
        {page.items.length === 0 ? (
          <div className="p-4">
            <EmptyState title={hasFilters(query) ? "No findings match these filters" : "This scan has no findings"}>
              {hasFilters(query) ? (
                <Link href={view.scanId ? `/findings?scan=${view.scanId}` : "/findings"} className={linkClass}>
                  Clear the filters
                </Link>
              ) : (
                "No Speech resource was in scope of this scan."
              )}
            </EmptyState>
          </div>
        ) : (
          <FindingsTable
            items={page.items}
            group={view.group}
            groups={page.groups}
            controlTitles={controlTitles}
            subscriptionNames={data.subscriptionNames}
            scanId={data.scan.id}
          />
        )}
        <Pagination path="/findings" params={view.params} page={page.page} pageSize={page.pageSize} total={page.total} label="Findings pages" />
      </Panel>
    </>
  );
}
