/** Exceptions: active and expired accepted risks with owner, reason and expiry; remove one. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { linkClass } from "@/components/ui/buttons";
import { BellOff } from "@/components/ui/icons";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { first, type SearchParamsRecord } from "@/lib/views/search-params";
import { loadExceptions } from "@/lib/views/exceptions-data";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { ExceptionsTable } from "@/components/exceptions/exceptions-table";
import { ExceptionFormDialog } from "@/components/exceptions/exception-form-dialog";
import { createTagExceptionAction, createTenantExceptionAction } from "@/app/_actions/exceptions";
import { Can } from "@/components/auth/roles-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Exceptions" };

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const removedId = first(await searchParams, "removed");
  return (
    <Suspense
      fallback={
        <div role="status" className="space-y-6">
          <span className="sr-only">Loading exceptions…</span>
          <PanelSkeleton rows={6} />
        </div>
      }
    >
      <>
        <Exceptions removedId={removedId} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Exceptions({ removedId }: { removedId?: string }) {
  const data = await loadExceptions(await uiStore());
  const none = data.active.length + data.expired.length + data.removed.length === 0;
  const removed = removedId ? data.removed.find((e) => e.id === removedId) : undefined;
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Accepted risks: each mutes matching findings until it expires, without changing their status or the score. Create one from a finding, for a filtered findings view, or by tag."
        actions={
          <Can role="Posture.Operator">
            <ExceptionFormDialog
              label="Add exception by tag"
              title="Add an exception by tag"
              description="Mutes matching findings of every resource that carries this tag (name ignoring case, value exactly), now and in later scans, until it expires."
              submitLabel="Create exception"
              action={createTagExceptionAction}
              fields={["tag", "controlId", "owner", "reason", "expires"]}
              controls={data.controls}
              maxExpiry={data.maxExpiry}
              testId="add-tag-exception"
            />
            {data.tenants.length ? (
              <ExceptionFormDialog
                label="Add exception for a tenant"
                title="Add an exception for a tenant"
                description="Mutes matching findings of every subscription of one tenant of the estate (as each scan records it), now and in later scans, until it expires."
                submitLabel="Create exception"
                action={createTenantExceptionAction}
                fields={["tenantId", "controlId", "owner", "reason", "expires"]}
                controls={data.controls}
                tenants={data.tenants}
                maxExpiry={data.maxExpiry}
                testId="add-tenant-exception"
              />
            ) : null}
          </Can>
        }
      />
      {removed ? (
        // Confirm removal carries data-focus-key="exception-removed": focus lands on this note.
        <div className="mb-6 focus:outline-none" tabIndex={-1} data-focus-key="exception-removed" data-testid="removed-note">
          <Alert tone="info" title="Exception removed">
            The exception for {removed.scopeWords.map((w) => `${w.label} ${w.value}`).join(", ")}, owned by {removed.owner}, no longer mutes anything. It stays
            listed under Removed for the audit trail.
          </Alert>
        </div>
      ) : null}
      {none ? (
        <EmptyState
          title="No exceptions"
          icon={<BellOff className="h-10 w-10" />}
          actions={
            <Link href="/findings?status=fail" className={linkClass}>
              Review failing findings
            </Link>
          }
        >
          When a failing finding is an accepted risk (for example custom neural voice needs the storage firewall open), use <strong>Add exception</strong> on
          the finding and record an owner, a reason and an expiry.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Panel title={`Active (${data.active.length})`} id="active" bodyClassName="">
            {data.active.length ? (
              <ExceptionsTable items={data.active} now={data.now} state="active" maxExpiry={data.maxExpiry} />
            ) : (
              <p className="px-4 py-3 text-sm text-slate-600">No active exception.</p>
            )}
          </Panel>
          <Panel
            title={`Expired (${data.expired.length})`}
            id="expired"
            description="Expired exceptions mute nothing; renew one to accept the risk again."
            bodyClassName=""
          >
            {data.expired.length ? (
              <ExceptionsTable items={data.expired} now={data.now} state="expired" maxExpiry={data.maxExpiry} />
            ) : (
              <p className="px-4 py-3 text-sm text-slate-600">None.</p>
            )}
          </Panel>
          {data.removed.length ? (
            <Panel title={`Removed (${data.removed.length})`} id="removed" description="Kept for the audit trail." bodyClassName="">
              <ExceptionsTable items={data.removed} now={data.now} state="removed" />
            </Panel>
          ) : null}
        </div>
      )}
    </>
  );
}
