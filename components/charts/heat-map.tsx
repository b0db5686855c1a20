/**
 * Subscriptions × controls: each cell shows how many resources fail the control (the number is
 * always printed; colour only reinforces it). Unknown-only cells show "?", nothing applicable "–".
 * Column headers print the control IDs; each cell links to those findings (that control in that
 * subscription, failing ones first); on a narrow screen the table scrolls under a fixed first column.
 */
import Link from "next/link";
import { subscriptionHref, findingsHref } from "@/lib/views/search-params";
import { showHidden } from "@/lib/report/visible-text";

export interface HeatRow {
  subscriptionId: string;
  name: string;
  /** [pass, fail, unknown, not_applicable] per control, in `controls` order. */
  cells: [number, number, number, number][];
}

function cellStyle(pass: number, fail: number, unknown: number): string {
  if (fail > 0) {
    const ratio = fail / Math.max(1, pass + fail);
    if (ratio >= 0.66) return "bg-red-700 text-white";
    if (ratio >= 0.33) return "bg-red-300 text-red-950";
    return "bg-red-100 text-red-900";
  }
  if (unknown > 0) return "bg-amber-100 text-amber-900";
  if (pass > 0) return "bg-emerald-50 text-emerald-800";
  return "bg-slate-50 text-slate-500";
}

export function HeatMap({ rows, controls, scanId }: { rows: HeatRow[]; controls: { id: string; title: string; family: string }[]; scanId?: string }) {
  const families: { family: string; count: number }[] = [];
  for (const c of controls) {
    const fam = c.id.split("-")[0];
    const last = families[families.length - 1];
    if (last && last.family === fam) last.count++;
    else families.push({ family: fam, count: 1 });
  }
  return (
    <div>
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-max border-separate border-spacing-0.5 text-xs" data-testid="heat-map">
          <caption className="sr-only">Failing resources per subscription and control</caption>
          <thead>
            <tr>
              <td className="sticky left-0 z-10 bg-white" />
              {families.map((f) => (
                <th
                  key={f.family}
                  scope="colgroup"
                  colSpan={f.count}
                  className="border-b border-slate-200 px-0.5 pb-1 text-center text-[11px] font-semibold uppercase tracking-wide text-slate-500"
                >
                  {f.family}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="col" className="sticky left-0 z-10 bg-white px-2 py-1 text-left font-semibold text-slate-600">
                Subscription
              </th>
              {controls.map((c) => (
                <th key={c.id} scope="col" className="px-0.5 py-1 text-center font-medium text-slate-600" title={`${c.id}: ${c.title}`}>
                  <Link
                    href={findingsHref({ controlId: c.id, status: "fail", ...(scanId ? { scan: scanId } : {}) })}
                    className="block whitespace-nowrap rounded font-mono text-[11px] hover:text-blue-800 hover:underline"
                    aria-label={`${c.id}: ${c.title}`}
                  >
                    {c.id}
                  </Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.subscriptionId}>
                <th
                  scope="row"
                  className="sticky left-0 z-10 max-w-[9rem] truncate bg-white px-2 py-1 text-left font-medium text-slate-800 shadow-[1px_0_0_0_#e2e8f0] sm:max-w-[13rem]"
                >
                  <Link href={subscriptionHref(r.subscriptionId, scanId)} className="hover:text-blue-800 hover:underline" title={r.name}>
                    {showHidden(r.name)}
                  </Link>
                </th>
                {r.cells.map(([pass, fail, unknown], i) => {
                  const text = fail > 0 ? String(fail) : unknown > 0 ? "?" : pass > 0 ? "0" : "–";
                  const what =
                    fail > 0
                      ? `${fail} failing of ${pass + fail} judged`
                      : unknown > 0
                        ? `${unknown} unknown, none failing`
                        : pass > 0
                          ? `all ${pass} pass`
                          : "not applicable";
                  const status = fail > 0 ? "fail" : unknown > 0 ? "unknown" : undefined;
                  return (
                    <td key={controls[i].id} className={`h-7 min-w-8 rounded-sm p-0 text-center font-semibold tabular-nums ${cellStyle(pass, fail, unknown)}`}>
                      <Link
                        href={findingsHref({ controlId: controls[i].id, subscriptionId: r.subscriptionId, status, ...(scanId ? { scan: scanId } : {}) })}
                        className="flex h-7 w-full items-center justify-center rounded-sm hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
                        title={`${r.name} · ${controls[i].id}: ${what}`}
                        data-testid="heat-cell"
                        data-fail={fail}
                      >
                        <span aria-hidden="true">{text}</span>
                        <span className="sr-only">
                          {showHidden(r.name)}, {controls[i].id}: {what}
                        </span>
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600" aria-label="Legend">
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-red-700" aria-hidden="true" /> two thirds or more fail
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-red-300" aria-hidden="true" /> a third or more fail
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-red-100 ring-1 ring-red-200" aria-hidden="true" /> some fail (number = failing resources)
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-amber-100 ring-1 ring-amber-200" aria-hidden="true" /> ? unknown
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-emerald-50 ring-1 ring-emerald-200" aria-hidden="true" /> 0 all pass
        </li>
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm bg-slate-50 ring-1 ring-slate-200" aria-hidden="true" /> – not applicable
        </li>
      </ul>
    </div>
  );
}
