/**
 * The blast-radius page's data: a storage account or key vault, the scan it is read from (named
 * in the URL, else the latest), and every Speech resource of that scan that depends on it.
 */
import { dependencyKindOf, dependentsOf, type Dependents } from "@/lib/store/dependencies";
import { NotFoundError, StateConflictError } from "@/lib/store/errors";
import { scanSubscriptions } from "@/lib/store/reads";
import { getScan, latestSucceededScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";

export interface DependenciesData {
  scan: Scan | null;
  /** Why nothing can be shown. */
  problem: string | null;
  found: Dependents | null;
  /** Lower-cased subscription ID → display name. */
  subscriptionNames: Map<string, string>;
}

export async function loadDependencies(store: Store, resourceId: string, scanId?: string): Promise<DependenciesData> {
  const none = { scan: null, found: null, subscriptionNames: new Map<string, string>() };
  if (!dependencyKindOf(resourceId)) {
    return {
      ...none,
      problem: `${resourceId} is not a storage account or key vault ID (…/providers/Microsoft.Storage/storageAccounts/… or …/providers/Microsoft.KeyVault/vaults/…).`,
    };
  }
  const scan = scanId ? await getScan(store, scanId) : await latestSucceededScan(store);
  if (!scan) return { ...none, problem: scanId ? `Scan ${scanId} does not exist (it may have been removed by retention).` : "No scan has been stored yet." };
  try {
    const [found, subs] = await Promise.all([dependentsOf(store, scan.id, resourceId), scanSubscriptions(store, scan.id)]);
    return { scan, problem: null, found: found ?? null, subscriptionNames: new Map(subs.map((s) => [s.key, s.displayName ?? s.subscriptionId])) };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof StateConflictError) return { ...none, scan, problem: error.message };
    throw error;
  }
}
