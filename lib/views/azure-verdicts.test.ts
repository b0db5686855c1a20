import { describe, expect, it } from "vitest";
import { AZURE_MAPPINGS, type AzureVerdict } from "@/lib/posture/azure-verdicts";
import { azureVerdictView } from "./azure-verdicts";

const ACCOUNT = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/cog1";
const ASSIGNMENT = "/subscriptions/s1/providers/Microsoft.Authorization/policyAssignments/cmk-audit";
const CMK = "/providers/Microsoft.Authorization/policyDefinitions/67121cc7-ff39-4ab8-b7e3-95b84dab487d";

const verdict = (complianceState: string): AzureVerdict => ({
  state: complianceState === "Exempt" ? "exempt" : "compliant",
  sources: [
    { kind: "policy", definitionId: CMK, assignmentId: ASSIGNMENT, resourceId: ACCOUNT, complianceState, timestamp: "2026-11-27T08:00:00Z" },
    { kind: "defender", assessmentKey: "18BF29B3-A844-E170-2826-4E95D0BA4DC9", resourceId: ACCOUNT, status: "Healthy" },
  ],
});

describe("azureVerdictView", () => {
  it("names the built-in, the assignment and the recommendation, and says why we differ when Azure is lenient", () => {
    const view = azureVerdictView("CMK-1", verdict("Compliant"), "azure_lenient", {
      assignments: [{ id: ASSIGNMENT.toUpperCase(), type: "microsoft.authorization/policyassignments", properties: { displayName: "Audit CMK" } }],
      exemptions: [],
    });
    expect(view.rows.map((r) => [r.source, r.name, r.assignment, r.verdict, r.evaluatedAt])).toEqual([
      ["Azure Policy", AZURE_MAPPINGS["CMK-1"]!.policies[0].name, "Audit CMK", "Compliant", "2026-11-27T08:00:00Z"],
      ["Defender for Cloud", AZURE_MAPPINGS["CMK-1"]!.defender[0].name, null, "Healthy", null],
    ]);
    expect(view.differences).toEqual(AZURE_MAPPINGS["CMK-1"]!.differences);
    expect(view.explanation).toMatch(/data at risk/);
    expect(view.exemptions).toEqual([]);
  });

  it("falls back to the assignment's last segment and gives no differences when we agree", () => {
    const view = azureVerdictView("CMK-1", verdict("Compliant"), "agree", undefined);
    expect(view.rows[0].assignment).toBe("cmk-audit");
    expect(view.differences).toEqual([]);
  });

  it("shows an Exempt state's exemption with category and expiry, or the bare fact without the document", () => {
    const exemption = {
      id: `${ACCOUNT}/providers/Microsoft.Authorization/policyExemptions/waive-cmk`,
      type: "microsoft.authorization/policyexemptions",
      properties: {
        policyAssignmentId: ASSIGNMENT,
        exemptionCategory: "Waiver",
        expiresOn: "2027-03-01T00:00:00Z",
        displayName: "Waive CMK",
        metadata: { requestedBy: "kim@contoso.com" },
      },
    };
    const documented = azureVerdictView("CMK-1", verdict("Exempt"), "azure_exempt", { assignments: [], exemptions: [exemption] });
    expect(documented.exemptions).toEqual([
      { name: "Waive CMK", assignment: "cmk-audit", category: "Waiver", expiresOn: "2027-03-01T00:00:00Z", owner: "kim@contoso.com", documented: true },
    ]);
    const bare = azureVerdictView("CMK-1", verdict("Exempt"), "azure_exempt", undefined);
    expect(bare.exemptions).toEqual([{ name: "cmk-audit", assignment: "cmk-audit", category: null, expiresOn: null, owner: null, documented: false }]);
  });
});
