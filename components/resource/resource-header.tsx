/** The resource page's head: name, kind, score and verdict counts, exports, which scan it is from, and what could not be read. */
import Link from "next/link";
import { ExportButtons } from "@/components/scans/export-buttons";
import { CountChips, ScoreCell } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { Alert, PageHeader } from "@/components/ui/layout";
import { dateTime } from "@/lib/views/format";
import { REASON_LABEL, SOURCE_LABEL } from "@/lib/views/labels";
import { findingsHref, resourceHref, subscriptionHref } from "@/lib/views/search-params";

import type { ResourcePageData } from "@/lib/views/resource-data";
import { showHidden } from "@/lib/report/visible-text";
import { ShareLinks } from "@/components/ui/share-links";

export function ResourceHeader({ data, scanId }: { data: ResourcePageData; scanId?: string }) {
  const { detail, scan, findings, errors, subscriptionName } = data;
  const r = detail.resource;
  const counts = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 } as Record<string, number>;
  for (const f of findings) counts[f.status] = (counts[f.status] ?? 0) + 1;
  const latestScanId = detail.history[detail.history.length - 1]?.scanId;
  const subName = subscriptionName ?? r.subscriptionId;
  return (
    <>
      <PageHeader
        title={showHidden(r.name)}
        breadcrumbs={[
          { href: "/", label: "Overview" },
          { href: subscriptionHref(r.subscriptionId, scanId), label: subName },
        ]}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>
              {r.kind} · {r.location ?? "no location"} · resource group {r.resourceGroup ?? "—"}
            </span>
            <span className="inline-flex items-center gap-1">
              Score <ScoreCell score={r.score} />
            </span>
            <CountChips counts={counts} />
          </span>
        }
        actions={
          <div className="flex max-w-xl flex-wrap items-center justify-end gap-x-4 gap-y-2">
            <ExportButtons scanId={detail.scanId} resourceId={r.id} fileStem={`speech-posture-${r.name}`} formats={[]} />
            <ShareLinks scanId={detail.scanId} />
            <Link href={findingsHref({ q: r.id.toLowerCase(), ...(scanId ? { scan: scanId } : {}) })} className={`text-sm ${linkClass}`}>
              Open in the findings explorer
            </Link>
            <a href={data.portalHref} target="_blank" rel="noopener noreferrer" className={`text-sm ${linkClass}`} data-testid="portal-link">
              Open in the Azure portal<span className="sr-only"> (opens in a new tab)</span>
            </a>
          </div>
        }
      />
      <p className="-mt-4 mb-6 break-all font-mono text-[11px] text-slate-500">{r.id}</p>
      {scan ? (
        <p className="mb-4 text-xs text-slate-600">
          From the scan of {dateTime(scan.finishedAt)} ({SOURCE_LABEL[scan.source] ?? scan.source}).
          {latestScanId && latestScanId !== detail.scanId ? (
            <>
              {" "}
              This is not the newest scan of this resource:{" "}
              <Link href={resourceHref(r.id)} className={linkClass}>
                show the newest
              </Link>
              .
            </>
          ) : null}
        </p>
      ) : null}
      {errors.length ? (
        <div className="mb-6">
          <Alert tone="warning" title="Part of this resource could not be read in this scan">
            <ul className="ml-4 list-disc">
              {errors.map((e, i) => (
                <li key={i}>
                  {e.source}: {REASON_LABEL[e.reason ?? ""] ?? "collection error"}
                  {e.code ? ` (${e.code})` : ""} — {e.message}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
    </>
  );
}
