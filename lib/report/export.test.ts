import { beforeAll, describe, expect, it } from "vitest";
import { scoreFindings } from "@/lib/posture/score";
import { resultSha256 } from "./canonical";
import { compareResults } from "./changes";
import { exportFilename, exportText, renderExport, type ExportFormat } from "./export";
import { idKey } from "@/lib/posture/ids";
import { ReportScopeError, subscriptionResult } from "./scope";
import { tenantFixture, type Fixture } from "./testing/fixture";
import { createHash } from "node:crypto";

let fx: Fixture;
let subscriptionId: string;

beforeAll(() => {
  fx = tenantFixture({ accounts: 20, subscriptions: 3 });
  subscriptionId = fx.result.subscriptions.find((s) => s.resources > 0)!.subscriptionId;
});

describe("renderExport", () => {
  it("serves the canonical JSON, whose SHA-256 is resultSha256 of the result", () => {
    const file = renderExport("json", fx.result);
    expect(file.contentType).toMatch(/^application\/json/);
    expect(file.filename).toBe("speech-posture-scan-0001.json");
    const body = exportText(file);
    expect(createHash("sha256").update(body, "utf8").digest("hex")).toBe(resultSha256(fx.result));
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(fx.result)));
    expect(body).not.toMatch(/\n/);
  });

  it("writes CSV and OCSF with their content types", () => {
    const csv = renderExport("csv", fx.result);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.filename.endsWith(".csv")).toBe(true);
    expect(exportText(csv).trimEnd().split(/\r\n/)).toHaveLength(fx.result.findings.length + 1);
    const ocsf = renderExport("ocsf", fx.result);
    expect(ocsf.contentType).toMatch(/ndjson/);
    expect(exportText(ocsf).trimEnd().split("\n")).toHaveLength(fx.result.findings.length);
  });

  it("narrows every format to one subscription the same way", () => {
    const key = idKey(subscriptionId);
    const own = fx.result.findings.filter((f) => idKey(f.subscriptionId) === key);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(fx.result.findings.length);

    const json = JSON.parse(exportText(renderExport("json", fx.result, { subscriptionId: subscriptionId.toUpperCase() })));
    expect(json.findings).toHaveLength(own.length);
    expect(json.findings.every((f: { subscriptionId: string }) => idKey(f.subscriptionId) === key)).toBe(true);
    expect(json.resources.every((r: { subscriptionId: string }) => idKey(r.subscriptionId) === key)).toBe(true);
    expect(json.subscriptions).toHaveLength(1);
    const tally = scoreFindings(own);
    expect(json.summary).toEqual({ score: tally.score, resources: json.resources.length, counts: tally.counts, coverage: tally.coverage });
    expect(json.summary.resources).toBe(new Set(own.map((f) => idKey(f.resourceId))).size);

    const csv = renderExport("csv", fx.result, { subscriptionId });
    expect(exportText(csv).trimEnd().split(/\r\n/)).toHaveLength(own.length + 1);
    expect(csv.filename).toBe(`${exportFilename("scan-0001", subscriptionId)}.csv`);
    const ocsf = exportText(renderExport("ocsf", fx.result, { subscriptionId }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(ocsf).toHaveLength(own.length);
    expect(ocsf.every((l) => idKey(l.cloud.account.uid) === key)).toBe(true);
  });

  it.each<[ExportFormat, number]>([
    ["json", 9], // each top-level member apart
    ["csv", 360 + 1], // the header, then a line per finding
    ["ocsf", 360],
  ])("produces %s in pieces (at least %i) that make up the whole text", (format, atLeast) => {
    expect(fx.result.findings).toHaveLength(360);
    const pieces = [...renderExport(format, fx.result).chunks];
    expect(pieces.length).toBeGreaterThanOrEqual(atLeast);
    expect(pieces.join("")).toBe(exportText(renderExport(format, fx.result)));
  });

  it("refuses a subscription the scan does not know", () => {
    expect(() => renderExport("json", fx.result, { subscriptionId: "00000000-0000-0000-0000-000000000000" })).toThrow(ReportScopeError);
  });

  it("keeps file names to safe characters", () => {
    expect(exportFilename('../../etc/passwd"\r\n', "a b")).toBe("speech-posture-.._.._etc_passwd_-a_b");
  });
});

describe("subscriptionResult", () => {
  it("keeps only the subscription's errors and exception rules", () => {
    const other = fx.result.subscriptions.find((s) => idKey(s.subscriptionId) !== idKey(subscriptionId))!.subscriptionId;
    const result = {
      ...fx.result,
      errors: [
        { scope: `/subscriptions/${subscriptionId}`, source: "diagnosticSettings", reason: "access_denied" },
        { scope: `/subscriptions/${other}/resourceGroups/x`, source: "speechEndpoints", reason: "network_blocked" },
      ],
      exceptions: {
        active: [
          { id: "a", subscriptionId, owner: "o", reason: "r", expiresAt: "2027-01-01" },
          { id: "b", subscriptionId: other, owner: "o", reason: "r", expiresAt: "2027-01-01" },
          { id: "c", controlId: "NET-4", owner: "o", reason: "r", expiresAt: "2027-01-01" },
        ],
        expired: [{ id: "d", resourceId: `/subscriptions/${other}/resourceGroups/g/providers/x/y/z`, owner: "o", reason: "r", expiresAt: "2020-01-01" }],
      },
    };
    const scoped = subscriptionResult(result, subscriptionId);
    expect(scoped.errors.map((e) => e.source)).toEqual(["diagnosticSettings"]);
    expect(scoped.exceptions?.active.map((x) => x.id)).toEqual(["a", "c"]);
    expect(scoped.exceptions?.expired).toEqual([]);
  });
});

describe("compareResults", () => {
  it("lists failures that are new and failures that are resolved", () => {
    const current = fx.result;
    const fail = current.findings.find((f) => f.status === "fail")!;
    const pass = current.findings.find((f) => f.status === "pass")!;
    const previous = {
      ...current,
      scan: { ...current.scan, id: "scan-0000" },
      findings: current.findings.map((f) => (f === fail ? { ...f, status: "pass" as const } : f === pass ? { ...f, status: "fail" as const } : f)),
    };
    const changes = compareResults(current, previous);
    expect(changes.previousScanId).toBe("scan-0000");
    expect(changes.newFailures.map((c) => [c.controlId, c.resourceId, c.previousStatus])).toEqual([[fail.controlId, fail.resourceId, "pass"]]);
    expect(changes.resolvedFailures.map((c) => [c.controlId, c.resourceId, c.status])).toEqual([[pass.controlId, pass.resourceId, "pass"]]);
  });

  it("marks changes of controls whose rules changed when the scans used different catalogue versions", () => {
    const current = { ...fx.result, scan: { ...fx.result.scan, catalogVersion: 2 } };
    const flip = (controlId: string) => current.findings.find((f) => f.controlId === controlId && f.status === "fail")!;
    const [net, iam] = [flip("NET-1"), flip("IAM-1")];
    const older = (catalogVersion: number | undefined) => ({
      ...current,
      scan: { ...current.scan, id: "scan-0000", catalogVersion },
      findings: current.findings.map((f) => (f === net || f === iam ? { ...f, status: "pass" as const } : f)),
    });
    const marks = (c: ReturnType<typeof compareResults>) => c.newFailures.map((x) => [x.controlId, x.ruleChange]);
    // A result without a catalogue version was judged with version 1.
    for (const v1 of [older(1), older(undefined)]) {
      const changes = compareResults(current, v1);
      expect(changes.catalogVersions).toEqual({ from: 1, to: 2 });
      expect(changes.ruleChangedControls).toContain("NET-1");
      expect(marks(changes)).toEqual([
        ["NET-1", true],
        ["IAM-1", false],
      ]);
    }
    const same = compareResults(current, older(2));
    expect(same.ruleChangedControls).toEqual([]);
    expect(marks(same)).toEqual([
      ["NET-1", false],
      ["IAM-1", false],
    ]);
  });

  it("reports a failing resource that disappeared as gone, not resolved, and leaves it out of the scores compared", () => {
    const fail = fx.result.findings.find((f) => f.status === "fail")!;
    const current = { ...fx.result, findings: fx.result.findings.filter((f) => f.resourceId !== fail.resourceId) };
    const changes = compareResults(current, fx.result);
    expect(changes.newFailures).toEqual([]);
    expect(changes.resolvedFailures).toEqual([]);
    const gone = fx.result.findings.filter((f) => f.resourceId === fail.resourceId && f.status === "fail");
    expect(changes.goneFailures.map((c) => [c.resourceId, c.controlId, c.status])).toEqual(gone.map((f) => [f.resourceId, f.controlId, null]));
    // Nothing was fixed: over the resources both hold, the score did not move.
    expect(changes.scoreBefore).toBe(scoreFindings(current.findings).score);
    expect(changes.scoreAfter).toBe(changes.scoreBefore);
  });
});
