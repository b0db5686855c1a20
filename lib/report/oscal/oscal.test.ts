/**
 * The OSCAL exports against NIST's published JSON schemas (OSCAL 1.1.3, vendored under
 * fixtures/ with their source): every document validates, a re-export is byte-identical, and an
 * active exception appears in the POA&M as an approved deviation with its deadline.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { buildResult } from "@/lib/posture/result";
import { account, ACCOUNT_ID, argAccount, hardened, snapshot, SUB } from "@/lib/posture/testing/fixtures";
import { exportText, renderExport } from "@/lib/report/export";
import { oscalControlId } from "./common";
import { EmptyPoamError } from "./poam";

const FIXTURES = new URL("./fixtures/nist-oscal-1.1.3/", import.meta.url);
const schema = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as object;

function validator(name: string) {
  // OSCAL's token pattern uses \p{L}: ajv must compile patterns with the u flag (its default).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema(name));
}
const validateAr = validator("oscal_assessment-results_schema.json");
const validatePoam = validator("oscal_poam_schema.json");
const validateAp = validator("oscal_assessment-plan_schema.json");

const scan = { id: "scan-1", startedAt: "2026-11-28T10:00:00Z", finishedAt: "2026-11-28T10:00:05Z", source: "snapshot" as const, tenantId: null };
const OTHER = `/subscriptions/${SUB}/resourceGroups/rg-speech/providers/Microsoft.CognitiveServices/accounts/speech-dev`;

function sampleResult(
  exceptions = [
    {
      id: "x1",
      resourceId: ACCOUNT_ID,
      controlId: "IAM-1" as const,
      owner: "alice@contoso.example",
      reason: "Legacy client until Q1",
      expiresAt: "2027-03-31",
    },
  ],
) {
  const parts = hardened();
  const snap = snapshot({
    ...parts,
    resources: [
      ...parts.resources.map((d) => (d.id === ACCOUNT_ID ? account({ ...(d.properties ?? {}), disableLocalAuth: false }) : d)),
      argAccount({}, { id: OTHER, name: "speech-dev" }),
    ],
  });
  return buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, exceptions, now: new Date("2026-11-28T10:00:05Z") });
}

const text = (format: "oscal-ar" | "oscal-poam" | "oscal-ap", result = sampleResult(), subscriptionId?: string) =>
  exportText(renderExport(format, result, { subscriptionId }));

describe("OSCAL exports", () => {
  it("writes assessment results that validate against NIST's schema", () => {
    const doc = JSON.parse(text("oscal-ar"));
    expect(validateAr(doc), JSON.stringify(validateAr.errors?.slice(0, 5))).toBe(true);
    const ar = doc["assessment-results"];
    expect(ar.metadata["oscal-version"]).toBe("1.1.3");
    expect(ar.metadata.parties[0].name).toBe("Speech Posture");
    expect(ar["import-ap"].href).toBe("speech-posture-scan-1-oscal-ap.json");
    const [result] = ar.results;
    expect(result["reviewed-controls"]["control-selections"][0]["include-controls"].map((c: { "control-id": string }) => c["control-id"])).toEqual(
      expect.arrayContaining(["sc-28.1", "sc-12", "sc-7", "ac-4"]),
    );
    // One observation per finding (2 accounts × 18 controls); findings only where a verdict was reached.
    expect(result.observations).toHaveLength(36);
    const byTitle = (title: string) => result.findings.find((f: { title: string }) => f.title.startsWith(title));
    expect(byTitle("IAM-1 Key (local) authentication is disabled: speech-prod-01").target.status.state).toBe("not-satisfied");
    expect(byTitle("BYOS-1 Customer data is kept in customer-owned storage: speech-prod-01").target).toMatchObject({
      type: "objective-id",
      "target-id": "sc-28.1_obj",
      status: { state: "satisfied" },
    });
    expect(result.findings.every((f: { target: { status: { state: string } } }) => ["satisfied", "not-satisfied"].includes(f.target.status.state))).toBe(true);
    const observed = new Set(result.observations.map((o: { uuid: string }) => o.uuid));
    for (const f of result.findings) expect(observed.has(f["related-observations"][0]["observation-uuid"])).toBe(true);
    // speech-dev has no linked storage: BYOS-3 and LOG-1 etc. are judged; its unknowns stay observations.
    const subjects = new Set(result["local-definitions"]["inventory-items"].map((i: { uuid: string }) => i.uuid));
    for (const o of result.observations) expect(subjects.has(o.subjects[0]["subject-uuid"])).toBe(true);
  });

  it("says in an observation what could not be read, and makes no finding of it", () => {
    const snap = snapshot({ resources: [account()], coverage: ["resources"] });
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now: new Date("2026-11-28T10:00:05Z") });
    const doc = JSON.parse(text("oscal-ar", result));
    expect(validateAr(doc), JSON.stringify(validateAr.errors?.slice(0, 5))).toBe(true);
    const [r] = doc["assessment-results"].results;
    const log2 = r.observations.find((o: { title: string }) => o.title.startsWith("LOG-2"));
    expect(log2.description).toMatch(/^Could not be judged: the evidence could not be read \(not_collected\)/);
    expect(r.findings.some((f: { title: string }) => f.title.startsWith("LOG-2"))).toBe(false);
  });

  it("writes a POA&M that validates, with an item per failing finding and the exception as an approved deviation", () => {
    const result = sampleResult();
    const doc = JSON.parse(text("oscal-poam", result));
    expect(validatePoam(doc), JSON.stringify(validatePoam.errors?.slice(0, 5))).toBe(true);
    const poam = doc["plan-of-action-and-milestones"];
    const failing = result.findings.filter((f) => f.status === "fail");
    expect(poam["poam-items"]).toHaveLength(failing.length);
    const iam1 = poam.risks.find((r: { title: string }) => r.title.startsWith("IAM-1 Key (local) authentication is disabled: speech-prod-01"));
    expect(iam1.status).toBe("deviation-approved");
    expect(iam1.deadline).toBe("2027-03-31T23:59:59Z");
    expect(iam1.props).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "exception-owner", value: "alice@contoso.example" }),
        expect.objectContaining({ name: "exception-reason", value: "Legacy client until Q1" }),
      ]),
    );
    const others = poam.risks.filter((r: { uuid: string }) => r.uuid !== iam1.uuid);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((r: { status: string; deadline?: string }) => r.status === "open" && r.deadline === undefined)).toBe(true);
    const items = new Set(poam["local-definitions"]["inventory-items"].map((i: { uuid: string }) => i.uuid));
    for (const o of poam.observations) expect(items.has(o.subjects[0]["subject-uuid"])).toBe(true);
  });

  it("refuses a POA&M of a scan with nothing failing, saying why", () => {
    const snap = snapshot(hardened());
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now: new Date("2026-11-28T10:00:05Z") });
    expect(() => text("oscal-poam", result)).toThrow(EmptyPoamError);
    expect(() => text("oscal-poam", result)).toThrow(/no finding fails/);
  });

  it("writes the assessment plan the results import, and it validates", () => {
    const doc = JSON.parse(text("oscal-ap"));
    expect(validateAp(doc), JSON.stringify(validateAp.errors?.slice(0, 5))).toBe(true);
    expect(doc["assessment-plan"]["local-definitions"].activities).toHaveLength(18);
    expect(doc["assessment-plan"]["assessment-subjects"][0]["include-subjects"]).toHaveLength(2);
  });

  it("re-exports byte for byte, and narrows to one subscription", () => {
    for (const format of ["oscal-ar", "oscal-poam", "oscal-ap"] as const) expect(text(format, sampleResult())).toBe(text(format, sampleResult()));
    const one = JSON.parse(text("oscal-ar", sampleResult(), SUB));
    expect(validateAr(one)).toBe(true);
    expect(one["assessment-results"].metadata.props).toEqual([expect.objectContaining({ name: "scope", value: `subscription ${SUB}` })]);
    expect(one["assessment-results"].uuid).not.toBe(JSON.parse(text("oscal-ar"))["assessment-results"].uuid);
  });

  it("spells NIST controls as OSCAL's catalogue does", () => {
    expect(["SC-28(1)", "AC-4", " sc-7(3) "].map(oscalControlId)).toEqual(["sc-28.1", "ac-4", "sc-7.3"]);
  });
});
