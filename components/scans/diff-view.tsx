/** A diff of two scans: the counts, a note when they read different subscriptions, and each kind of change. */
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
import { Alert, Panel } from "@/components/ui/layout";
import { count, dateTime } from "@/lib/views/format";
import { DIFF_LIMIT, type ScansData } from "@/lib/views/scans-data";

export function DiffView({ d }: { d: NonNullable<ScansData["diff"]> }) {
  const c = d.diff.counts;
  const sections: [string, string, typeof d.diff.newFailures, string, number][] = [
    ["new-failures", "New failures", d.diff.newFailures, "No new failures.", c.newFailures],
    ["resolved", "Resolved", d.diff.resolved, "Nothing resolved.", c.resolved],
    ["changed", "Other status changes", d.diff.changed, "No other changes.", c.changed],
    ["added", "New resources × controls", d.diff.added, "Nothing new.", c.added],
    ["removed", "Gone", d.diff.removed, "Nothing gone.", c.removed],
  ];
  return (
    <section aria-labelledby="diff-title" className="mt-6 space-y-4" data-testid="diff-view">
      <h2 id="diff-title" className="text-lg font-semibold text-slate-900">
        {dateTime(d.from.finishedAt)} → {dateTime(d.to.finishedAt)}
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {(
          [
            ["New failures", c.newFailures, "text-red-800"],
            ["Resolved", c.resolved, "text-emerald-800"],
            ["Changed", c.changed, "text-slate-900"],
            ["Unchanged", c.unchanged, "text-slate-900"],
            ["Added", c.added, "text-slate-900"],
            ["Removed", c.removed, "text-slate-900"],
          ] as const
        ).map(([k, v, tone]) => (
          <div key={k} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
            <dt className="text-xs text-slate-600">{k}</dt>
            <dd className={`text-xl font-semibold tabular-nums ${tone}`} data-testid={`diff-${k.toLowerCase().replace(/ /g, "-")}`}>
              {count(v)}
            </dd>
          </div>
        ))}
      </dl>
      <DiffScopeNote diff={d.diff} />
      <DiffCatalogNote diff={d.diff} />
      {d.diff.truncated ? <Alert tone="info" title={`Lists show the first ${DIFF_LIMIT} items of each kind; the counts are exact.`} /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {sections.map(([id, title, items, empty, n]) => (
          <Panel key={id} id={`diff-${id}`} title={`${title} (${count(n)})`} bodyClassName="">
            <DiffList items={items} empty={empty} scanId={d.to.id} olderScanId={d.from.id} />
          </Panel>
        ))}
      </div>
    </section>
  );
}
