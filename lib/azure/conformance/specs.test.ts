/** The spec checks themselves can fail: each refuses what Microsoft's specifications refuse. */
import { describe, expect, it } from "vitest";
import { matchRequest, operation, readExample, responseProblems } from "./specs";

const SUB = "00000000-1111-2222-3333-444444444444";
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1`;
const req = (method: string, pathAndQuery: string, body?: unknown) => {
  const url = new URL(`https://h${pathAndQuery}`);
  return { method, path: url.pathname, query: url.searchParams, body: body === undefined ? undefined : JSON.stringify(body) };
};

describe("request matching", () => {
  it("matches each operation the collector uses, with no problem", () => {
    const cases: [string, string, unknown, string][] = [
      [
        "POST",
        "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
        { query: "resources", subscriptions: [SUB], options: { $top: 1000, resultFormat: "objectArray", authorizationScopeFilter: "AtScopeAboveAndBelow" } },
        "Resources",
      ],
      ["GET", `${ACCOUNT}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, undefined, "DiagnosticSettings_List"],
      ["GET", "/speechtotext/endpoints?api-version=2025-10-15&skip=100&top=100", undefined, "Endpoints_List"],
      ["GET", `${ACCOUNT}?api-version=2025-12-01`, undefined, "Accounts_Get"],
      [
        "GET",
        `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st01?api-version=2025-08-01`,
        undefined,
        "StorageAccounts_GetProperties",
      ],
    ];
    for (const [method, path, body, id] of cases) {
      const m = matchRequest(req(method, path, body));
      expect(m?.operation.operationId, path).toBe(id);
      expect(m?.problems, path).toEqual([]);
    }
  });

  it("refuses a '//' path, a retired Speech path, a wrong api-version and an undeclared query parameter", () => {
    expect(matchRequest(req("GET", `/${ACCOUNT}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`))).toBeUndefined();
    expect(matchRequest(req("GET", "/speechtotext/v3.2/endpoints?top=100"))).toBeUndefined();
    expect(matchRequest(req("GET", `${ACCOUNT}?api-version=2025-09-01`))?.problems).toEqual(["api-version 2025-09-01 is not 2025-12-01"]);
    expect(matchRequest(req("GET", `${ACCOUNT}?api-version=2025-12-01&$expand=x`))?.problems).toEqual(["query parameter '$expand' is not declared"]);
  });

  it("checks path parameters and the request body against the spec", () => {
    const upper = matchRequest(req("GET", `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/ST01?api-version=2025-08-01`));
    expect(upper?.problems).toEqual(["accountName 'ST01' does not match ^[a-z0-9]+$"]);
    const badFilter = matchRequest(
      req("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", {
        query: "resources",
        options: { authorizationScopeFilter: "Everything" },
      }),
    );
    expect(badFilter?.problems.join()).toMatch(/authorizationScopeFilter must be equal to one of the allowed values/);
    const noQuery = matchRequest(req("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", { subscriptions: [SUB] }));
    expect(noQuery?.problems.join()).toMatch(/must have required property 'query'/);
  });
});

describe("response validation", () => {
  it("accepts Microsoft's own example responses", () => {
    for (const id of ["Resources", "DiagnosticSettings_List", "Endpoints_List", "Accounts_Get", "Vaults_Get", "NetworkSecurityPerimeterAssociations_List"]) {
      const op = operation(id);
      expect(op.examples.length, id).toBeGreaterThan(0);
      for (const file of op.examples) {
        const { responses } = readExample(op, file);
        expect(responseProblems(op, 200, JSON.stringify(responses["200"].body)), `${id} ${file}`).toEqual([]);
      }
    }
  });

  it("reports a response that breaks the schema, and a required property sent as null", () => {
    expect(responseProblems(operation("Endpoints_List"), 200, JSON.stringify({ values: "none" }))?.join()).toMatch(/\/values must be array/);
    expect(responseProblems(operation("Resources"), 200, JSON.stringify({ totalRecords: 1, count: 1, resultTruncated: "maybe", data: [] }))?.join()).toMatch(
      /resultTruncated must be equal to one of the allowed values/,
    );
    expect(responseProblems(operation("Resources"), 200, JSON.stringify({ totalRecords: 1, count: null, resultTruncated: "false", data: [] }))?.join()).toMatch(
      /must have required property 'count'/,
    );
    expect(responseProblems(operation("Accounts_Get"), 403, JSON.stringify({ error: { code: 7 } }))?.join()).toMatch(/code must be string/);
  });
});
