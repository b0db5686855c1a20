/**
 * Azure's verdicts survive the store on both databases: written with the findings, read back into
 * the result (and so into every export).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { readScanResult } from "./scans/result-read";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";

afterAll(() => releaseDatabases());

const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";

describe.each(DATABASES)("Azure's verdicts in the store on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("stores azure and agreement with each finding and reads them back", async () => {
    const snapshot = snapshotOf(smallTenant(), "2026-11-28T09:00:00Z");
    const target = snapshot.resources.find(isSpeechAccount)!;
    const state: AzureDocument = {
      id: `${target.id}/providers/Microsoft.PolicyInsights/policyStates/s1`,
      type: "microsoft.policyinsights/policystates",
      properties: {
        resourceId: target.id,
        policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
        policyAssignmentId: "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyAssignments/mcsb",
        complianceState: "Compliant",
        timestamp: "2026-11-27T08:00:00Z",
      },
    };
    // The emulator's snapshot carries Azure's verdicts already: this test places its own only.
    snapshot.resources = snapshot.resources.filter((r) => !/^microsoft\.(policyinsights|security|authorization\/policy)/.test(String(r.type)));
    snapshot.coverage = snapshot.coverage.filter((c) => c !== "azurePolicy" && c !== "defender");
    snapshot.resources.push(state);
    snapshot.coverage.push("azurePolicy");
    const scan = await importAndWait(jobs, snapshot);
    expect(scan.status).toBe("succeeded");
    const result = await readScanResult(store, scan.id);
    const cmk1 = result.findings.find((f) => f.controlId === "CMK-1" && f.resourceId === target.id)!;
    expect(cmk1.azure?.state).toBe("compliant");
    expect(cmk1.azure?.sources).toEqual([
      {
        kind: "policy",
        definitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
        assignmentId: "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyAssignments/mcsb",
        resourceId: target.id,
        complianceState: "Compliant",
        timestamp: "2026-11-27T08:00:00Z",
      },
    ]);
    expect(cmk1.agreement).toBe(cmk1.status === "fail" ? "azure_lenient" : "agree");
    const others = result.findings.filter((f) => f.resourceId !== target.id && f.controlId === "CMK-1");
    expect(others.length).toBeGreaterThan(0);
    for (const f of others)
      expect([f.azure?.state, f.agreement]).toEqual(["none", f.status === "fail" || f.status === "pass" ? "azure_silent" : "not_compared"]);
  });
});
