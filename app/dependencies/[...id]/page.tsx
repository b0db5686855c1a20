/** Blast radius: every Speech resource that depends on one storage account or key vault, in one scan. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PageSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th } from "@/components/ui/table";
import { ScoreCell } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { ShareLinks } from "@/components/ui/share-links";
import { PageReady } from "@/components/shell/page-ready";
import { loadDependencies } from "@/lib/views/dependencies-data";
import { first, findingsHref, resourceHref, resourceIdFromSegments, subscriptionHref, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { dateTime } from "@/lib/views/format";
import { showHidden } from "@/lib/report/visible-text";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string[] }>; searchParams: Promise<SearchParamsRecord> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Depends on ${decodeURIComponent(id[id.length - 1] ?? "")}` };
}

export default async function DependenciesPage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const scan = first(sp, "scan");
  return (
    <Suspense fallback={<PageSkeleton label="Loading what depends on it" />}>
      <>
        <Dependencies resourceId={resourceIdFromSegments(id)} scanId={scan && /^[A-Za-z0-9_-]{1,64}$/.test(scan) ? scan : undefined} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Dependencies({ resourceId, scanId }: { resourceId: string; scanId?: string }) {
  const data = await loadDependencies(await uiStore(), resourceId, scanId);
  const { found, scan } = data;
  const what = found?.kind === "vault" ? "Key vault" : "Storage account";
  if (data.problem || !found || !scan) {
    return (
      <>
        <PageHeader title="What depends on it" description={resourceId} />
        <Alert tone="error" title="This cannot be shown">
          <p>{data.problem}</p>
        </Alert>
      </>
    );
  }
  const n = found.dependents.length;
  return (
    <>
      <PageHeader
        title={showHidden(found.name)}
        breadcrumbs={[{ href: "/", label: "Overview" }]}
        description={
          <>
            {what} · <span data-testid="dependents-count">{n}</span> Speech resource{n === 1 ? "" : "s"} depend{n === 1 ? "s" : ""} on it · scan of{" "}
            {dateTime(scan.finishedAt)}
            {scanId ? (
              <>
                {" "}
                ·{" "}
                <Link href={`/dependencies/${resourceId.split("/").filter(Boolean).map(encodeURIComponent).join("/")}`} className={linkClass}>
                  show the latest scan
                </Link>
              </>
            ) : null}
          </>
        }
        actions={<ShareLinks scanId={scan.id} />}
      />
      <p className="-mt-4 mb-6 break-all font-mono text-[11px] text-slate-500">{found.id}</p>
      <Panel
        title="Speech resources that depend on it"
        id="dependents"
        description={
          found.kind === "vault"
            ? "If this vault or its keys become unavailable, these resources (or their storage) can no longer read their customer data."
            : "These resources keep their customer data in this storage account."
        }
        bodyClassName=""
      >
        {n === 0 ? (
          <div className="p-4">
            <EmptyState title="No Speech resource of this scan depends on it">
              It is not linked storage, nor does it hold a key, of any Speech resource scanned.
            </EmptyState>
          </div>
        ) : (
          <Table caption={`Speech resources that depend on ${found.name}`}>
            <thead>
              <tr>
                <Th>Speech resource</Th>
                <Th>Subscription</Th>
                <Th>Score</Th>
                <Th>How it depends on it</Th>
              </tr>
            </thead>
            <tbody>
              {found.dependents.map((d) => (
                <tr key={d.resourceId} data-testid="dependent-row" data-resource-id={d.resourceId}>
                  <Td>
                    <Link href={resourceHref(d.resourceId, scanId)} className="font-medium text-blue-700 hover:underline" title={d.resourceId}>
                      {showHidden(d.name)}
                    </Link>
                  </Td>
                  <Td className="text-xs">
                    <Link href={subscriptionHref(d.subscriptionId, scanId)} className="hover:underline">
                      {showHidden(data.subscriptionNames.get(d.subscriptionId.toLowerCase()) ?? d.subscriptionId)}
                    </Link>
                  </Td>
                  <Td>
                    <ScoreCell score={d.score} />
                  </Td>
                  <Td className="text-xs text-slate-700">
                    <ul className="space-y-0.5">
                      {d.via.map((v) => (
                        <li key={v}>{showHidden(v)}</li>
                      ))}
                    </ul>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Panel>
      <p className="mt-4 text-sm">
        <Link href={findingsHref({ q: found.name.toLowerCase(), ...(scanId ? { scan: scanId } : {}) })} className={linkClass}>
          Their findings in the findings explorer
        </Link>
      </p>
    </>
  );
}
