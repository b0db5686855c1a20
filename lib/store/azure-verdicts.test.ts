/**
 * Azure's verdicts survive the store on both databases: written with the findings, read back into
 * the result (and so into every export).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { queryFindings } from "./findings/query";
import { azureSummary } from "./findings/azure-summary";
import { createException } from "./exceptions";
import { parseFindingsQuery } from "./findings/params";
import { InvalidInputError } from "./errors";
import { readScanResult } from "./scans/result-read";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import { withoutAzureVerdicts } from "@/lib/posture/testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";

afterAll(() => releaseDatabases());

const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";
const q = (text = "") => parseFindingsQuery(new URLSearchParams(text));

/** A Compliant state of the CMK built-in for `resourceId`, as Resource Graph returns it. */
function cmkCompliant(resourceId: string, n: number): AzureDocument {
  return {
    id: `${resourceId}/providers/Microsoft.PolicyInsights/policyStates/s${n}`,
    type: "microsoft.policyinsights/policystates",
    properties: {
      resourceId,
      policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
      policyAssignmentId: "/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/cmk",
      complianceState: "Compliant",
      timestamp: "2026-11-27T08:00:00Z",
    },
  };
}

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
    withoutAzureVerdicts(snapshot);
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
    // Stored without the finding's own resource ID (it is put back on read, above).
    const stored = await store.db
      .selectFrom("findings as f")
      .innerJoin("resources as r", (j) => j.onRef("r.scan_id", "=", "f.scan_id").onRef("r.ord", "=", "f.resource_ord"))
      .select(["f.azure", "f.resource_id"])
      .where("f.scan_id", "=", scan.id)
      .where("f.control_id", "=", "CMK-1")
      .where("r.resource_id", "=", target.id)
      .executeTakeFirstOrThrow();
    // Nor does the row repeat the ID: it is its resource row's.
    expect(stored.resource_id).toBeNull();
    expect(stored.azure).toContain("policyDefinitions");
    expect(stored.azure).not.toContain(target.id);
    const others = result.findings.filter((f) => f.resourceId !== target.id && f.controlId === "CMK-1");
    expect(others.length).toBeGreaterThan(0);
    for (const f of others)
      expect([f.azure?.state, f.agreement]).toEqual(["none", f.status === "fail" || f.status === "pass" ? "azure_silent" : "not_compared"]);
  });

  it("filters and facets findings by agreement", async () => {
    const snapshot = withoutAzureVerdicts(snapshotOf(smallTenant(), "2026-11-28T09:05:00Z"));
    snapshot.resources.filter(isSpeechAccount).forEach((a, n) => snapshot.resources.push(cmkCompliant(a.id, n)));
    snapshot.coverage.push("azurePolicy");
    const scan = await importAndWait(jobs, snapshot);
    const result = await readScanResult(store, scan.id);
    const expected = (a: string) => result.findings.filter((f) => f.agreement === a).length;
    const cmkFails = result.findings.filter((f) => f.controlId === "CMK-1" && f.status === "fail");
    expect(cmkFails.length).toBeGreaterThan(0);

    const lenient = await queryFindings(store, scan.id, q("agreement=azure_lenient&pageSize=500"));
    expect(lenient.total).toBe(cmkFails.length);
    expect(lenient.items.map((f) => [f.controlId, f.status, f.agreement, f.azure?.state])).toEqual(
      cmkFails.map(() => ["CMK-1", "fail", "azure_lenient", "compliant"]),
    );
    // The agreement facet counts every value under the other filters, not under its own.
    expect(lenient.facets.agreement).toEqual({
      not_collected: 0,
      not_compared: expected("not_compared"),
      azure_silent: expected("azure_silent"),
      azure_exempt: 0,
      agree: expected("agree"),
      azure_lenient: cmkFails.length,
      azure_stricter: 0,
    });
    expect(expected("agree")).toBeGreaterThan(0);
    // Under a status filter the facet follows it: no passing finding is lenient.
    const passing = await queryFindings(store, scan.id, q("status=pass&agreement=agree,AZURE_LENIENT"));
    expect(passing.facets.agreement.azure_lenient).toBe(0);
    expect(passing.total).toBe(result.findings.filter((f) => f.status === "pass" && f.agreement === "agree").length);
    expect(() => q("agreement=lenient")).toThrow(InvalidInputError);
    expect(() => q("agreement=lenient")).toThrow(/agreement.*azure_lenient/);
  });

  it("indexes Azure's state from the start of each stored verdict, and from the whole text when it does not open with its state", async () => {
    const snapshot = withoutAzureVerdicts(snapshotOf(smallTenant(40, 3, 9), "2026-11-28T09:08:00Z"));
    snapshot.resources.filter(isSpeechAccount).forEach((a, n) => snapshot.resources.push(cmkCompliant(a.id, n)));
    snapshot.coverage.push("azurePolicy");
    const scan = await importAndWait(jobs, snapshot);
    const summary = await azureSummary(store, scan.id);
    expect(summary).toMatchObject({ collected: true, compliant: 40, nonCompliant: 0 });
    const compliantOnly = (s: Store) => queryFindings(s, scan.id, q("agreement=azure_lenient,agree&pageSize=500"));
    const before = (await compliantOnly(store)).total;

    // The same verdicts with their members the other way round, as another writer could store them.
    const rows = await store.db.selectFrom("findings").select(["id", "azure"]).where("scan_id", "=", scan.id).execute();
    let rewritten = 0;
    for (const r of rows) {
      const m = r.azure === null ? null : /^\{"state":("[a-z_]+"),"sources":(.*)\}$/s.exec(r.azure);
      if (!m) continue;
      await store.db
        .updateTable("findings")
        .set({ azure: `{"sources":${m[2]},"state":${m[1]}}` })
        .where("id", "=", r.id)
        .execute();
      rewritten++;
    }
    expect(rewritten).toBe(rows.length); // 720 findings: more than one batch of whole reads
    const fresh = await tdb.open(); // a store with an empty cache builds the index again
    try {
      expect(await azureSummary(fresh, scan.id)).toEqual(summary);
      expect((await compliantOnly(fresh)).total).toBe(before);
    } finally {
      await fresh.close();
    }
  });

  it("summarises Azure's side: unmuted lenient findings and Azure's own compliance", async () => {
    const plain = await importAndWait(jobs, withoutAzureVerdicts(snapshotOf(smallTenant(), "2026-11-28T09:06:00Z")));
    expect(await azureSummary(store, plain.id)).toEqual({ collected: false, lenientUnmuted: 0, compliant: 0, nonCompliant: 0, score: null });

    const snapshot = withoutAzureVerdicts(snapshotOf(smallTenant(), "2026-11-28T09:07:00Z"));
    snapshot.resources.filter(isSpeechAccount).forEach((a, n) => snapshot.resources.push(cmkCompliant(a.id, n)));
    snapshot.coverage.push("azurePolicy");
    const scan = await importAndWait(jobs, snapshot);
    const result = await readScanResult(store, scan.id);
    const lenient = result.findings.filter((f) => f.agreement === "azure_lenient");
    const compliant = result.findings.filter((f) => f.azure?.state === "compliant").length;
    expect(compliant).toBe(result.findings.filter((f) => f.controlId === "CMK-1").length);
    const before = await azureSummary(store, scan.id);
    expect(before).toEqual({ collected: true, lenientUnmuted: lenient.length, compliant, nonCompliant: 0, score: 100 });

    // A muted lenient finding no longer counts as data at risk.
    await createException(store, {
      controlId: "CMK-1",
      resourceId: lenient[0].resourceId,
      owner: "sec@contoso.com",
      reason: "accepted",
      expiresAt: "2099-01-01",
    });
    expect((await azureSummary(store, scan.id)).lenientUnmuted).toBe(lenient.length - 1);
  });
});
