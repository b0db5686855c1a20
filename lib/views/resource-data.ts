/** One resource page: its stored detail (documents, findings, history), the scan, names and the exceptions that mute it. */
import { CATALOG } from "@/lib/posture/controls";
import type { Control } from "@/lib/posture/types";
import { NotFoundError, StateConflictError } from "@/lib/store/errors";
import { listExceptions, type StoredException } from "@/lib/store/exceptions";
import { resourceDetail, resourceInAnyScan, type ResourceDetail } from "@/lib/store/resource-detail";
import { getScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { layoutEncryptionChain, type EncryptionChain } from "./encryption-chain";
import { scanSubscription } from "@/lib/store/reads";
import { scanErrors } from "@/lib/store/scans/scans";
import type { SnapshotError } from "@/lib/posture/snapshot";
import { idKey } from "@/lib/posture/ids";
import { showHidden } from "@/lib/report/visible-text";
import type { AccountDocuments } from "@/lib/store/scans/documents";
import type { Evidence } from "@/lib/posture/types";
import type { Status } from "@/lib/posture/vocabulary";
import { fillRemediation, portalResourceHref, remediationTarget, type FilledRemediation } from "./remediation";

export interface ResourcePageData {
  detail: ResourceDetail;
  scan: Scan | null;
  subscriptionName: string | null;
  chain: EncryptionChain;
  /** Findings, those needing attention first, each with its control and its remediation filled in for this resource. */
  findings: (ResourceDetail["findings"][number] & { control: Control | undefined; remediation: FilledRemediation | null })[];
  /** The resource in the Azure portal, in its tenant. */
  portalHref: string;
  exceptions: Map<string, StoredException>;
  /** Collection errors of that scan about this resource or its subscription. */
  errors: SnapshotError[];
}

export type ResourceLoad =
  | { ok: true; data: ResourcePageData }
  /** notFound: in no stored scan at all. Otherwise `message` says why, and `elsewhere` is set when other scans have it. */
  | { ok: false; notFound: boolean; message: string; elsewhere?: boolean };

export async function loadResource(store: Store, resourceId: string, scanId?: string): Promise<ResourceLoad> {
  let detail: ResourceDetail;
  try {
    detail = await resourceDetail(store, resourceId, { scanId });
  } catch (error) {
    if (error instanceof NotFoundError && scanId !== undefined) {
      // The scan named in the link is gone, or does not hold this resource: say which, not "in no scan".
      if (error.what === "Scan")
        return {
          ok: false,
          notFound: false,
          message: `Scan ${scanId} does not exist (it may have been removed by retention).`,
          elsewhere: await resourceInAnyScan(store, resourceId),
        };
      if (await resourceInAnyScan(store, resourceId))
        return { ok: false, notFound: false, message: `The scan ${scanId} does not include this resource.`, elsewhere: true };
    }
    if (error instanceof NotFoundError) return { ok: false, notFound: true, message: error.message };
    if (error instanceof StateConflictError) return { ok: false, notFound: false, message: error.message };
    throw error;
  }
  const [scan, sub, list, errors] = await Promise.all([
    getScan(store, detail.scanId),
    scanSubscription(store, detail.scanId, detail.resource.subscriptionId),
    listExceptions(store),
    scanErrors(store, detail.scanId),
  ]);
  // Names and messages come from Azure or a snapshot: hidden characters are shown as code points.
  const shown = { ...detail, resource: { ...detail.resource, name: showHidden(detail.resource.name) } };
  const order = new Map(CATALOG.map((c, i) => [c.id as string, i]));
  // What needs attention first (fail, unknown), then the rest; catalogue order within each.
  const rank: Record<string, number> = { fail: 0, unknown: 1, pass: 2, not_applicable: 3 };
  const accountDocs = detail.documents as AccountDocuments | null;
  // Older scans kept no documents: their findings fall back to the catalogue's placeholders.
  const target = accountDocs?.account ? remediationTarget(accountDocs, scan?.tenantId ?? null) : null;
  const statuses = new Map(detail.findings.map((f) => [f.controlId as string, f.status as Status]));
  const findings = [...detail.findings]
    .sort((a, b) => (rank[a.status] ?? 4) - (rank[b.status] ?? 4) || (order.get(a.controlId) ?? 99) - (order.get(b.controlId) ?? 99))
    .map((f) => {
      const control = CATALOG.find((c) => c.id === f.controlId);
      const filled = control && target ? fillRemediation(control, target, { evidence: f.evidence as Evidence[], statuses }) : null;
      // Names in the scripts are quoted for the shell; hidden characters in them are still shown as code points.
      const remediation = filled && { ...filled, portal: filled.portal.map(showHidden), cli: showHidden(filled.cli), bicep: showHidden(filled.bicep) };
      return { ...f, message: showHidden(f.message), control, remediation };
    });
  const exceptions = new Map([...list.active, ...list.expired, ...list.removed].map((e) => [e.id, e]));
  const key = idKey(detail.resource.id);
  const subScope = `/subscriptions/${idKey(detail.resource.subscriptionId)}`;
  const docs = (detail.documents ?? null) as Parameters<typeof layoutEncryptionChain>[1];
  return {
    ok: true,
    data: {
      detail: shown,
      scan: scan ?? null,
      subscriptionName: sub?.displayName ? showHidden(sub.displayName) : null,
      chain: layoutEncryptionChain(shown.resource, docs, detail.findings),
      findings,
      portalHref: portalResourceHref(target?.tenantId ?? scan?.tenantId ?? null, detail.resource.id),
      exceptions,
      errors: errors.filter((e) => {
        const s = idKey(e.scope ?? "");
        return s === key || s === subScope;
      }),
    },
  };
}
