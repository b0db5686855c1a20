/** The overview's "since the previous scan" panel: new failures and resolved findings, with a link to the full diff. */
import Link from "next/link";
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
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
  );
}
