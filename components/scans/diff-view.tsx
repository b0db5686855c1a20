/**
 * A diff of two scans: which scans (imports marked), the counts, the score change over the
 * resources both hold, notes when they read different subscriptions or catalogues, each kind of
 * change, the resources gone (apart from resolved), and the diff as CSV or JSON.
 */
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
import { GoneList } from "@/components/scans/gone-list";
import { OriginBadge } from "@/components/scans/origin-badge";
import Link from "next/link";
import { buttonSecondary, buttonSmall, linkClass } from "@/components/ui/buttons";
import { Download } from "@/components/ui/icons";
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
    ["removed", "Controls no longer judged", d.diff.removed, "None.", c.removed],
  ];
  const exportUrl = (format: string) =>
    `/api/scans/${encodeURIComponent(d.to.id)}/diff/export?against=${encodeURIComponent(d.from.id)}&format=${format}${d.tenant ? `&tenant=${d.tenant}` : ""}`;
  return (
    <section aria-labelledby="diff-title" className="mt-6 space-y-4" data-testid="diff-view">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="diff-title" className="text-lg font-semibold text-slate-900">
            {dateTime(d.from.finishedAt)} → {dateTime(d.to.finishedAt)}
          </h2>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600" data-testid="diff-sides">
            <span>Older</span> <OriginBadge scan={d.from} /> <span aria-hidden="true">→</span>
            <span>newer</span> <OriginBadge scan={d.to} />
          </p>
          {d.tenant ? (
            <p className="mt-1 text-xs text-slate-700" data-testid="diff-tenant">
              Tenant {d.tenant} only: its subscriptions in either scan.{" "}
              <Link href={`/scans?from=${d.from.id}&to=${d.to.id}#diff`} className={linkClass}>
                Compare the whole scans
              </Link>
            </p>
          ) : null}
        </div>
        <div className="flex gap-2" data-testid="diff-export">
          {(["csv", "json"] as const).map((f) => (
            <a key={f} href={exportUrl(f)} download className={`${buttonSecondary} ${buttonSmall}`}>
              <Download className="h-3.5 w-3.5" />
              {f.toUpperCase()}
            </a>
          ))}
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {(
          [
            ["New failures", c.newFailures, "text-red-800"],
            ["Resolved", c.resolved, "text-emerald-800"],
            ["Changed", c.changed, "text-slate-900"],
            ["Unchanged", c.unchanged, "text-slate-900"],
            ["Added", c.added, "text-slate-900"],
            ["Removed", c.removed, "text-slate-900"],
            ["Gone resources", c.goneResources, "text-slate-900"],
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
      <ScoreChangeNote d={d} />
      <DiffScopeNote diff={d.diff} />
      <DiffCatalogNote diff={d.diff} />
      {d.diff.truncated ? <Alert tone="info" title={`Lists show the first ${DIFF_LIMIT} items of each kind; the counts are exact.`} /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {sections.map(([id, title, items, empty, n]) => (
          <Panel key={id} id={`diff-${id}`} title={`${title} (${count(n)})`} bodyClassName="">
            <DiffList items={items} empty={empty} scanId={d.to.id} olderScanId={d.from.id} />
          </Panel>
        ))}
        <Panel
          id="diff-gone"
          title={`Gone resources (${count(c.goneResources)})`}
          description={
            c.goneFailures > 0
              ? `Their ${count(c.goneFailures)} failures are not counted as resolved: a deleted resource is not a fixed one.`
              : "Resources the older scan held and the newer one does not."
          }
          bodyClassName=""
        >
          <GoneList items={d.diff.gone} olderScanId={d.from.id} />
        </Panel>
      </div>
    </section>
  );
}

/** The score change over the resources both scans hold, beside the scans' own scores. */
function ScoreChangeNote({ d }: { d: NonNullable<ScansData["diff"]> }) {
  const { from, to } = d.diff.scores.tenant;
  const own = (s: typeof d.from) => ((s.summary?.score ?? null) === null ? "n/a" : String(s.summary!.score));
  return (
    <p className="text-sm text-slate-700" data-testid="diff-score">
      Score over the resources both scans hold: <strong className="tabular-nums">{from ?? "n/a"}</strong> →{" "}
      <strong className="tabular-nums">{to ?? "n/a"}</strong>. The scans&apos; own scores ({own(d.from)} → {own(d.to)}) also count resources only one of them
      holds.
    </p>
  );
}
