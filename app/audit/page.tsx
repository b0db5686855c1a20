/** Audit trail (Admins): who started, cancelled or imported scans, managed exceptions, exported reports and re-checked resources. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { linkClass } from "@/components/ui/buttons";
import { EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { PageReady } from "@/components/shell/page-ready";
import { LinkNotices } from "@/components/ui/link-notices";
import { loadAudit, parseAuditView, type AuditView } from "@/lib/views/audit-data";
import { type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { AuditFilter } from "@/components/audit/audit-filter";
import { AuditTable } from "@/components/audit/audit-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseAuditView(await searchParams);
  return (
    <>
      <PageHeader title="Audit trail" description="Every scan, import, exception, export and re-check, newest first, with who did it." />
      <LinkNotices notices={view.notices} />
      <Suspense key={`${view.action}|${view.before}`} fallback={<PanelSkeleton rows={10} />}>
        <>
          <Events view={view} />
          <PageReady />
        </>
      </Suspense>
    </>
  );
}

async function Events({ view }: { view: AuditView }) {
  const page = await loadAudit(await uiStore(), view);
  return (
    <Panel title="Events" id="events" bodyClassName="" description={view.before ? "Older events" : "Newest first"}>
      <AuditFilter action={view.action} />
      {page.items.length === 0 ? (
        <div className="p-4">
          <EmptyState title={view.action || view.before ? "No events match" : "Nothing recorded yet"}>
            {view.action || view.before ? (
              <Link href="/audit" className={linkClass}>
                Show every event
              </Link>
            ) : (
              "Scans, imports, exceptions, exports and re-checks are recorded here as they happen."
            )}
          </EmptyState>
        </div>
      ) : (
        <AuditTable items={page.items} />
      )}
      {view.before || page.olderBefore ? (
        <nav aria-label="Audit pages" tabIndex={-1} data-focus-fallback className="flex justify-between gap-3 px-4 py-3 text-sm focus:outline-none">
          {view.before ? (
            <Link href={view.action ? `/audit?action=${view.action}` : "/audit"} className={linkClass} data-focus-key="audit-newest">
              Newest events
            </Link>
          ) : (
            <span />
          )}
          {page.olderBefore ? (
            <Link
              href={`/audit?${new URLSearchParams({ ...(view.action ? { action: view.action } : {}), before: String(page.olderBefore) })}`}
              className={linkClass}
              data-focus-key="audit-older"
            >
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </Panel>
  );
}
