/** One Speech resource: the encryption picture, every control's verdict with evidence and remediation, details, history, re-check. */
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { EncryptionChainView } from "@/components/resource/encryption-chain";
import { ExportButtons } from "@/components/scans/export-buttons";
import { DiagnosticSettingsTable, EndpointsTable, HistoryTable } from "@/components/resource/details-tables";
import { FindingCard } from "@/components/resource/finding-card";
import { RecheckPanel } from "@/components/resource/recheck-panel";
import { CountChips, ScoreCell } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { Alert, EmptyState, PageHeader, Panel } from "@/components/ui/layout";
import { PageSkeleton } from "@/components/ui/skeleton";
import { CATALOG } from "@/lib/posture/controls";
import { dateTime } from "@/lib/views/format";
import { REASON_LABEL, SOURCE_LABEL } from "@/lib/views/labels";
import { loadResource } from "@/lib/views/resource-data";
import { first, findingsHref, resourceHref, resourceIdFromSegments, subscriptionHref, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import { showHidden } from "@/lib/report/visible-text";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string[] }>; searchParams: Promise<SearchParamsRecord> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: id[id.length - 1] ?? "Resource" };
}

export default async function ResourcePage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const resourceId = resourceIdFromSegments(id);
  const scanId = first(sp, "scan");
  return (
    <Suspense fallback={<PageSkeleton label="Loading the resource" />}>
      <>
        <Resource resourceId={resourceId} scanId={scanId} />
        <PageReady />
      </>
    </Suspense>
  );
}

async function Resource({ resourceId, scanId }: { resourceId: string; scanId?: string }) {
  const loaded = await loadResource(await uiStore(), resourceId, scanId);
  if (!loaded.ok) {
    return (
      <>
        <PageHeader title={resourceId.split("/").pop() || "Resource"} breadcrumbs={[{ href: "/", label: "Overview" }]} />
        {loaded.notFound ? (
          <EmptyState
            title="This resource is not in any stored scan"
            actions={
              <Link href="/findings" className={linkClass}>
                Search the findings
              </Link>
            }
          >
            <p className="break-all">{resourceId}</p>
            <p className="mt-2">It may be out of scope (not a Speech resource), in a subscription the scans could not read, or removed by retention.</p>
          </EmptyState>
        ) : (
          <Alert tone="error" title="This scan cannot be shown">
            <p>{loaded.message}</p>
            {loaded.elsewhere ? (
              <p>
                <Link href={resourceHref(resourceId)} className="font-medium underline">
                  Show the resource in the latest scan that has it
                </Link>
              </p>
            ) : null}
          </Alert>
        )}
      </>
    );
  }
  const { detail, scan, chain, findings, exceptions, errors, subscriptionName } = loaded.data;
  const r = detail.resource;
  const counts = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 } as Record<string, number>;
  for (const f of findings) counts[f.status] = (counts[f.status] ?? 0) + 1;
  const latestScanId = detail.history[detail.history.length - 1]?.scanId;
  const docs = (detail.documents ?? {}) as { speechEndpoints?: unknown[] | null; diagnosticSettings?: unknown[] | null };
  const why = (controlId: string, what: string) => {
    const f = findings.find((x) => x.controlId === controlId);
    return f?.status === "unknown" && f.reason
      ? `${what} could not be read: ${REASON_LABEL[f.reason] ?? f.reason}. ${f.message}`
      : `${what} were not collected in this scan.`;
  };
  const byosPass = findings.find((f) => f.controlId === "BYOS-1")?.status === "pass";
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
          <div className="flex flex-col items-end gap-2">
            <ExportButtons scanId={detail.scanId} resourceId={r.id} fileStem={`speech-posture-${r.name}`} formats={[]} />
            <Link href={findingsHref({ q: r.id.toLowerCase(), ...(scanId ? { scan: scanId } : {}) })} className={`text-sm ${linkClass}`}>
              Open in the findings explorer
            </Link>
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

      <Panel
        title="Where the customer data is and who holds the keys"
        id="chain"
        description="Each box and arrow is coloured by its controls' verdicts and labelled with them."
      >
        <EncryptionChainView chain={chain} />
      </Panel>

      <div className="mt-6">
        <Panel title="Re-check now" id="recheck">
          <RecheckPanel resourceId={r.id} stored={findings.map((f) => ({ controlId: f.controlId, status: f.status, reason: f.reason }))} />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="Controls" id="controls" description="Every control's verdict with its evidence; remediation for those that do not pass." bodyClassName="">
          {findings.map((f) => (
            <FindingCard
              key={f.controlId}
              f={f}
              exceptions={exceptions}
              target={{
                controlId: f.controlId,
                controlTitle: f.control?.title ?? f.controlId,
                resourceId: r.id,
                resourceName: r.name,
                subscriptionId: r.subscriptionId,
                subscriptionName: subName,
              }}
            />
          ))}
        </Panel>
      </div>

      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Panel title="Custom endpoint logging" id="endpoints" bodyClassName="">
          <EndpointsTable endpoints={docs.speechEndpoints ?? null} notCollected={why("LOG-1", "Custom endpoints")} byos={byosPass} />
        </Panel>
        <Panel title="Diagnostic settings" id="diagnostics" bodyClassName="">
          <DiagnosticSettingsTable settings={docs.diagnosticSettings ?? null} notCollected={why("LOG-2", "Diagnostic settings")} />
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="History" id="history" description="This resource in every stored scan (newest first, up to 20)" bodyClassName="">
          <HistoryTable
            history={detail.history}
            controls={CATALOG.map((c) => c.id)}
            currentScanId={detail.scanId}
            resourceHrefFor={(s) => resourceHref(r.id, s)}
          />
        </Panel>
      </div>
    </>
  );
}
