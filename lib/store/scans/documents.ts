/**
 * The evidence documents of a stored scan put back into Snapshot shape, so the report renderers
 * can draw each resource's Speech → storage → key vault chain from what the scan judged.
 */
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type AzureDocument, type Snapshot } from "@/lib/posture/snapshot";
import { requireSucceededScan } from "./state";
import type { Store } from "@/lib/store/store";
import { idKey } from "@/lib/posture/ids";

/** The evidence kept with one account of a scan (the `resources.documents` column, as JSON). */
export interface AccountDocuments {
  account: AzureDocument;
  storage: AzureDocument[];
  keyVaults: AzureDocument[];
  roleAssignments: AzureDocument[];
  diagnosticSettings: unknown[] | null;
  speechEndpoints: unknown[] | null;
  /**
   * Policy assignments named by the account's policy states, and policy exemptions of those
   * assignments scoped to the account or a resource above or beside it (its storage, its vaults),
   * so the resource page can show names, categories and expiries. Absent in older scans.
   */
  azurePolicy?: { assignments: AzureDocument[]; exemptions: AzureDocument[] };
}

export async function readScanDocuments(store: Store, scanId: string, filter: { subscriptionId?: string; resourceId?: string } = {}): Promise<Snapshot> {
  const scan = await requireSucceededScan(store, scanId);
  let query = store.db.selectFrom("resources").select(["documents"]).where("scan_id", "=", scanId);
  if (filter.subscriptionId) query = query.where("subscription_key", "=", idKey(filter.subscriptionId));
  if (filter.resourceId) query = query.where("resource_key", "=", idKey(filter.resourceId));
  const rows = await query.execute();
  const resources = new Map<string, AzureDocument>();
  const diagnosticSettings: Record<string, unknown[]> = {};
  const speechEndpoints: Record<string, unknown[]> = {};
  const add = (doc: AzureDocument | undefined) => {
    if (doc && typeof doc.id === "string" && !resources.has(idKey(doc.id))) resources.set(idKey(doc.id), doc);
  };
  for (const row of rows) {
    const docs = JSON.parse(row.documents) as AccountDocuments | null;
    if (!docs?.account) continue;
    add(docs.account);
    for (const d of [...docs.storage, ...docs.keyVaults, ...docs.roleAssignments]) add(d);
    if (docs.diagnosticSettings) diagnosticSettings[docs.account.id] = docs.diagnosticSettings;
    if (docs.speechEndpoints) speechEndpoints[docs.account.id] = docs.speechEndpoints;
  }
  return {
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: scan.finishedAt ?? scan.startedAt ?? new Date(0).toISOString(),
    subscriptions: [],
    coverage: ["resources"],
    resources: [...resources.values()],
    diagnosticSettings,
    speechEndpoints,
    errors: [],
  };
}
