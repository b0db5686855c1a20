/** Scans: history with status, duration, source and errors; import a snapshot; pick two scans to diff. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { DiffList } from "@/components/scans/diff-list";
import { DiffCatalogNote } from "@/components/scans/diff-catalog-note";
import { DiffScopeNote } from "@/components/scans/diff-scope-note";
import { ScanErrors } from "@/components/scans/scan-errors";
import { ScanButton } from "@/components/scan/scan-button";
import { SnapshotUpload } from "@/components/scan/snapshot-upload";
import { ScoreCell } from "@/components/ui/badges";
import { buttonPrimary, inputClass, linkClass } from "@/components/ui/buttons";
import { AlertTriangle, CheckCircle, Clock, MinusCircle, Spinner, XCircle } from "@/components/ui/icons";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PanelSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th } from "@/components/ui/table";
import { count, dateTime, duration } from "@/lib/views/format";
import { SCAN_STATUS_LABEL, SOURCE_LABEL } from "@/lib/views/labels";
import { DIFF_LIMIT, loadScans, type ScansData } from "@/lib/views/scans-data";
import { first, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import type { Scan } from "@/lib/store/scans/scans";
import { PageReady } from "@/components/shell/page-ready";
import { Can } from "@/components/auth/roles-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Scans" };

export default async function ScansPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const sp = await searchParams;
  const opts = { before: first(sp, "before"), from: first(sp, "from"), to: first(sp, "to"), errorsOf: first(sp, "errors") };
  return (
    <Suspense
      fallback={
        <div role="status" className="space-y-6">
          <span className="sr-only">Loading scans…</span>
          <PanelSkeleton rows={10} />
        </div>
      }
    >
      <>
        <Scans opts={opts} />
        <PageReady />
      </>
    </Suspense>
  );
}

function ScanStatus({ scan }: { scan: Scan }) {
  const label = SCAN_STATUS_LABEL[scan.status] ?? scan.status;
  const style =
    scan.status === "succeeded"
      ? "text-emerald-800"
      : scan.status === "failed"
        ? "text-red-800"
        : scan.status === "cancelled"
          ? "text-slate-700"
          : "text-blue-800";
  const Icon =
    scan.status === "succeeded"
      ? CheckCircle
      : scan.status === "failed"
        ? XCircle
        : scan.status === "cancelled"
          ? MinusCircle
          : scan.status === "running"
            ? Spinner
            : Clock;
  return (
    <span className={`inline-flex items-center gap-1 text-xs font-semibold ${style}`} data-scan-status={scan.status}>
      <Icon className="h-3.5 w-3.5" />
      {label}
    </span>
  );
}

/** One line per scan in the compare lists; the ID's start tells apart two scans of the same minute. */
function label(s: Scan): string {
  return `${dateTime(s.finishedAt ?? s.createdAt)} · ${SOURCE_LABEL[s.source] ?? s.source}${s.summary ? ` · score ${s.summary.score ?? "n/a"}` : ""} · ${s.id.slice(0, 6)}`;
}

function DiffForm({ data, from, to }: { data: ScansData; from?: string; to?: string }) {
  const defaultTo = to ?? data.succeeded[0]?.id ?? "";
  const defaultFrom = from ?? data.succeeded[1]?.id ?? "";
  return (
    <form action="/scans#diff" method="get" className="flex flex-wrap items-end gap-3" aria-label="Compare two scans">
      <ScanSelect id="diff-from" name="from" label="Older scan" defaultValue={defaultFrom} scans={data.succeeded} />
      <ScanSelect id="diff-to" name="to" label="Newer scan" defaultValue={defaultTo} scans={data.succeeded} />
      <button type="submit" className={buttonPrimary}>
        Compare
      </button>
    </form>
  );
}

async function Scans({ opts }: { opts: { before?: string; from?: string; to?: string; errorsOf?: string } }) {
  const data = await loadScans(await uiStore(), opts);
  return (
    <>
      <PageHeader
        title="Scans"
        description="Every collection and snapshot import, newest first. Failed and cancelled scans store no results."
        actions={<ScanButton activeScanId={data.active?.id} />}
      />
      {data.scans.length === 0 && !opts.before ? (
        <EmptyState title="No scans yet">
          Start one with <strong>Scan now</strong>, or import a snapshot below.
        </EmptyState>
      ) : (
        <Panel title="History" id="history" bodyClassName="">
          <Table caption="Scan history">
            <thead>
              <tr>
                <Th>Status</Th>
                <Th>Started</Th>
                <Th>Duration</Th>
                <Th>Source</Th>
                <Th>Score</Th>
                <Th className="text-right">Resources</Th>
                <Th>Errors</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {data.scans.map((s) => {
                const older = data.succeeded.find((x) => x.status === "succeeded" && (x.finishedAt ?? "") < (s.finishedAt ?? "") && x.id !== s.id);
                return (
                  <tr key={s.id} className="hover:bg-slate-50" data-testid="scan-row" data-scan-id={s.id}>
                    <Td>
                      <ScanStatus scan={s} />
                      {s.status === "running" || s.status === "queued" ? (
                        <div className="text-[11px] text-slate-500">
                          {s.phase ?? "queued"} {s.total ? `${s.done}/${s.total}` : ""}
                        </div>
                      ) : null}
                    </Td>
                    <Td className="whitespace-nowrap text-xs">
                      {dateTime(s.startedAt ?? s.createdAt)}
                      <div className="font-mono text-[11px] text-slate-500">{s.id}</div>
                    </Td>
                    <Td className="whitespace-nowrap text-xs">{duration(s.startedAt, s.endedAt ?? s.finishedAt)}</Td>
                    <Td className="text-xs">
                      {SOURCE_LABEL[s.source] ?? s.source}
                      <div className="text-[11px] text-slate-500">by {s.startedBy}</div>
                    </Td>
                    <Td>{s.summary ? <ScoreCell score={s.summary.score} /> : <span className="text-xs text-slate-500">—</span>}</Td>
                    <Td className="text-right tabular-nums">{s.summary ? count(s.summary.resources) : "—"}</Td>
                    <Td className="max-w-[22rem] text-xs">
                      {s.status === "failed" ? (
                        <span className="text-red-800">{s.error ?? "failed"}</span>
                      ) : s.errorCount ? (
                        <Link href={`/scans?errors=${s.id}#errors`} className="inline-flex items-center gap-1 font-medium text-amber-800 hover:underline">
                          <AlertTriangle className="h-3.5 w-3.5" />
                          {count(s.errorCount)} not read
                        </Link>
                      ) : s.status === "succeeded" ? (
                        <span className="text-slate-500">None</span>
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap text-right text-xs">
                      {s.status === "succeeded" ? (
                        <span className="flex flex-col items-end gap-0.5">
                          <Link href={`/findings?scan=${s.id}`} className={linkClass}>
                            Findings
                          </Link>
                          {older ? (
                            <Link href={`/scans?from=${older.id}&to=${s.id}#diff`} className={linkClass}>
                              Diff with previous
                            </Link>
                          ) : null}
                        </span>
                      ) : null}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
          <div className="flex justify-between px-4 py-3 text-sm">
            {opts.before ? (
              <Link href="/scans" className={linkClass}>
                Newest scans
              </Link>
            ) : (
              <span />
            )}
            {data.olderBefore ? (
              <Link href={`/scans?before=${encodeURIComponent(data.olderBefore)}`} className={linkClass}>
                Older scans
              </Link>
            ) : null}
          </div>
        </Panel>
      )}

      {data.errors ? (
        <div className="mt-6 scroll-mt-6" id="errors">
          {data.errors.summary.total ? (
            <ScanErrors
              summary={data.errors.summary}
              limit={500}
              title={`Scan of ${dateTime(data.errors.scan.finishedAt)}: ${data.errors.summary.total} items could not be read`}
            />
          ) : (
            <Alert title="This scan read everything it tried to read." />
          )}
        </div>
      ) : null}

      <div className="mt-6 scroll-mt-6" id="diff">
        <Panel title="Compare two scans" id="compare" description="What changed per resource and control between two succeeded scans.">
          {data.succeeded.length < 2 ? (
            <p className="text-sm text-slate-600">
              Two succeeded scans are needed to compare; there {data.succeeded.length === 1 ? "is one" : "are none"} so far.
            </p>
          ) : (
            // The picks as compared: a reversed pair is shown in order (older, newer).
            <DiffForm data={data} from={data.diff?.from.id ?? opts.from} to={data.diff?.to.id ?? opts.to} />
          )}
          {data.diffProblem ? (
            <div className="mt-4">
              <Alert tone="error" title="These scans cannot be compared">
                <p>{data.diffProblem}</p>
              </Alert>
            </div>
          ) : null}
        </Panel>
      </div>
      {data.diff ? <DiffView d={data.diff} /> : null}

      <Can role="Posture.Operator">
        <div className="mt-6 scroll-mt-6" id="import">
          <Panel
            title="Import a snapshot"
            id="import-panel"
            description="Evaluates a snapshot file as a new scan of source “snapshot”. Nothing in Azure is contacted."
          >
            <SnapshotUpload />
          </Panel>
        </div>
      </Can>
    </>
  );
}

function DiffView({ d }: { d: NonNullable<ScansData["diff"]> }) {
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

/** One side of the diff form: a labelled list of succeeded scans. */
function ScanSelect(props: { id: string; name: string; label: string; defaultValue: string; scans: ScansData["succeeded"] }) {
  return (
    <div>
      <label htmlFor={props.id} className="mb-1 block text-xs font-medium text-slate-700">
        {props.label}
      </label>
      <select id={props.id} name={props.name} defaultValue={props.defaultValue} className={`${inputClass} pr-8`}>
        {props.scans.map((s) => (
          <option key={s.id} value={s.id}>
            {label(s)}
          </option>
        ))}
      </select>
    </div>
  );
}
