import { describe, expect, it } from "vitest";
import { scoreFindings, summarizeScores } from "./score";
import type { Finding, Severity, Status } from "./types";
import type { UnknownReason } from "./snapshot";

function finding(status: Status, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return {
    controlId: "IAM-1",
    resourceId: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a",
    subscriptionId: "s1",
    severity,
    status,
    reason: status === "unknown" ? "not_collected" : null,
    muted: false,
    message: "",
    azure: null,
    agreement: "not_collected",
    evidence: [],
    ...extra,
  };
}

describe("scores", () => {
  it("weighs high 3, medium 2, low 1 and rounds down", () => {
    // pass: high 3 + low 1 = 4; judged: 4 + fail medium 2 = 6 → 66.67 → 66
    const tally = scoreFindings([finding("pass", "high"), finding("pass", "low"), finding("fail", "medium")]);
    expect(tally.score).toBe(66);
    expect(tally.counts).toEqual({ pass: 2, fail: 1, unknown: 0, not_applicable: 0, muted: 0 });
  });

  it("leaves unknown and not_applicable out of the score and reports unknowns by reason", () => {
    const reasons: UnknownReason[] = ["not_collected", "not_visible", "access_denied", "not_visible"];
    const tally = scoreFindings([
      finding("fail", "low"),
      finding("pass", "low"),
      finding("not_applicable", "high"),
      ...reasons.map((reason) => finding("unknown", "high", { reason })),
    ]);
    expect(tally.score).toBe(50);
    expect(tally.coverage).toEqual({ not_collected: 1, not_visible: 2, access_denied: 1, network_blocked: 0, collection_error: 0 });
  });

  it("is null, not 100, when nothing passed or failed", () => {
    expect(scoreFindings([]).score).toBeNull();
    expect(scoreFindings([finding("unknown", "high"), finding("not_applicable", "low")]).score).toBeNull();
  });

  it("is 0 when everything judged failed and 100 when everything passed", () => {
    expect(scoreFindings([finding("fail", "high")]).score).toBe(0);
    expect(scoreFindings([finding("pass", "high"), finding("not_applicable", "low")]).score).toBe(100);
  });

  it("counts muted findings without changing their status or the score", () => {
    const plain = [finding("pass", "high"), finding("fail", "high")];
    const muted = [finding("pass", "high"), finding("fail", "high", { muted: true })];
    expect(scoreFindings(muted).score).toBe(scoreFindings(plain).score);
    expect(scoreFindings(muted).counts).toEqual({ pass: 1, fail: 1, unknown: 0, not_applicable: 0, muted: 1 });
  });

  it("summarises per resource and per subscription, keyed case-insensitively", () => {
    const a = "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/A";
    const b = "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/b";
    const summary = summarizeScores([
      finding("pass", "high", { resourceId: a, subscriptionId: "S1" }),
      finding("fail", "low", { resourceId: a.toLowerCase(), subscriptionId: "s1" }),
      finding("fail", "high", { resourceId: b, subscriptionId: "s2" }),
    ]);
    expect(summary.byResource.get(a.toLowerCase())?.score).toBe(75);
    expect(summary.bySubscription.get("s1")?.counts.pass).toBe(1);
    expect(summary.bySubscription.get("s1")?.counts.fail).toBe(1);
    expect(summary.bySubscription.get("s2")?.score).toBe(0);
    expect(summary.tenant.score).toBe(42); // 3 / 7
  });
});
