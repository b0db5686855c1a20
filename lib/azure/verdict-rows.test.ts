import { describe, expect, it } from "vitest";
import { assessmentsOfRow, policyStatesOfRow } from "./verdict-rows";

const A = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a";
const B = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/b";
const keepA = (k: string) => k === A.toLowerCase();

describe("summarised verdict rows, unpacked", () => {
  it("gives one policy-state document per state, with what the row says once for its assignment", () => {
    const row = {
      subscriptionId: "s1",
      policyAssignmentId: "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyAssignments/cmk",
      policyAssignmentName: "cmk",
      policyAssignmentScope: "/providers/Microsoft.Management/managementGroups/mg",
      policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/67121cc7-ff39-4ab8-b7e3-95b84dab487d",
      policyDefinitionAction: "audit",
      states: [
        { id: `${A}/providers/Microsoft.PolicyInsights/policyStates/1`, resourceId: A, complianceState: "NonCompliant", timestamp: "2026-11-30T02:00:00Z" },
        { id: `${B}/providers/Microsoft.PolicyInsights/policyStates/2`, resourceId: B, complianceState: "Compliant", timestamp: "2026-11-30T02:00:00Z" },
      ],
    };
    expect(policyStatesOfRow(row, keepA)).toEqual([
      {
        id: `${A}/providers/Microsoft.PolicyInsights/policyStates/1`,
        type: "microsoft.policyinsights/policystates",
        subscriptionId: "s1",
        properties: {
          resourceId: A,
          policyAssignmentId: row.policyAssignmentId,
          policyAssignmentName: "cmk",
          policyAssignmentScope: row.policyAssignmentScope,
          policyDefinitionId: row.policyDefinitionId,
          policyDefinitionAction: "audit",
          complianceState: "NonCompliant",
          timestamp: "2026-11-30T02:00:00Z",
        },
      },
    ]);
    expect(policyStatesOfRow(row, () => true)).toHaveLength(2);
  });

  it("leaves out what is malformed instead of trusting it", () => {
    expect(policyStatesOfRow({ states: "not a list" }, () => true)).toEqual([]);
    expect(policyStatesOfRow({ states: [null, 3, { id: "x" }, { resourceId: A }, { id: "", resourceId: A }] }, () => true)).toEqual([]);
    expect(assessmentsOfRow({ assessments: {} }, () => true)).toEqual([]);
    expect(
      assessmentsOfRow(
        { assessments: [{ id: "x" }, { id: "y", properties: { resourceDetails: "z" } }, { properties: { resourceDetails: { Id: A } } }] },
        () => true,
      ),
    ).toEqual([]);
  });

  it("gives one assessment document per assessment of a wanted account, named by the row's key", () => {
    const row = {
      subscriptionId: "s1",
      name: "key-1",
      displayName: "Speech accounts should use a CMK",
      assessments: [
        {
          id: `${A}/providers/Microsoft.Security/assessments/key-1`,
          properties: { resourceDetails: { Source: "Azure", Id: A }, status: { code: "Unhealthy" } },
        },
        { id: `${B}/providers/Microsoft.Security/assessments/key-1`, properties: { resourceDetails: { Id: B }, status: { code: "Healthy" } } },
      ],
    };
    expect(assessmentsOfRow(row, keepA)).toEqual([
      {
        id: `${A}/providers/Microsoft.Security/assessments/key-1`,
        name: "key-1",
        type: "microsoft.security/assessments",
        subscriptionId: "s1",
        properties: { resourceDetails: { Source: "Azure", Id: A }, status: { code: "Unhealthy" }, displayName: "Speech accounts should use a CMK" },
      },
    ]);
  });
});
