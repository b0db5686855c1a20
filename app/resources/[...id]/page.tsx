/** One Speech resource: the encryption picture, every control's verdict with evidence and remediation, details, history, re-check. */
import type { Metadata } from "next";
import { Suspense } from "react";
import { EncryptionChainView } from "@/components/resource/encryption-chain";
import { DiagnosticSettingsTable, EndpointsTable, HistoryTable } from "@/components/resource/details-tables";
import { FindingCard } from "@/components/resource/finding-card";
import { RecheckPanel } from "@/components/resource/recheck-panel";
import { Panel } from "@/components/ui/layout";
import { PageSkeleton } from "@/components/ui/skeleton";
import { CATALOG } from "@/lib/posture/controls";
import { REASON_LABEL } from "@/lib/views/labels";
import { loadResource } from "@/lib/views/resource-data";
import { first, resourceHref, resourceIdFromSegments, type SearchParamsRecord } from "@/lib/views/search-params";
import { uiStore } from "@/lib/views/server-store";
import { PageReady } from "@/components/shell/page-ready";
import type { AccountDocuments } from "@/lib/store/scans/documents";
import { ResourceHeader } from "@/components/resource/resource-header";
import { ResourceUnavailable } from "@/components/resource/resource-unavailable";

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
  if (!loaded.ok) return <ResourceUnavailable resourceId={resourceId} notFound={loaded.notFound} message={loaded.message} elsewhere={!!loaded.elsewhere} />;
  const { detail, chain, findings, exceptions, subscriptionName } = loaded.data;
  const r = detail.resource;
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
      <ResourceHeader data={loaded.data} scanId={scanId} />

      <Panel
        title="Where the customer data is and who holds the keys"
        id="chain"
        description="Each box and arrow is coloured by its controls' verdicts and labelled with them."
      >
        <EncryptionChainView chain={chain} scanId={scanId} />
      </Panel>

      <div className="mt-6">
        <Panel title="Re-check now" id="recheck" className="print:hidden">
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
              policyDocuments={(detail.documents as AccountDocuments | null)?.azurePolicy}
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
