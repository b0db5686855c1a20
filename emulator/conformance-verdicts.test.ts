/**
 * The emulator's verdict rows against Microsoft's shapes (emulator/fixtures/azure-verdict-specs,
 * verbatim from Azure/azure-rest-api-specs): Defender assessments validate against the 2021-06-01
 * `SecurityAssessmentPropertiesResponse` schema; policy states carry only `PolicyState` properties of
 * the 2024-10-01 example; exemptions carry the required `policyAssignmentId` and `exemptionCategory`.
 */
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import type { AzureDocument } from "@/lib/posture/snapshot";
import assessmentsSpec from "./fixtures/azure-verdict-specs/security-2021-06-01_assessments.json";
import assessmentExample from "./fixtures/azure-verdict-specs/security-2021-06-01_GetAssessment_example.json";
import statesExample from "./fixtures/azure-verdict-specs/policyinsights-2024-10-01_PolicyStates_QueryResourceScope.json";
import exemptionExample from "./fixtures/azure-verdict-specs/authorization-2022-07-01-preview_getPolicyExemption.json";
import { generateTenant } from "./tenant";

type Props = Record<string, any>;
const props = (d: AzureDocument) => (d.properties ?? {}) as Props;
const tenant = generateTenant();
const ofType = (rows: AzureDocument[] | undefined, type: string) => (rows ?? []).filter((r) => r.type === type);

/**
 * The spec's definitions, with its two references to files not vendored (common/v1 `ResourceDetails`,
 * `assessmentMetadata.json`) replaced by "an object": everything else is checked as written.
 */
function assessmentSchema() {
  const text = JSON.stringify(assessmentsSpec.definitions).replace(/"\$ref":"\.[^"]*\.json#\/definitions\/[A-Za-z]+"/g, '"type":"object"');
  return { definitions: JSON.parse(text), $ref: "#/definitions/SecurityAssessmentPropertiesResponse" };
}

describe("verdict rows against Microsoft's shapes", () => {
  it("Defender assessments validate against SecurityAssessmentPropertiesResponse (2021-06-01)", () => {
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(assessmentSchema());
    const rows = ofType(tenant.securityResources, "microsoft.security/assessments");
    expect(rows.length).toBeGreaterThan(0);
    const problems = rows.filter((r) => !validate(r.properties)).map((r) => `${r.id}: ${JSON.stringify(validate.errors)}`);
    expect(problems).toEqual([]);
    // The spec requires status.code and resourceDetails; a schema that stopped checking would pass anything.
    expect(validate({ resourceDetails: {}, status: { code: "Broken" } })).toBe(false);
    expect(validate({ status: { code: "Healthy" } })).toBe(false);
    // The "off by policy" status is the example's, word for word.
    const example = assessmentExample.responses["200"].body.properties.status;
    const off = rows.find((r) => props(r).status.cause === "OffByPolicy")!;
    expect(props(off).status).toEqual(example);
    for (const r of rows) expect(r.name).toBe(r.id.split("/").at(-1));
  });

  it("policy states carry only PolicyState properties, with the example's spelling of the action and the states", () => {
    const known = new Set(Object.keys(statesExample.responses["200"].body.value[0]));
    const rows = ofType(tenant.policyResources, "microsoft.policyinsights/policystates");
    expect(rows.length).toBeGreaterThan(0);
    const unknown = new Set(rows.flatMap((r) => Object.keys(props(r)).filter((k) => !known.has(k))));
    expect([...unknown]).toEqual([]);
    for (const r of rows) {
      expect(["Compliant", "NonCompliant", "Exempt"]).toContain(props(r).complianceState);
      expect(props(r).timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(["audit", "auditifnotexists"]).toContain(props(r).policyDefinitionAction);
      expect(props(r).isCompliant).toBe(props(r).complianceState === "Compliant");
      expect(props(r).resourceId).toBe(props(r).resourceId.toLowerCase());
    }
  });

  it("policy exemptions carry the required properties, and no property the example does not know besides expiresOn and assignmentScopeValidation", () => {
    const known = new Set([...Object.keys(exemptionExample.responses["200"].body.properties), "expiresOn", "assignmentScopeValidation"]);
    const rows = ofType(tenant.policyResources, "microsoft.authorization/policyexemptions");
    expect(rows.length).toBe(3);
    for (const r of rows) {
      expect(Object.keys(props(r)).filter((k) => !known.has(k))).toEqual([]);
      expect(props(r).policyAssignmentId).toMatch(/\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+$/);
      expect(["Waiver", "Mitigated"]).toContain(props(r).exemptionCategory);
      expect(r.id).toMatch(/\/providers\/Microsoft\.Authorization\/policyExemptions\/[^/]+$/);
    }
  });
});
