import { describe, expect, it } from "vitest";
import { evaluateExpiries, evaluateScan, type FindingChange, type ScanChange, type ScanFacts } from "./evaluate";
import { AlertInputError, parseAlertRule, type AlertCondition, type AlertRule } from "./rules";

const rule = (id: string, condition: AlertCondition, enabled = true): AlertRule => ({ id, name: `rule ${id}`, condition, destinationIds: ["d1"], enabled });
const facts = (id: string, over: Partial<ScanFacts> = {}): ScanFacts => ({
  id,
  status: "succeeded",
  error: null,
  scope: "emulator, all subscriptions",
  score: 80,
  subscriptions: [
    { id: "SUB-A", name: "Alpha", score: 90 },
    { id: "sub-b", name: null, score: 70 },
  ],
  ...over,
});
const failure = (over: Partial<FindingChange> = {}): FindingChange => ({
  resourceId: "/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/speech-1",
  resourceName: "speech-1",
  subscriptionId: "sub-a",
  controlId: "SP-01",
  severity: "high",
  muted: false,
  ...over,
});
const change = (over: Partial<ScanChange> = {}): ScanChange => ({
  current: facts("s2"),
  previous: facts("s1"),
  newFailures: [],
  newUnknowns: [],
  subscriptionsNoLongerRead: [],
  ...over,
});

describe("new failure rules", () => {
  it("raise one event per scan for unmuted failures at or above the severity, with links to the findings and resources", () => {
    const events = evaluateScan(
      [rule("r1", { kind: "new_failure", minSeverity: "medium" })],
      change({
        newFailures: [
          failure({ severity: "low" }),
          failure({ severity: "medium", controlId: "SP-02" }),
          failure({ controlId: "SP-03" }),
          failure({ muted: true }),
        ],
      }),
    );
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e.key).toBe("r1:new_failure:s2");
    expect(e.level).toBe("high");
    expect(e.itemCount).toBe(2);
    expect(e.items.map((i) => i.text)).toEqual(["HIGH SP-03 on speech-1", "MEDIUM SP-02 on speech-1"]);
    expect(e.link.path).toBe("/findings?scan=s2&status=fail&severity=high%2Cmedium&muted=false");
    expect(e.items[0].link.path).toBe("/resources/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/speech-1?scan=s2");
    expect(Object.fromEntries(e.facts)).toMatchObject({ "New high": "1", "New medium": "1" });
  });

  it("raise nothing for muted or lower failures, for a first scan, or when the rule is disabled", () => {
    const r = rule("r1", { kind: "new_failure", minSeverity: "high" });
    expect(evaluateScan([r], change({ newFailures: [failure({ muted: true }), failure({ severity: "medium" })] }))).toEqual([]);
    expect(evaluateScan([r], change({ previous: undefined, newFailures: [failure()] }))).toEqual([]);
    expect(evaluateScan([{ ...r, enabled: false }], change({ newFailures: [failure()] }))).toEqual([]);
  });
});

describe("score drop rules", () => {
  it("fire for the tenant when the score falls by at least N points, and not for less", () => {
    const r = rule("r2", { kind: "score_drop", points: 10, scope: "tenant" });
    expect(evaluateScan([r], change({ current: facts("s2", { score: 71 }) }))).toEqual([]);
    const [e] = evaluateScan([r], change({ current: facts("s2", { score: 70 }) }));
    expect(e.key).toBe("r2:score_drop:s2:tenant");
    expect(e.title).toBe("Tenant score dropped from 80 to 70");
    expect(e.link.path).toBe("/scans?from=s1&to=s2#diff");
  });

  it("fire per subscription, matching IDs without regard to case, and skip subscriptions new or unscored", () => {
    const r = rule("r3", { kind: "score_drop", points: 5, scope: "subscription" });
    const current = facts("s2", {
      subscriptions: [
        { id: "sub-a", name: "Alpha", score: 80 },
        { id: "sub-b", name: null, score: null },
        { id: "sub-c", name: null, score: 0 },
      ],
    });
    const events = evaluateScan([r], change({ current }));
    expect(events.map((e) => e.key)).toEqual(["r3:score_drop:s2:subscription:sub-a"]);
    expect(events[0].link.path).toBe("/subscriptions/sub-a?scan=s2");
  });
});

describe("scan degraded rules", () => {
  const r = rule("r4", { kind: "scan_degraded" });
  it("fire for a failed scan with its error, even without a previous scan", () => {
    const [e] = evaluateScan([r], change({ previous: undefined, current: facts("s2", { status: "failed", error: "Resource Graph said 403" }) }));
    expect(e.key).toBe("r4:scan_failed:s2");
    expect(e.summary).toContain("Resource Graph said 403");
  });

  it("fire when findings turned unknown or subscriptions were no longer read, and stay quiet otherwise", () => {
    expect(evaluateScan([r], change())).toEqual([]);
    expect(evaluateScan([r], change({ current: facts("s2", { status: "cancelled" }) }))).toEqual([]);
    const [e] = evaluateScan([r], change({ newUnknowns: [failure()], subscriptionsNoLongerRead: ["sub-b"] }));
    expect(e.key).toBe("r4:coverage_drop:s2");
    expect(e.summary).toBe("1 finding that scan s1 could read is unknown now; 1 subscription read before could not be read (emulator, all subscriptions).");
    expect(e.link.path).toBe("/findings?scan=s2&status=unknown");
  });
});

describe("expiry rules", () => {
  const now = new Date("2026-12-01T08:00:00Z");
  const exception = (id: string, expiresAt: string) => ({
    id,
    owner: "ana",
    reason: "migration",
    expiresAt,
    scope: "control SP-01",
    expiresAtMs: Date.parse(expiresAt),
  });
  it("announce exceptions expiring within the window, once per exception and expiry, and not expired ones", () => {
    const r = rule("r5", { kind: "exception_expiring", withinDays: 7 });
    const events = evaluateExpiries(
      [r, rule("r6", { kind: "scan_degraded" })],
      [exception("e1", "2026-12-05T00:00:00Z"), exception("e2", "2026-12-09T00:00:00Z"), exception("e3", "2026-11-30T00:00:00Z")],
      now,
    );
    expect(events.map((e) => [e.key, e.title])).toEqual([["r5:exception_expiring:e1:2026-12-05T00:00:00Z", "Exception e1 expires within 4 days"]]);
    expect(events[0].link.path).toBe("/exceptions");
  });
});

describe("parsing a rule", () => {
  const known = new Set(["d1", "d2"]);
  it("accepts each kind with its own settings", () => {
    expect(parseAlertRule({ name: " High ", kind: "new_failure", minSeverity: "high", destinationIds: ["d1", "d1"] }, known)).toEqual({
      name: "High",
      condition: { kind: "new_failure", minSeverity: "high" },
      destinationIds: ["d1"],
      enabled: true,
    });
    expect(parseAlertRule({ name: "Drop", kind: "score_drop", points: "10", scope: "tenant", destinationIds: ["d2"] }, known).condition).toEqual({
      kind: "score_drop",
      points: 10,
      scope: "tenant",
    });
  });

  it("names the field at fault", () => {
    const bad = (body: unknown) => {
      try {
        parseAlertRule(body, known);
      } catch (error) {
        return error instanceof AlertInputError ? error.message : String(error);
      }
      return "accepted";
    };
    expect(bad({ name: "x", kind: "louder", destinationIds: ["d1"] })).toMatch(/^kind: expected one of/);
    expect(bad({ name: "x", kind: "score_drop", points: 0, scope: "tenant", destinationIds: ["d1"] })).toBe("points: expected a whole number from 1 to 100");
    expect(bad({ name: "x", kind: "scan_degraded", withinDays: 3, destinationIds: ["d1"] })).toBe("withinDays: not a setting of a scan_degraded rule");
    expect(bad({ name: "x", kind: "scan_degraded", destinationIds: ["nope"] })).toBe('destinationIds: no destination "nope"');
    expect(bad({ name: "", kind: "scan_degraded", destinationIds: ["d1"] })).toMatch(/^name:/);
    expect(bad({ name: "x", kind: "scan_degraded", destinationIds: ["d1"], extra: 1 })).toBe("extra: unknown field");
  });
});
