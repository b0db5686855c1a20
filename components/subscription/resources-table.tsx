/** The subscription report's resources: one sortable page, linked to each resource's page. */
import Link from "next/link";
import { ScoreCell } from "@/components/ui/badges";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import type { ResourceRow, ResourceSort } from "@/lib/store/reads";
import { hrefWith, resourceHref } from "@/lib/views/search-params";
import { showHidden } from "@/lib/report/visible-text";

export function ResourcesTable({
  subscriptionId,
  resources,
  sort,
  params,
  shownScanId,
}: {
  subscriptionId: string;
  resources: { items: ResourceRow[]; total: number; page: number; pageSize: number };
  sort: ResourceSort;
  params: URLSearchParams;
  /** The scan the links stay on (none: the latest). */
  shownScanId?: string;
}) {
  const path = `/subscriptions/${encodeURIComponent(subscriptionId)}`;
  return (
    <>
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
                <Link href={hrefWith(path, params, { sort: k, page: null })} className="hover:underline">
                  {label}
                </Link>
              </Th>
            ))}
            <Th>Resource group</Th>
            <Th aria-sort={sort === "score" ? "ascending" : undefined}>
              <Link href={hrefWith(path, params, { sort: null, page: null })} className="hover:underline">
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
      <Pagination path={path} params={params} page={resources.page} pageSize={resources.pageSize} total={resources.total} label="Resource pages" />
    </>
  );
}
