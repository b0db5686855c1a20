import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, hardened, snapshot } from "@/lib/posture/testing/fixtures";
import type { AzureDocument } from "@/lib/posture/snapshot";
import { documentsByAccount } from "./run-scan-documents";
import { idKey } from "@/lib/posture/ids";

const SUB = ACCOUNT_ID.split("/").slice(0, 3).join("/");
const ASSIGNMENT = `${SUB}/providers/Microsoft.Authorization/policyAssignments/cmk-audit`;
const OTHER_ASSIGNMENT = `${SUB}/providers/Microsoft.Authorization/policyAssignments/unrelated`;

const state = (resourceId: string, assignment: string): AzureDocument => ({
  id: `${resourceId}/providers/Microsoft.PolicyInsights/policyStates/${assignment.split("/").pop()}`,
  type: "microsoft.policyinsights/policystates",
  properties: {
    resourceId,
    policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/67121cc7-ff39-4ab8-b7e3-95b84dab487d",
    policyAssignmentId: assignment,
    complianceState: "Exempt",
    timestamp: "2026-11-27T08:00:00Z",
  },
});
const exemption = (scope: string, name: string, assignment: string): AzureDocument => ({
  id: `${scope}/providers/Microsoft.Authorization/policyExemptions/${name}`,
  type: "microsoft.authorization/policyexemptions",
  properties: { policyAssignmentId: assignment, exemptionCategory: "Waiver" },
});

describe("documentsByAccount: Azure Policy documents", () => {
  it("keeps the assignments the account's states name and the exemptions of those assignments at or above the account", () => {
    const snap = snapshot(hardened());
    snap.resources.push(
      state(ACCOUNT_ID, ASSIGNMENT),
      {
        id: ASSIGNMENT.toUpperCase(),
        type: "Microsoft.Authorization/policyAssignments",
        properties: { displayName: "Audit CMK", scope: SUB, parameters: { effect: { value: "Audit" } }, description: "A long description nobody reads here" },
      },
      { id: OTHER_ASSIGNMENT, type: "microsoft.authorization/policyassignments", properties: { displayName: "Unrelated" } },
      exemption(ACCOUNT_ID, "on-account", ASSIGNMENT),
      exemption(SUB, "on-subscription", ASSIGNMENT),
      exemption(`${SUB}/resourceGroups/elsewhere`, "other-group", ASSIGNMENT),
      exemption(ACCOUNT_ID, "other-assignment", OTHER_ASSIGNMENT),
    );
    const docs = documentsByAccount(snap).get(idKey(ACCOUNT_ID))!;
    expect(docs.azurePolicy?.assignments.map((a) => a.properties?.displayName)).toEqual(["Audit CMK"]);
    // Each account keeps an assignment's ID and display name (what the resource page shows), not the rest.
    expect(docs.azurePolicy?.assignments[0].properties).toEqual({ displayName: "Audit CMK" });
    expect(docs.azurePolicy?.exemptions.map((e) => e.id.split("/").pop())).toEqual(["on-account", "on-subscription"]);
  });

  it("adds nothing when the snapshot has no policy states", () => {
    const docs = documentsByAccount(snapshot(hardened())).get(idKey(ACCOUNT_ID))!;
    expect(docs.azurePolicy).toBeUndefined();
  });
});
