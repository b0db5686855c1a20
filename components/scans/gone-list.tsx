/** The resources the newer scan no longer holds, each with the failures it had: gone, not resolved. */
import Link from "next/link";
import type { GoneResource } from "@/lib/store/history/diff";
import { count, plural } from "@/lib/views/format";
import { resourceHref } from "@/lib/views/search-params";

/** Links open the older scan, the last one that held the resource. */
export function GoneList({ items, olderScanId, empty = "No resource is gone." }: { items: GoneResource[]; olderScanId?: string; empty?: string }) {
  if (items.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {items.map((g) => (
        <li key={g.resourceId} className="px-4 py-2 text-sm" data-testid="gone-resource" data-resource-id={g.resourceId}>
          <Link href={resourceHref(g.resourceId, olderScanId)} className="block truncate font-medium text-blue-700 hover:underline" title={g.resourceId}>
            {g.resourceName || g.resourceId}
          </Link>
          <div className="mt-0.5 text-xs text-slate-600">
            {g.failures === 0
              ? `No failures in the older scan (${plural(g.findings, "finding")})`
              : `Had ${count(g.failures)} ${g.failures === 1 ? "failure" : "failures"} (${g.failedControls.join(", ")}): gone with the resource, not resolved`}
          </div>
        </li>
      ))}
    </ul>
  );
}
