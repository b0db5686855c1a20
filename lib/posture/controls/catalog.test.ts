import { describe, expect, it } from "vitest";
import { CATALOG, CATALOG_VERSION, controlById, RULE_CHANGES, rulesChangedBetween } from "./index";

const POLICIES: Record<string, string> = {
  "BYOS-1": "46aa9b05-0e60-4eae-a88b-1e9d374fa515",
  "CMK-1": "67121cc7-ff39-4ab8-b7e3-95b84dab487d",
  "NET-1": "037eea7a-bd0a-46c5-9a66-03aea78705d3",
  "NET-2": "d6759c02-b87f-42b7-892e-71b3f471d782",
  "IAM-1": "71ef260a-8f18-47b7-abcb-62d0673d94dc",
  "IAM-3": "fe3fd216-4f83-4fc1-8984-2bbec80a3418",
  "LOG-2": "1b4d1c4e-934c-4703-944c-27c82c06bebb",
};

describe("rule changes between catalogue versions", () => {
  it.each([
    [1, 2, ["BYOS-2", "BYOS-3", "CMK-3", "NET-1", "NET-3", "LOG-1", "LOG-2", "LBX-1"]],
    [2, 1, ["BYOS-2", "BYOS-3", "CMK-3", "NET-1", "NET-3", "LOG-1", "LOG-2", "LBX-1"]],
    [2, 2, []],
    [1, 1, []],
    [2, 3, []],
  ])("from version %s to %s: %j", (a, b, ids) => {
    expect([...rulesChangedBetween(a, b)]).toEqual(ids);
  });

  it("lists only controls of the catalogue, and every version up to this one", () => {
    const ids = new Set(CATALOG.map((c) => c.id));
    for (const list of Object.values(RULE_CHANGES)) for (const id of list) expect(ids.has(id)).toBe(true);
    for (let v = 2; v <= CATALOG_VERSION; v++) expect(RULE_CHANGES[v]?.length).toBeGreaterThan(0);
  });
});

describe("the catalogue", () => {
  it("is version 2 with the 18 controls of CONTROLS.md in order, with their severities", () => {
    expect(CATALOG_VERSION).toBe(2);
    expect(CATALOG.map((c) => `${c.id}/${c.severity}`)).toEqual([
      "BYOS-1/high",
      "BYOS-2/high",
      "BYOS-3/medium",
      "CMK-1/medium",
      "CMK-2/high",
      "CMK-3/high",
      "CMK-4/low",
      "CMK-5/low",
      "NET-1/high",
      "NET-2/medium",
      "NET-3/high",
      "NET-4/low",
      "IAM-1/medium",
      "IAM-2/high",
      "IAM-3/medium",
      "LOG-1/high",
      "LOG-2/medium",
      "LBX-1/high",
    ]);
  });

  it("carries the Azure Policy definition IDs of CONTROLS.md and nothing else", () => {
    const withPolicy = Object.fromEntries(CATALOG.filter((c) => c.references.azurePolicy).map((c) => [c.id, c.references.azurePolicy!.id]));
    expect(withPolicy).toEqual(POLICIES);
  });

  it("maps benchmarks as CONTROLS.md says", () => {
    expect(controlById("CMK-1")?.references.mcsb).toEqual(["DP-5"]);
    expect(controlById("NET-1")?.references.nist).toEqual(["SC-7", "AC-4"]);
    expect(controlById("IAM-1")?.references).toMatchObject({ mcsb: ["IM-1"], nist: ["AC-2", "IA-2"] });
    expect(controlById("IAM-3")?.references.mcsb).toEqual(["IM-3"]);
    expect(controlById("LOG-2")?.references.mcsb).toEqual(["LT-3"]);
    expect(controlById("BYOS-1")?.references.nist).toEqual(["SC-28(1)"]);
  });

  it("gives every control a rationale and remediation in all three forms", () => {
    for (const c of CATALOG) {
      expect(c.rationale.length, c.id).toBeGreaterThan(40);
      expect(c.remediation.portal.length, c.id).toBeGreaterThan(0);
      expect(c.remediation.cli.length, c.id).toBeGreaterThan(10);
      expect(c.remediation.bicep.length, c.id).toBeGreaterThan(10);
    }
  });

  it("finds controls by ID case-insensitively", () => {
    expect(controlById(" byos-2 ")?.id).toBe("BYOS-2");
    expect(controlById("BYOS-9")).toBeUndefined();
  });
});
