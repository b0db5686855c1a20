/** Lists of what changed between two scans (new failures, resolved, other changes) with links. */
import Link from "next/link";
import type { DiffItem } from "../../lib/store/history-diff";
import { resourceHref } from "../../lib/ui/search-params";
import { SeverityBadge, StatusBadge } from "../ui/badges";

export function DiffList({ items, empty, scanId }: { items: DiffItem[]; empty: string; scanId?: string }) {
  if (items.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {items.map((d) => (
        <li key={`${d.resourceId}|${d.controlId}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
          <span className="w-14 shrink-0 font-mono text-xs font-semibold text-slate-700">{d.controlId}</span>
          <SeverityBadge severity={d.severity} />
          <Link href={resourceHref(d.resourceId, scanId)} className="min-w-0 flex-1 truncate font-medium text-blue-700 hover:underline" title={d.resourceId}>
            {d.resourceName || d.resourceId}
          </Link>
          <span className="flex items-center gap-1 text-xs text-slate-600">
            {d.from ? <StatusBadge status={d.from} compact /> : <span>absent</span>}
            <span aria-hidden="true">→</span>
            <span className="sr-only">to</span>
            {d.to ? <StatusBadge status={d.to} compact /> : <span>absent</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
