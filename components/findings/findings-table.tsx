/**
 * One page of findings, optionally grouped by control, resource or subscription (groups are
 * contiguous: the page is sorted by the group). Each group's count says whether it is the total
 * over every page or this page's share of it.
 */
import Link from "next/link";
import type { FindingItem, FindingsGroupCount } from "@/lib/store/findings/query";
import { date } from "@/lib/views/format";
import type { GroupBy } from "@/lib/views/findings-view";
import { resourceHref, subscriptionHref } from "@/lib/views/search-params";
import { AzureStateBadge, MutedBadge, SeverityBadge, StatusBadge } from "@/components/ui/badges";
import { Table, Td, Th } from "@/components/ui/table";
import { ExceptionButton } from "./exception-dialog";
import { showHidden } from "@/lib/report/visible-text";
import { FindingDetails } from "./finding-details";

/** Below the `sm` breakpoint each row becomes a card: cells flow and wrap, the reason takes the full width. */
const NARROW_CELL = "max-sm:border-0 max-sm:px-1 max-sm:py-1";

export function FindingsTable({
  items,
  group,
  controlTitles,
  subscriptionNames,
  scanId,
  groups = [],
}: {
  items: FindingItem[];
  group: GroupBy;
  /** The store's totals for the groups on this page. */
  groups?: FindingsGroupCount[];
  controlTitles: Map<string, string>;
  subscriptionNames: Map<string, string>;
  scanId: string;
}) {
  const groupKey = (f: FindingItem) =>
    group === "control" ? f.controlId : group === "resource" ? f.resourceId.toLowerCase() : group === "subscription" ? f.subscriptionId.toLowerCase() : "";
  const totals = new Map(groups.map((g) => [group === "control" ? g.key : g.key.toLowerCase(), g.total]));
  const columns = group === "control" ? 7 : 8;
  const rows: React.ReactNode[] = [];
  let last: string | null = null;
  for (const f of items) {
    const subName = showHidden(subscriptionNames.get(f.subscriptionId.toLowerCase()) ?? f.subscriptionId);
    const key = groupKey(f);
    if (group !== "none" && key !== last) {
      last = key;
      const n = items.filter((x) => groupKey(x) === key).length;
      const total = totals.get(key) ?? n;
      rows.push(
        <tr key={`g-${key}`} className="bg-slate-100 max-sm:block" data-testid="finding-group">
          <th scope="colgroup" colSpan={columns} className="border-b border-slate-200 px-3 py-2 text-left text-sm font-semibold text-slate-800 max-sm:block">
            {group === "control" ? (
              <>
                <Link href={`/controls#${f.controlId}`} className="font-mono hover:underline">
                  {f.controlId}
                </Link>{" "}
                · {controlTitles.get(f.controlId) ?? ""}
              </>
            ) : group === "subscription" ? (
              <Link href={subscriptionHref(f.subscriptionId, scanId)} className="hover:underline" title={f.subscriptionId}>
                {subName}
              </Link>
            ) : (
              <>
                <Link href={resourceHref(f.resourceId, scanId)} className="hover:underline">
                  {showHidden(f.resourceName)}
                </Link>{" "}
                <span className="font-normal text-slate-600">
                  · {f.kind} · {subName}
                </span>
              </>
            )}
            <span className="ml-2 text-xs font-normal text-slate-600" data-testid="group-count">
              {groupCountText(total, n)}
            </span>
          </th>
        </tr>,
      );
    }
    rows.push(
      <tr
        key={f.id}
        className="hover:bg-slate-50 max-sm:flex max-sm:flex-wrap max-sm:items-start max-sm:gap-x-1 max-sm:border-b max-sm:border-slate-200 max-sm:px-2 max-sm:py-2"
        data-testid="finding-row"
        data-control={f.controlId}
        data-severity={f.severity}
        data-status={f.status}
        data-agreement={f.agreement}
      >
        <Td className={NARROW_CELL}>
          <div className="flex flex-col items-start gap-1">
            <StatusBadge status={f.status} reason={f.reason} compact />
            {f.muted ? <MutedBadge title={`Muted by exception ${f.mutedBy.join(", ")}`} /> : null}
          </div>
        </Td>
        <Td className={NARROW_CELL}>
          <SeverityBadge severity={f.severity} />
        </Td>
        {group !== "control" ? (
          <Td className={`whitespace-nowrap ${NARROW_CELL}`}>
            <Link
              href={`/controls#${f.controlId}`}
              className="font-mono text-xs font-semibold text-slate-800 hover:underline"
              title={controlTitles.get(f.controlId)}
            >
              {f.controlId}
            </Link>
          </Td>
        ) : null}
        <Td className={`min-w-[12rem] ${NARROW_CELL} max-sm:min-w-0 max-sm:basis-full`}>
          {group === "resource" ? (
            <span className="text-xs text-slate-600">{controlTitles.get(f.controlId)}</span>
          ) : (
            <>
              <Link href={resourceHref(f.resourceId, scanId)} className="font-medium text-blue-700 hover:underline" title={f.resourceId}>
                {showHidden(f.resourceName)}
              </Link>
              <div className="text-xs text-slate-500">
                <Link href={subscriptionHref(f.subscriptionId, scanId)} className="hover:underline">
                  {subName}
                </Link>{" "}
                · {f.kind}
              </div>
            </>
          )}
        </Td>
        <Td className={`min-w-[16rem] max-w-[28rem] text-xs text-slate-700 ${NARROW_CELL} max-sm:min-w-0 max-sm:max-w-none max-sm:basis-full`}>
          <FindingDetails
            message={f.message}
            evidence={f.evidence}
            controlId={f.controlId}
            resourceName={f.resourceName}
            remediationHref={`${resourceHref(f.resourceId, scanId)}#control-${f.controlId}`}
          />
        </Td>
        <Td className={NARROW_CELL}>
          <span className="text-xs text-slate-500 sm:hidden">Azure: </span>
          <AzureStateBadge state={f.azure?.state ?? null} agreement={f.agreement} />
        </Td>
        <Td className={`whitespace-nowrap text-xs text-slate-600 ${NARROW_CELL}`}>
          {f.status === "fail" && f.firstSeenAt ? (
            <>
              <span className="sm:hidden">Failing since </span>
              {date(f.firstSeenAt)}
            </>
          ) : (
            <span className="max-sm:hidden">—</span>
          )}
        </Td>
        <Td className={`text-right ${NARROW_CELL}`}>
          {f.status === "fail" || f.status === "unknown" ? (
            <ExceptionButton
              target={{
                controlId: f.controlId,
                controlTitle: controlTitles.get(f.controlId) ?? f.controlId,
                resourceId: f.resourceId,
                resourceName: showHidden(f.resourceName),
                subscriptionId: f.subscriptionId,
                subscriptionName: subName,
              }}
            />
          ) : null}
        </Td>
      </tr>,
    );
  }
  return (
    <Table caption="Findings" className="max-sm:block">
      <thead className="max-sm:hidden">
        <tr>
          <Th>Status</Th>
          <Th>Severity</Th>
          {group !== "control" ? <Th>Control</Th> : null}
          <Th>{group === "resource" ? "Control title" : "Resource"}</Th>
          <Th>Message</Th>
          <Th>Azure</Th>
          <Th>Failing since</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody className="max-sm:block">{rows}</tbody>
    </Table>
  );
}

/** "12 findings in all · 5 on this page", or "3 findings, all on this page": never a bare number of unclear scope. */
export function groupCountText(total: number, onPage: number): string {
  const word = total === 1 ? "finding" : "findings";
  return total === onPage ? `${total} ${word}, all on this page` : `${total} ${word} in all · ${onPage} on this page`;
}
