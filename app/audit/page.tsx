/** Audit trail (Admins): who started, cancelled or imported scans, managed exceptions, exported reports and re-checked resources. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AutoSubmitForm } from "@/components/findings/auto-submit-form";
import { buttonSecondary, inputClass, linkClass } from "@/components/ui/buttons";
import { EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th } from "@/components/ui/table";
import { PageReady } from "@/components/shell/page-ready";
import { LinkNotices } from "@/components/ui/link-notices";
import { AUDIT_ACTIONS, loadAudit, parseAuditView, type AuditView } from "@/lib/views/audit-data";
import { dateTime } from "@/lib/views/format";
import { resourceHref, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import type { AuditEvent } from "@/lib/store/audit";

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
  const filter = (
    <AutoSubmitForm action="/audit" label="Filter the audit trail">
      <div className="flex flex-wrap items-end gap-3 px-4 py-3">
        <div>
          <label htmlFor="audit-action" className="mb-1 block text-xs font-medium text-slate-700">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={view.action ?? ""} className={inputClass}>
            <option value="">All actions</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <noscript>
          <button type="submit" className={buttonSecondary}>
            Apply
          </button>
        </noscript>
      </div>
    </AutoSubmitForm>
  );
  return (
    <Panel title="Events" id="events" bodyClassName="" description={view.before ? "Older events" : "Newest first"}>
      {filter}
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
        <Table caption="Audit events: when, who, what, on what, and the details" className="min-w-[44rem]">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>What</Th>
              <Th>On</Th>
              <Th>Details</Th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <Td className="whitespace-nowrap text-xs">{dateTime(e.at)}</Td>
                <Td className="text-sm">{e.actor}</Td>
                <Td className="text-sm">{AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action}</Td>
                <Td className="max-w-[18rem] break-all text-xs">
                  <Target event={e} />
                </Td>
                <Td className="text-xs text-slate-600">
                  <Details details={e.details} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
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

function Target({ event }: { event: AuditEvent }) {
  if (!event.target) return <span className="text-slate-400">—</span>;
  if (event.action === "resource.rechecked") {
    return (
      <Link href={resourceHref(event.target)} className={linkClass}>
        {event.target.split("/").pop()}
      </Link>
    );
  }
  if (event.action.startsWith("scan.") || event.action === "snapshot.imported" || event.action === "report.exported") {
    // The scan's findings (a scan that did not succeed says so there, with a way on).
    return (
      <Link href={`/findings?scan=${encodeURIComponent(event.target)}`} className={`${linkClass} font-mono`}>
        {event.target}
      </Link>
    );
  }
  if (event.action.startsWith("exception.")) {
    return (
      <Link href="/exceptions" className={linkClass}>
        exception <span className="font-mono">{event.target}</span>
      </Link>
    );
  }
  return <span className="font-mono">{event.target}</span>;
}

function Details({ details }: { details: Record<string, unknown> | null }) {
  const entries = Object.entries(details ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {entries.map(([k, v]) => (
        <li key={k} className="break-all">
          <span className="text-slate-500">{k}: </span>
          {typeof v === "string" ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}
