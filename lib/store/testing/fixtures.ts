/** Small helpers shared by the store and scan tests. */
import type { RunningEmulator } from "@/emulator/server";
import { generateTenant, type Tenant } from "@/emulator/tenant";
import { emulatorTarget } from "@/lib/azure/target";
import type { Snapshot } from "@/lib/posture/snapshot";
import { ScanJobs, type JobsOptions } from "@/lib/scan/jobs";
import { getScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { tenantSnapshot } from "@/emulator/snapshot";

export function smallTenant(accounts = 12, subscriptions = 3, seed = 7): Tenant {
  return generateTenant({ accounts, subscriptions, seed, hiddenSubscriptions: 0 });
}

export function snapshotOf(tenant: Tenant, collectedAt?: string): Snapshot {
  return tenantSnapshot(tenant, collectedAt);
}

export function jobsFor(store: Store, emulator?: Pick<RunningEmulator, "url" | "ca">, options: Partial<JobsOptions> = {}): ScanJobs {
  return new ScanJobs({
    store,
    sweepMs: 0,
    progressIntervalMs: 50,
    heartbeatMs: 200,
    defaultSource: () => "emulator",
    openTarget: async () => {
      if (!emulator) throw new Error("no emulator in this test");
      return { target: emulatorTarget({ url: emulator.url, ca: emulator.ca }), close: async () => undefined };
    },
    ...options,
  });
}

/**
 * Imports a snapshot as a scan and waits until it has ended. It replaces the latest posture, as a
 * collection would, unless `replacesLatest` is false (an import kept apart to compare).
 */
export async function importAndWait(jobs: ScanJobs, snapshot: Snapshot, options: { replacesLatest?: boolean } = {}): Promise<Scan> {
  const scan = await jobs.importSnapshot(snapshot, { replacesLatest: options.replacesLatest ?? true });
  await jobs.settled(scan.id);
  return (await getScan(jobs.store, scan.id))!;
}

/** Deep copy, so one scan's tenant can be changed for the next. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
