import { describe, expect, it } from "vitest";
import { agreementOf, AZURE_MAPPINGS, combine, type AzureSource, type AzureVerdict } from "./azure-verdicts";
import { CATALOG } from "./controls";
import { ACCOUNT_ID, account, FULL_COVERAGE, hardened, judge, RG, storageId, SUB, vault } from "./testing/fixtures";
import type { AzureDocument } from "./snapshot";
import type { Status } from "./types";

const WITH_AZURE = [...FULL_COVERAGE, "azurePolicy", "defender"] as const;
const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/mcsb`;

/** A `policyresources` policy-state row as Resource Graph returns it. */
function policyState(resourceId: string, definitionGuid: string, complianceState: string, assignment = ASSIGNMENT): AzureDocument {
  return {
    id: `${resourceId}/providers/Microsoft.PolicyInsights/policyStates/${definitionGuid}-${assignment.length}`,
    name: definitionGuid,
    type: "microsoft.policyinsights/policystates",
    properties: {
      resourceId,
      policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definitionGuid}`,
      policyAssignmentId: assignment,
      complianceState,
      timestamp: "2026-11-27T08:00:00Z",
    },
  };
}

/** A `securityresources` Defender assessment row. */
function assessment(resourceId: string, key: string, code: string): AzureDocument {
  return {
    id: `${resourceId}/providers/Microsoft.Security/assessments/${key}`,
    name: key,
    type: "microsoft.security/assessments",
    properties: { resourceDetails: { Source: "Azure", Id: resourceId }, status: { code }, displayName: "x" },
  };
}

const policy = (complianceState: string): AzureSource => ({
  kind: "policy",
  definitionId: "d",
  assignmentId: "a",
  resourceId: "r",
  complianceState,
  timestamp: null,
});
const defender = (status: string): AzureSource => ({ kind: "defender", assessmentKey: "k", resourceId: "r", status });

describe("azure.state combines Azure's sources in CONTROLS.md order", () => {
  it.each<[string, AzureSource[], string]>([
    ["a NonCompliant state wins over everything", [policy("Compliant"), policy("NonCompliant"), policy("Exempt")], "non_compliant"],
    ["an Unhealthy assessment wins over a Compliant state", [policy("Compliant"), defender("Unhealthy")], "non_compliant"],
    ["Exempt comes before Compliant", [policy("Compliant"), policy("Exempt")], "exempt"],
    ["Exempt comes before Healthy", [defender("Healthy"), policy("Exempt")], "exempt"],
    ["Compliant", [policy("Compliant")], "compliant"],
    ["Healthy", [defender("Healthy")], "compliant"],
    ["values compare case-insensitively and trimmed", [policy(" noncompliant ")], "non_compliant"],
    ["Unknown states only: not evaluated", [policy("Unknown")], "not_evaluated"],
    ["NotApplicable assessments only: not evaluated", [defender("NotApplicable")], "not_evaluated"],
    ["no sources", [], "none"],
  ])("%s", (_name, sources, state) => {
    expect(combine(sources)).toBe(state);
  });
});

describe("agreement, in CONTROLS.md order", () => {
  const verdict = (state: AzureVerdict["state"]): AzureVerdict => ({ state, sources: state === "none" ? [] : [policy("Compliant")] });
  it.each<[Status, AzureVerdict | null, boolean, string]>([
    ["fail", null, false, "not_collected"],
    ["fail", verdict("compliant"), true, "not_collected"],
    ["unknown", verdict("compliant"), false, "not_compared"],
    ["not_applicable", verdict("non_compliant"), false, "not_compared"],
    ["fail", verdict("none"), false, "azure_silent"],
    ["pass", verdict("not_evaluated"), false, "azure_silent"],
    ["fail", verdict("exempt"), false, "azure_exempt"],
    ["pass", verdict("exempt"), false, "azure_exempt"],
    ["pass", verdict("compliant"), false, "agree"],
    ["fail", verdict("non_compliant"), false, "agree"],
    ["fail", verdict("compliant"), false, "azure_lenient"],
    ["pass", verdict("non_compliant"), false, "azure_stricter"],
  ])("%s with Azure %j (Azure error: %s) → %s", (status, azure, azureError, expected) => {
    expect(agreementOf(status, azure, azureError)).toBe(expected);
  });
});

describe("Azure's verdicts on findings", () => {
  const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";

  it("is null and not_collected when neither policy states nor assessments were collected", () => {
    const finding = judge("CMK-1", { resources: [account(), policyState(ACCOUNT_ID, CMK_POLICY, "Compliant")] });
    expect(finding.azure).toBeNull();
    expect(finding.agreement).toBe("not_collected");
  });

  it("reports the CMK built-in's Compliant on a CognitiveServices account using Microsoft-managed keys as azure_lenient", () => {
    // The built-in's default excludedKinds leaves CognitiveServices out, so Azure calls it Compliant.
    const finding = judge("CMK-1", {
      resources: [account({}, { kind: "CognitiveServices" }), policyState(ACCOUNT_ID.toLowerCase(), CMK_POLICY, "Compliant")],
      coverage: [...WITH_AZURE],
    });
    expect(finding.status).toBe("fail");
    expect(finding.azure).toEqual({
      state: "compliant",
      sources: [
        {
          kind: "policy",
          definitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
          assignmentId: ASSIGNMENT,
          resourceId: ACCOUNT_ID.toLowerCase(),
          complianceState: "Compliant",
          timestamp: "2026-11-27T08:00:00Z",
        },
      ],
    });
    expect(finding.agreement).toBe("azure_lenient");
  });

  it("reads policy states only with azurePolicy coverage and assessments only with defender coverage", () => {
    const docs = [account({ disableLocalAuth: true }), policyState(ACCOUNT_ID, "71ef260a-8f18-47b7-abcb-62d0673d94dc", "Compliant")];
    const key = "13b10b36-aa99-4db6-b00c-dcf87c4761e6";
    const onlyDefender = judge("IAM-1", { resources: [...docs, assessment(ACCOUNT_ID, key, "Unhealthy")], coverage: [...FULL_COVERAGE, "defender"] });
    expect(onlyDefender.azure?.sources.map((s) => s.kind)).toEqual(["defender"]);
    expect(onlyDefender.azure?.state).toBe("non_compliant");
    expect(onlyDefender.agreement).toBe("azure_stricter");
    const onlyPolicy = judge("IAM-1", { resources: [...docs, assessment(ACCOUNT_ID, key, "Unhealthy")], coverage: [...FULL_COVERAGE, "azurePolicy"] });
    expect(onlyPolicy.azure?.sources.map((s) => s.kind)).toEqual(["policy"]);
    expect(onlyPolicy.agreement).toBe("agree");
  });

  it("judges storage controls by the linked storage account's policy states, not the account's", () => {
    const parts = hardened();
    const st = storageId("stspeechprod01");
    const sharedKeyPolicy = "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54";
    const finding = judge("IAM-2", {
      ...parts,
      resources: [...parts.resources, policyState(st, sharedKeyPolicy, "NonCompliant"), policyState(ACCOUNT_ID, sharedKeyPolicy, "Compliant")],
      coverage: [...WITH_AZURE],
    });
    expect(finding.status).toBe("pass");
    expect(finding.azure?.sources.map((s) => s.resourceId)).toEqual([st]);
    expect(finding.agreement).toBe("azure_stricter");
  });

  it("judges CMK-3 by the key vaults in use", () => {
    const parts = hardened();
    const kv = `${RG}/providers/Microsoft.KeyVault/vaults/kv-speech`;
    const other = vault("kv-unused");
    const finding = judge("CMK-3", {
      ...parts,
      resources: [
        ...parts.resources,
        other,
        policyState(kv, "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "Compliant"),
        policyState(other.id, "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", "NonCompliant"),
      ],
      coverage: [...WITH_AZURE],
    });
    expect(finding.status).toBe("pass");
    expect(finding.azure?.state).toBe("compliant");
    expect(finding.agreement).toBe("agree");
  });

  it("ignores a policy state of another definition and says Azure is silent on controls it has no counterpart for", () => {
    const resources = [account(), policyState(ACCOUNT_ID, "fe3fd216-4f83-4fc1-8984-2bbec80a3418", "Compliant")];
    const cmk = judge("CMK-1", { resources, coverage: [...WITH_AZURE] });
    expect(cmk.azure).toEqual({ state: "none", sources: [] });
    expect(cmk.agreement).toBe("azure_silent");
    const lbx = judge("LBX-1", { resources, coverage: [...WITH_AZURE] });
    expect(lbx.azure?.state).toBe("none");
  });

  it("is not_collected when an azurePolicy or defender error applies to the account", () => {
    const resources = [account({}, { kind: "CognitiveServices" }), policyState(ACCOUNT_ID, CMK_POLICY, "Compliant")];
    for (const source of ["azurePolicy", "defender"] as const) {
      const finding = judge("CMK-1", {
        resources,
        coverage: [...WITH_AZURE],
        errors: [{ scope: `/subscriptions/${SUB}`, source, reason: "access_denied", code: "AuthorizationFailed" }],
      });
      expect(finding.azure?.state).toBe("compliant");
      expect(finding.agreement).toBe("not_collected");
    }
  });
});

describe("the mapping table", () => {
  it("names, for every control with an Azure Policy reference, that definition among its built-ins, and explains every difference", () => {
    for (const control of CATALOG) {
      const mapping = AZURE_MAPPINGS[control.id];
      const reference = control.references.azurePolicy?.id;
      if (reference) expect(mapping?.policies.map((p) => p.definitionId)).toContain(reference);
      if (mapping) {
        expect(mapping.differences.length).toBeGreaterThan(0);
        expect(mapping.policies.every((p) => /^[0-9a-f-]{36}$/.test(p.definitionId) && p.name.length > 10)).toBe(true);
        expect(mapping.defender.every((d) => /^[0-9a-f-]{36}$/.test(d.key) && d.name.length > 10)).toBe(true);
      }
    }
    expect(Object.keys(AZURE_MAPPINGS).sort()).toEqual([
      "BYOS-1",
      "CMK-1",
      "CMK-2",
      "CMK-3",
      "CMK-5",
      "IAM-1",
      "IAM-2",
      "IAM-3",
      "LOG-2",
      "NET-1",
      "NET-2",
      "NET-3",
    ]);
  });
});
