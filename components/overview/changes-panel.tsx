/**
 * The overview's "since the previous scan" panel: new failures, resolved findings and resources
 * gone (apart: their failures are not resolved), with a link to the full diff.
 */
import Link from "next/link";
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
import { GoneList } from "@/components/scans/gone-list";
import { linkClass } from "@/components/ui/buttons";
import { Panel } from "@/components/ui/layout";
import { count, dateTime } from "@/lib/views/format";

import type { OverviewData } from "@/lib/views/overview-data";

export function ChangesPanel({ data, sameScope }: { data: OverviewData; sameScope: boolean }) {
  const latest = data.latest!;
  return (
    <Panel
      title="Since the previous scan"
      id="changes"
      description={data.previous ? `Compared with ${dateTime(data.previous.finishedAt)}` : undefined}
      bodyClassName=""
      actions={
        data.previous ? (
          <Link
            href={`/scans?from=${data.previous.id}&to=${latest.id}${data.tenant ? `&tenant=${data.tenant.tenantId}` : ""}#diff`}
            className={`text-xs ${linkClass}`}
          >
            Full diff
          </Link>
        ) : null
      }
    >
      {data.diff ? (
        <>
          <div className="grid grid-cols-3 divide-x divide-slate-100 border-b border-slate-100 text-center">
            <div className="px-3 py-3">
              <div className="text-xl font-semibold tabular-nums text-red-800" data-testid="new-failures">
                {count(data.diff.counts.newFailures)}
              </div>
              <div className="text-xs text-slate-600">new failures</div>
            </div>
            <div className="px-3 py-3">
              <div className="text-xl font-semibold tabular-nums text-emerald-800" data-testid="resolved">
                {count(data.diff.counts.resolved)}
              </div>
              <div className="text-xs text-slate-600">resolved</div>
            </div>
            <div className="px-3 py-3">
              <div className="text-xl font-semibold tabular-nums text-slate-900" data-testid="gone-resources">
                {count(data.diff.counts.goneResources)}
              </div>
              <div className="text-xs text-slate-600">resources gone</div>
            </div>
          </div>
          {data.diff.counts.goneResources > 0 ? (
            <p className="px-4 pt-3 text-xs text-slate-700" data-testid="gone-note">
              {data.diff.counts.goneResources === 1 ? "1 resource is" : `${count(data.diff.counts.goneResources)} resources are`} no longer in the scan
              {data.diff.counts.goneFailures > 0
                ? `; ${data.diff.counts.goneFailures === 1 ? "its failure is" : `their ${count(data.diff.counts.goneFailures)} failures are`} not counted as resolved, and the score change counts only resources in both scans.`
                : "."}
            </p>
          ) : null}
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
          {data.diff.gone.length > 0 ? (
            <>
              <h3 className="px-4 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Gone (not resolved)</h3>
              <GoneList items={data.diff.gone.slice(0, 4)} olderScanId={data.previous?.id} />
            </>
          ) : null}
        </>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-600">This is the first stored scan. Changes appear after the next one.</p>
      )}
    </Panel>
  );
}
