/** Server-side paging links: "Showing 51–100 of 1,234", previous/next and a few page numbers. */
import Link from "next/link";
import { count } from "@/lib/views/format";
import { hrefWith } from "@/lib/views/search-params";
import { ChevronLeft, ChevronRight } from "./icons";

export function Pagination({
  path,
  params,
  page,
  pageSize,
  total,
  param = "page",
  label = "Pages",
}: {
  path: string;
  params: URLSearchParams;
  page: number;
  pageSize: number;
  total: number;
  param?: string;
  label?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const href = (p: number) => hrefWith(path, params, { [param]: p === 1 ? null : p });
  const numbers = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const list = [...numbers].sort((a, b) => a - b);
  const cls = "inline-flex h-8 min-w-8 items-center justify-center rounded-md px-2 text-sm";
  return (
    <nav
      aria-label={label}
      tabIndex={-1}
      data-focus-fallback
      className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm text-slate-600 focus:outline-none"
    >
      <p>
        {total === 0 ? (
          "No rows"
        ) : (
          <>
            Showing <span className="font-medium text-slate-900">{count(from)}</span>–<span className="font-medium text-slate-900">{count(to)}</span> of{" "}
            <span className="font-medium text-slate-900">{count(total)}</span>
          </>
        )}
      </p>
      {pages > 1 ? (
        <ul className="flex items-center gap-1">
          <li>
            {page > 1 ? (
              <Link href={href(page - 1)} className={`${cls} ring-1 ring-inset ring-slate-300 hover:bg-slate-50`} rel="prev" data-focus-key={`${param}-prev`}>
                <ChevronLeft className="h-4 w-4" />
                <span className="sr-only sm:not-sr-only">Previous</span>
              </Link>
            ) : (
              <span className={`${cls} text-slate-400 ring-1 ring-inset ring-slate-200`} aria-disabled="true">
                <ChevronLeft className="h-4 w-4" />
                <span className="sr-only sm:not-sr-only">Previous</span>
              </span>
            )}
          </li>
          {list.map((p, i) => (
            <li key={p} className="flex items-center gap-1">
              {i > 0 && p - list[i - 1] > 1 ? (
                <span aria-hidden="true" className="px-1 text-slate-400">
                  …
                </span>
              ) : null}
              {p === page ? (
                <span
                  className={`${cls} bg-slate-900 font-semibold text-white focus:outline-2 focus:outline-blue-600`}
                  aria-current="page"
                  tabIndex={-1}
                  data-focus-key={`${param}-${p}`}
                >
                  <span className="sr-only">Page </span>
                  {p}
                </span>
              ) : (
                <Link href={href(p)} className={`${cls} ring-1 ring-inset ring-slate-300 hover:bg-slate-50`} data-focus-key={`${param}-${p}`}>
                  <span className="sr-only">Page </span>
                  {p}
                </Link>
              )}
            </li>
          ))}
          <li>
            {page < pages ? (
              <Link href={href(page + 1)} className={`${cls} ring-1 ring-inset ring-slate-300 hover:bg-slate-50`} rel="next" data-focus-key={`${param}-next`}>
                <span className="sr-only sm:not-sr-only">Next</span>
                <ChevronRight className="h-4 w-4" />
              </Link>
            ) : (
              <span className={`${cls} text-slate-400 ring-1 ring-inset ring-slate-200`} aria-disabled="true">
                <span className="sr-only sm:not-sr-only">Next</span>
                <ChevronRight className="h-4 w-4" />
              </span>
            )}
          </li>
        </ul>
      ) : null}
    </nav>
  );
}
