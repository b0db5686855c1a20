/**
 * Lists of what changed between two scans (new failures, resolved, other changes) with links, and
 * for a changed verdict the evidence properties whose value changed (before → after).
 */
import Link from "next/link";
import type { DiffItem, EvidenceChange } from "@/lib/store/history/diff";
import { resourceHref } from "@/lib/views/search-params";
import { SeverityBadge, StatusBadge } from "@/components/ui/badges";

/** Links open the newer scan (`scanId`), or the older one (`olderScanId`) for what the newer no longer has. */
export function DiffList({ items, empty, scanId, olderScanId }: { items: DiffItem[]; empty: string; scanId?: string; olderScanId?: string }) {
  if (items.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {items.map((d) => (
        <li key={`${d.resourceId}|${d.controlId}`} className="flex items-start gap-3 px-4 py-2 text-sm">
          <span className="w-12 shrink-0 pt-0.5 font-mono text-xs font-semibold text-slate-700">{d.controlId}</span>
          <div className="min-w-0 flex-1">
            <Link
              href={resourceHref(d.resourceId, d.to === null ? olderScanId : scanId)}
              className="block truncate font-medium text-blue-700 hover:underline"
              title={d.resourceId}
            >
              {d.resourceName || d.resourceId}
            </Link>
            <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
              <SeverityBadge severity={d.severity} />
              <span className="flex items-center gap-1">
                {d.from ? <StatusBadge status={d.from} compact /> : <span>absent</span>}
                <span aria-hidden="true">→</span>
                <span className="sr-only">to</span>
                {d.to ? <StatusBadge status={d.to} compact /> : <span>absent</span>}
              </span>
              {d.ruleChange ? (
                <span
                  className="rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 font-medium text-amber-900"
                  title="The two scans judged this control with different catalogue versions: the verdict may have changed because the rule did, not because Azure did."
                  data-testid="rule-change"
                >
                  rule change
                </span>
              ) : null}
            </div>
            <EvidenceChanges changes={d.evidence} resourceId={d.resourceId} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/** `false`, `"Enabled"`, `(absent)`: a value as the evidence holds it. */
const shown = (v: unknown, present: boolean) => (!present ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * "account properties.disableLocalAuth", or "storage st01 properties.x" for a linked document: the
 * evidence path without the resource's own ID, which the row already names.
 */
function propertyLabel(path: string, resourceId: string): string {
  const space = path.indexOf(" ");
  const doc = space < 0 ? path : path.slice(0, space);
  const property = space < 0 ? "" : path.slice(space + 1);
  const colon = doc.indexOf(":");
  if (colon < 0) return path;
  const kind = doc.slice(0, colon);
  const id = doc.slice(colon + 1);
  const which = id.trim().toLowerCase() === resourceId.trim().toLowerCase() ? "" : ` ${id.split("/").filter(Boolean).pop() ?? id}`;
  return `${kind}${which} ${property}`.trim();
}

function EvidenceChanges({ changes, resourceId }: { changes?: EvidenceChange[]; resourceId: string }) {
  if (!changes || changes.length === 0) return null;
  return (
    // Lines, not a nested list: each row of the diff stays one list item.
    <div className="mt-1 space-y-0.5 text-xs text-slate-700" data-testid="evidence-change">
      {changes.map((c) => (
        <p key={c.path} className="break-words" title={c.path}>
          <span className="font-mono">{propertyLabel(c.path, resourceId)}</span>: <span className="font-mono">{shown(c.before, "before" in c)}</span>{" "}
          <span aria-hidden="true">→</span>
          <span className="sr-only">changed to</span> <span className="font-mono">{shown(c.after, "after" in c)}</span>
        </p>
      ))}
    </div>
  );
}
