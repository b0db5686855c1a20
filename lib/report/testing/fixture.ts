/**
 * Report inputs for tests and the benchmark: a synthetic tenant from the emulator's generator,
 * its snapshot (what a perfect collection returns), evaluated and built into the CONTROLS.md
 * result with `buildResult`.
 */
import { generateTenant, type Tenant } from "@/emulator/tenant";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import type { ExceptionRule } from "@/lib/posture/exceptions";
import { buildResult, type ScanResult } from "@/lib/posture/result";
import type { Snapshot } from "@/lib/posture/snapshot";
import { withoutAzureVerdicts } from "@/lib/posture/testing/fixtures";
import { tenantSnapshot } from "@/emulator/snapshot";

export interface Fixture {
  tenant: Tenant;
  snapshot: Snapshot;
  result: ScanResult;
}

export interface FixtureOptions {
  seed?: number;
  subscriptions?: number;
  accounts?: number;
  scanId?: string;
  exceptions?: readonly ExceptionRule[];
  /** Changes the generated tenant before the snapshot is taken (hostile names, errors…). */
  mutate?: (tenant: Tenant) => void;
  /** Changes the snapshot before evaluation. */
  mutateSnapshot?: (snapshot: Snapshot) => void;
}

export const FIXTURE_TIME = { startedAt: "2026-11-28T10:00:00.000Z", finishedAt: "2026-11-28T10:02:13.000Z" } as const;

export function tenantFixture(options: FixtureOptions = {}): Fixture {
  const tenant = generateTenant({ seed: options.seed ?? 7, subscriptions: options.subscriptions ?? 3, accounts: options.accounts ?? 24 });
  options.mutate?.(tenant);
  // Azure's verdicts only where a test adds them (options.mutateSnapshot).
  const snapshot = withoutAzureVerdicts(tenantSnapshot(tenant, FIXTURE_TIME.startedAt));
  options.mutateSnapshot?.(snapshot);
  const result = buildResult({
    snapshot,
    evaluation: evaluateSnapshot(snapshot),
    scan: { id: options.scanId ?? "scan-0001", ...FIXTURE_TIME, source: "emulator" },
    exceptions: options.exceptions,
    now: new Date(FIXTURE_TIME.finishedAt),
  });
  return { tenant, snapshot, result };
}
