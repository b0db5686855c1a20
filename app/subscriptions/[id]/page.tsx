/** Subscription report: score, every control's counts, resources, failing findings by control with remediation, exports. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Remediation } from "@/components/controls/remediation";
import { ExportButtons } from "@/components/scans/export-buttons";
import { ScanErrors } from "@/components/scans/scan-errors";
import { ScoreCell, SeverityBadge, scoreBand } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { Alert, EmptyState, PageHeader, Panel, Stat } from "@/components/ui/layout";
import { Pagination } from "@/components/ui/pagination";
import { PageSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th } from "@/components/ui/table";
import { count, dateTime, percent } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import type { ResourceSort } from "@/lib/views/store-reads";
import { loadSubscription } from "@/lib/views/subscription-data";
import { findingsHref, first, hrefWith, pageParam, resourceHref, toURLSearchParams, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { showHidden } from "@/lib/report/visible-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Subscription report" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParamsRecord> };
const SORTS: ResourceSort[] = ["score", "name", "kind", "location"];

export default async function SubscriptionPage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const sortText = first(sp, "sort") ?? "score";
  const sort = (SORTS as string[]).includes(sortText) ? (sortText as ResourceSort) : "score";
  return (
    <Suspense fallback={<PageSkeleton label="Loading the subscription report" />}>
      <>
        <Report subscriptionId={decodeURIComponent(id)} scanId={first(sp, "scan")} page={pageParam(sp)} sort={sort} params={toURLSearchParams(sp)} />
        <PageReady />
      </>
    </Suspense>
  );
}

function CountLink({ n, href, tone }: { n: number; href: string; tone: string }) {
  if (n === 0) return <span className="text-slate-500">0</span>;
  return (
    <Link href={href} className={`font-semibold tabular-nums hover:underline ${tone}`}>
      {count(n)}
    </Link>
  );
}

async function Report({
  subscriptionId,
  scanId,
  page,
  sort,
  params,
}: {
  subscriptionId: string;
  scanId?: string;
  page: number;
  sort: ResourceSort;
  params: URLSearchParams;
}) {
  const loaded = await loadSubscription(await uiStore(), subscriptionId, { scanId, page, sort });
  if (!loaded.ok) {
    return (
      <>
        <PageHeader title="Subscription report" breadcrumbs={[{ href: "/", label: "Overview" }]} />
        {loaded.reason === "no-scan" ? (
          <EmptyState
            title="No scan yet"
            actions={
              <Link href="/" className={linkClass}>
                Run a scan from the overview
              </Link>
            }
          >
            A subscription report needs a finished scan.
          </EmptyState>
        ) : (
          <Alert tone="error" title={loaded.reason === "not-found" ? "Subscription not in this scan" : "This scan cannot be shown"}>
            <p>{loaded.message}</p>
          </Alert>
        )}
      </>
    );
  }
  const { scan, subscription: s, controls, resources, failing, errors, mutedCount, latestLacksIt } = loaded.report;
  // Links stay on the scan shown: the one named in the URL, or the older scan the report fell back to.
  const shownScanId = scanId ?? (latestLacksIt ? scan.id : undefined);
  const name = s.displayName ?? s.subscriptionId;
  const band = scoreBand(s.score);
  const judged = s.counts.pass + s.counts.fail;
  const scanParam = shownScanId ? { scan: shownScanId } : {};
  const f = (extra: Record<string, string>) => findingsHref({ subscriptionId: s.key, ...scanParam, ...extra });
  return (
    <>
      <PageHeader
        title={showHidden(name)}
        breadcrumbs={[{ href: "/", label: "Overview" }]}
        description={
          <>
            <span className="font-mono text-xs">{s.subscriptionId}</span> · scan of {dateTime(scan.finishedAt)} ({SOURCE_LABEL[scan.source] ?? scan.source})
            {s.state && s.state !== "Enabled" ? ` · subscription state ${s.state}` : ""}
          </>
        }
        actions={<ExportButtons scanId={scan.id} subscriptionId={s.subscriptionId} fileStem={`speech-posture-${name}`} />}
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Score"
          tone={band.text}
          value={<span data-testid="subscription-score">{s.score === null ? "n/a" : `${s.score}`}</span>}
          detail={band.label}
        />
        <Stat label="Speech resources" value={count(s.resources)} />
        <Stat
          label="Failing checks"
          tone={s.counts.fail ? "text-red-800" : undefined}
          value={count(s.counts.fail)}
          detail={mutedCount ? `${count(mutedCount)} findings muted by exceptions` : "none muted"}
        />
        <Stat
          label="Coverage"
          value={percent(judged, judged + s.counts.unknown)}
          detail={`${count(s.counts.unknown)} unknown · ${count(s.counts.not_applicable)} not applicable`}
        />
      </div>
      {latestLacksIt ? (
        <div className="mt-6" data-testid="older-scan-note">
          <Alert tone="info" title="The latest scan did not read this subscription">
            This report shows the latest scan that did, from {dateTime(scan.finishedAt)}.
          </Alert>
        </div>
      ) : null}
      {errors.total ? (
        <div className="mt-6">
          <ScanErrors summary={errors} title={`This subscription was only partly read (${errors.total} problem${errors.total === 1 ? "" : "s"})`} />
        </div>
      ) : null}

      <div className="mt-6">
        <Panel
          title="Controls"
          id="controls"
          description="Verdicts per control across this subscription's resources; counts link to the findings."
          bodyClassName=""
        >
          <Table caption="Controls with pass, fail, unknown and not applicable counts">
            <thead>
              <tr>
                <Th>Control</Th>
                <Th>Severity</Th>
                <Th className="text-right">Fail</Th>
                <Th className="text-right">Unknown</Th>
                <Th className="text-right">Pass</Th>
                <Th className="text-right">Not applicable</Th>
                <Th>Pass rate</Th>
              </tr>
            </thead>
            <tbody>
              {controls.map(({ control, counts: [pass, fail, unknown, na] }) => (
                <tr key={control.id} className="hover:bg-slate-50">
                  <Td>
                    <Link href={`/controls#${control.id}`} className="mr-2 font-mono text-xs font-semibold text-slate-600 hover:underline">
                      {control.id}
                    </Link>
                    <span className="text-slate-900">{control.title}</span>
                  </Td>
                  <Td>
                    <SeverityBadge severity={control.severity} />
                  </Td>
                  <Td className="text-right">
                    <CountLink n={fail} href={f({ controlId: control.id, status: "fail" })} tone="text-red-800" />
                  </Td>
                  <Td className="text-right">
                    <CountLink n={unknown} href={f({ controlId: control.id, status: "unknown" })} tone="text-amber-800" />
                  </Td>
                  <Td className="text-right">
                    <CountLink n={pass} href={f({ controlId: control.id, status: "pass" })} tone="text-emerald-800" />
                  </Td>
                  <Td className="text-right">
                    <CountLink n={na} href={f({ controlId: control.id, status: "not_applicable" })} tone="text-slate-700" />
                  </Td>
                  <Td>
                    {pass + fail ? (
                      <span className="inline-flex items-center gap-2 text-xs text-slate-700">
                        <span className="relative h-1.5 w-20 overflow-hidden rounded-full bg-red-200" aria-hidden="true">
                          <span className="absolute inset-y-0 left-0 bg-emerald-600" style={{ width: `${Math.floor((100 * pass) / (pass + fail))}%` }} />
                        </span>
                        {percent(pass, pass + fail)}
                        {/* The rate is of judged checks only: say how many could not be judged. */}
                        {unknown ? <span className="text-amber-800">of judged · {count(unknown)} unknown</span> : null}
                      </span>
                    ) : (
                      <span className="text-xs text-slate-500">nothing judged{unknown ? ` · ${count(unknown)} unknown` : ""}</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="Resources" id="resources" bodyClassName="" description="Sorted by score (worst first) unless chosen otherwise.">
          <Table caption="Speech resources in this subscription">
            <thead>
              <tr>
                {(
                  [
                    ["name", "Name"],
                    ["kind", "Kind"],
                    ["location", "Location"],
                  ] as const
                ).map(([k, label]) => (
                  <Th key={k} aria-sort={sort === k ? "ascending" : undefined}>
                    <Link
                      href={hrefWith(`/subscriptions/${encodeURIComponent(s.subscriptionId)}`, params, { sort: k, page: null })}
                      className="hover:underline"
                    >
                      {label}
                    </Link>
                  </Th>
                ))}
                <Th>Resource group</Th>
                <Th aria-sort={sort === "score" ? "ascending" : undefined}>
                  <Link
                    href={hrefWith(`/subscriptions/${encodeURIComponent(s.subscriptionId)}`, params, { sort: null, page: null })}
                    className="hover:underline"
                  >
                    Score
                  </Link>
                </Th>
              </tr>
            </thead>
            <tbody>
              {resources.items.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <Td>
                    <Link href={resourceHref(r.id, shownScanId)} className="font-medium text-blue-700 hover:underline">
                      {showHidden(r.name)}
                    </Link>
                  </Td>
                  <Td>{r.kind}</Td>
                  <Td>{r.location ?? "—"}</Td>
                  <Td className="text-xs text-slate-600">{r.resourceGroup ?? "—"}</Td>
                  <Td>
                    <ScoreCell score={r.score} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination
            path={`/subscriptions/${encodeURIComponent(s.subscriptionId)}`}
            params={params}
            page={resources.page}
            pageSize={resources.pageSize}
            total={resources.total}
            label="Resource pages"
          />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel
          title="Failing findings by control"
          id="failing"
          description="Each failing control with the resources that fail it and how to fix it."
          bodyClassName=""
        >
          {failing.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-600">No control fails in this subscription.</p>
          ) : (
            failing.map(({ control, total, items }) => (
              <section key={control.id} aria-labelledby={`fail-${control.id}`} className="border-b border-slate-200 px-4 py-4 last:border-b-0">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 id={`fail-${control.id}`} className="text-sm font-semibold text-slate-900">
                    <span className="mr-2 font-mono text-slate-500">{control.id}</span>
                    {control.title}
                  </h3>
                  <div className="flex items-center gap-3">
                    <SeverityBadge severity={control.severity} />
                    <span className="text-xs font-semibold text-red-800">{count(total)} failing</span>
                  </div>
                </div>
                <ul className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                  {items.map((i) => (
                    <li key={i.id} className="min-w-0">
                      <Link href={resourceHref(i.resourceId, shownScanId)} className="font-medium text-blue-700 hover:underline">
                        {showHidden(i.resourceName)}
                      </Link>
                      {i.muted ? <span className="ml-1 text-xs text-violet-800">(muted)</span> : null}
                      <p className="line-clamp-2 text-xs text-slate-600">{i.message}</p>
                    </li>
                  ))}
                </ul>
                {total > items.length ? (
                  <p className="mt-2 text-xs">
                    <Link href={f({ controlId: control.id, status: "fail" })} className={linkClass}>
                      All {count(total)} failing resources
                    </Link>
                  </p>
                ) : null}
                <details className="mt-3 rounded-md border border-slate-200">
                  <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">How to fix {control.id}</summary>
                  <div className="border-t border-slate-200 p-3">
                    <Remediation remediation={control.remediation} />
                  </div>
                </details>
              </section>
            ))
          )}
        </Panel>
      </div>
    </>
  );
}
