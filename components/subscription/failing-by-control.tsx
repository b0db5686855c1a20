/** The subscription report's failing findings, one section per failing control with its resources and how to fix it. */
import Link from "next/link";
import { Remediation } from "@/components/controls/remediation";
import { SeverityBadge } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import type { Control } from "@/lib/posture/types";
import type { FindingItem } from "@/lib/store/findings/query";
import { count } from "@/lib/views/format";
import { resourceHref } from "@/lib/views/search-params";
import { showHidden } from "@/lib/report/visible-text";

export function FailingByControl({
  failing,
  shownScanId,
  findingsHref,
}: {
  failing: { control: Control; total: number; items: FindingItem[] }[];
  shownScanId?: string;
  findingsHref: (filter: Record<string, string>) => string;
}) {
  const f = findingsHref;
  return (
    <>
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
                  <p className="line-clamp-2 text-xs text-slate-600">{showHidden(i.message)}</p>
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
    </>
  );
}
