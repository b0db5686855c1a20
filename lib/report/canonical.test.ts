import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalResultJson, resultSha256, resultSha256Pair, writeCanonical } from "./canonical";
import { tenantFixture } from "./testing/fixture";

/** An independent, obviously-correct canonical writer to compare against. */
function reference(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  const v = value as { toJSON?: () => unknown };
  if (typeof v.toJSON === "function") return reference(v.toJSON());
  if (Array.isArray(value)) return `[${value.map((x) => reference(x) ?? "null").join(",")}]`;
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys
    .map((k) => [k, reference(rec[k])] as const)
    .filter(([, t]) => t !== undefined)
    .map(([k, t]) => `${JSON.stringify(k)}:${t}`)
    .join(",")}}`;
}

/** A deterministic pseudo-random JSON-ish value. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const build = (d: number): unknown => {
    const r = next();
    if (d > 3 || r < 0.3) {
      const p = next();
      if (p < 0.2) return null;
      if (p < 0.4) return Math.round(next() * 1e6) / 100;
      if (p < 0.5) return next() < 0.5;
      if (p < 0.55) return undefined;
      const words = ["a", "Zeta", "10", "2", "ключ", "中文", 'quote"s', "back\\slash", "<script>", "\u202e", "emoji 🎙️", ""];
      return words[Math.floor(next() * words.length)];
    }
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => build(d + 1));
    const keys = ["b", "a", "B", "10", "9", "_", "ä", "z", "resourceId", "controlId", "évidence", "00", "1"];
    const obj: Record<string, unknown> = {};
    const n = Math.floor(next() * 6);
    for (let i = 0; i < n; i++) obj[keys[Math.floor(next() * keys.length)]] = build(d + 1);
    return obj;
  };
  return build(depth);
}

describe("canonicalResultJson", () => {
  it("does not depend on the order keys were inserted in, at any depth", () => {
    const a = {
      scan: { id: "s1", source: "live" },
      findings: [{ status: "fail", controlId: "CMK-1", evidence: [{ path: "p", actual: null, expected: true }] }],
    };
    const b = {
      findings: [{ evidence: [{ expected: true, actual: null, path: "p" }], controlId: "CMK-1", status: "fail" }],
      scan: { source: "live", id: "s1" },
    };
    expect(canonicalResultJson(a)).toBe(canonicalResultJson(b));
    expect(canonicalResultJson(a)).toBe(
      '{"findings":[{"controlId":"CMK-1","evidence":[{"actual":null,"expected":true,"path":"p"}],"status":"fail"}],"scan":{"id":"s1","source":"live"}}',
    );
  });

  it("keeps array order, drops undefined members and has no insignificant white space", () => {
    expect(canonicalResultJson({ list: [3, 1, 2], gone: undefined, text: "a b", n: 1.5 })).toBe('{"list":[3,1,2],"n":1.5,"text":"a b"}');
    expect(canonicalResultJson([undefined, () => 1])).toBe("[null,null]");
  });

  it("sorts array-index-like keys as strings, not numerically", () => {
    expect(canonicalResultJson({ "10": 1, "9": 2, a: 3, "1": 4 })).toBe('{"1":4,"10":1,"9":2,"a":3}');
  });

  it("matches an independent implementation on varied values", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = { root: randomValue(seed), other: randomValue(seed * 7919) };
      expect(canonicalResultJson(value), `seed ${seed}`).toBe(reference(value));
    }
  });

  it("streams large arrays in batches without changing the text", () => {
    const findings = Array.from({ length: 4500 }, (_, i) => ({ z: i, a: `r${i}`, nested: { y: [i, { b: 1, a: 2 }], x: null } }));
    const value = { findings, summary: { score: 50 }, errors: [] };
    const chunks: string[] = [];
    writeCanonical(value, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join("")).toBe(reference(value));
    expect(canonicalResultJson(value)).toBe(reference(value));
  });

  it("writes findings (copied in sorted order when they have a finding's shape) exactly as the general path does", () => {
    const { result } = tenantFixture({ accounts: 150, subscriptions: 3 });
    expect(result.findings.length).toBeGreaterThan(2000); // long enough to be written in runs
    expect(result.findings.some((f) => f.evidence.some((e) => Array.isArray(e.actual)))).toBe(true);
    expect(canonicalResultJson(result)).toBe(reference(result));
    const policy = {
      kind: "policy",
      definitionId: "/d",
      assignmentId: null,
      resourceId: "/r",
      complianceState: "Compliant",
      timestamp: "2026-11-30T00:00:00Z",
    };
    const defender = { kind: "defender", assessmentKey: "k", resourceId: "", status: "Healthy" };
    const varied = result.findings.map((f, i) => ({
      ...f,
      ...(i % 3 === 0 ? { muted: true, exception: { id: `x${i}`, owner: "o", reason: "r", expiresAt: "2027-01-01" } } : {}),
      azure: i % 2 ? { state: "compliant", sources: [policy, defender] } : f.azure,
    }));
    expect(canonicalResultJson({ findings: varied })).toBe(reference({ findings: varied }));
  });

  it("writes findings of odd shapes, mixed with ordinary ones, as the general path does", () => {
    const base = {
      controlId: "CMK-1",
      resourceId: "/r",
      subscriptionId: "s",
      severity: "high",
      status: "fail",
      reason: null,
      muted: false,
      message: "m",
      evidence: [{ path: "p", actual: ["a"], expected: 1 }],
      azure: { state: "none", sources: [] },
      agreement: "agrees",
    };
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    class Box {
      constructor(
        readonly z = 1,
        readonly a = 2,
      ) {}
    }
    const withGetter = {
      ...base,
      get message() {
        return "from a getter";
      },
    };
    const odd: unknown[] = [
      { ...base, extra: { b: 1, a: 2 } },
      { ...base, evidence: [{ actual: { "10": 1, "9": 2, b: 3 }, path: "p", expected: null }] },
      { ...base, evidence: [{ path: "p", actual: JSON.parse('{"__proto__": {"x": 1}, "a": 1}'), expected: 1 }] },
      { ...base, evidence: [{ path: "p", actual: new Date("2026-01-02T03:04:05Z"), expected: new Box() }] },
      { ...base, evidence: [{ path: "p", actual: nullProto, expected: { toJSON: () => ({ y: 1, x: 2 }) } }] },
      { ...base, evidence: [{ path: "p", actual: [undefined, () => 1, NaN, -0, Infinity, 1e21], expected: "é" }] },
      {
        ...base,
        evidence: [
          { path: { z: 1, a: 2 }, actual: 1, expected: 2, note: "x" },
          { expected: 2, actual: 1, path: "p" },
        ],
      },
      {
        ...base,
        azure: {
          sources: [
            { timestamp: "t", kind: "policy", definitionId: "d" },
            { status: null, kind: "defender" },
          ],
          state: "compliant",
        },
      },
      { ...base, azure: { state: "none", sources: [], extra: 1 } },
      { ...base, exception: { reason: "r", id: "x", owner: "o", expiresAt: "e" }, muted: true },
      { ...base, reason: undefined, agreement: () => 1, message: Symbol("s") },
      { ...base, status: { toJSON: () => "fail" } },
      Object.assign(Object.create({ inherited: 1 }) as object, base),
      withGetter,
      [base],
      "text",
      null,
      7,
    ];
    const findings = Array.from({ length: 2600 }, (_, i) =>
      i % 7 === 3
        ? odd[((i / 7) % odd.length) | 0]
        : { ...base, resourceId: `/r/${i}`, evidence: [{ path: "p", actual: randomValue(i), expected: randomValue(i * 31) }] },
    );
    for (const item of odd) expect(findings).toContain(item);
    expect(canonicalResultJson({ findings })).toBe(reference({ findings }));
  });

  it("rejects a cycle inside a finding-shaped element", () => {
    const actual: Record<string, unknown> = { x: 1 };
    actual.self = actual;
    const findings = Array.from({ length: 2100 }, () => ({ controlId: "C", evidence: [{ path: "p", actual, expected: 1 }] }));
    expect(() => canonicalResultJson({ findings })).toThrow(/cycle/);
  });

  it("serializes dates through toJSON", () => {
    expect(canonicalResultJson({ at: new Date("2026-11-28T10:00:00Z") })).toBe('{"at":"2026-11-28T10:00:00.000Z"}');
  });

  it("rejects cycles", () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(() => canonicalResultJson(a)).toThrow(/cycle/);
  });
});

describe("resultSha256", () => {
  it("is the hex SHA-256 of the UTF-8 canonical text", () => {
    const value = { name: "Распознавание 中文 🎙️", b: [1, 2], a: { d: 1, c: 2 } };
    const expected = createHash("sha256")
      .update(Buffer.from(canonicalResultJson(value), "utf8"))
      .digest("hex");
    expect(resultSha256(value)).toBe(expected);
    expect(resultSha256({ a: { c: 2, d: 1 }, b: [1, 2], name: "Распознавание 中文 🎙️" })).toBe(expected);
    expect(resultSha256({ ...value, b: [2, 1] })).not.toBe(expected);
  });
});

describe("resultSha256Pair", () => {
  const sha = (text: string | undefined) =>
    createHash("sha256")
      .update(text ?? "null", "utf8")
      .digest("hex");

  it("hashes the value and the value with extra top-level members, each as its own canonical text", () => {
    const findings = Array.from({ length: 4500 }, (_, i) => ({ z: i, a: `r${i}` }));
    const result = { scan: { id: "s" }, findings, errors: [], gone: undefined };
    const extra = { exceptions: { active: [], expired: [] } };
    expect(resultSha256Pair(result, extra)).toEqual([sha(reference(result)), sha(reference({ ...result, ...extra }))]);
  });

  it("lets an extra member replace or drop one the value has, and works on empty objects", () => {
    expect(resultSha256Pair({ a: 1, b: 2 }, { b: 3 })).toEqual([sha('{"a":1,"b":2}'), sha('{"a":1,"b":3}')]);
    expect(resultSha256Pair({ a: 1, b: 2 }, { a: undefined })).toEqual([sha('{"a":1,"b":2}'), sha('{"b":2}')]);
    expect(resultSha256Pair({}, {})).toEqual([sha("{}"), sha("{}")]);
    expect(resultSha256Pair({}, { a: [1] })).toEqual([sha("{}"), sha('{"a":[1]}')]);
  });

  it("matches the independent implementation on varied values", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const value = { root: randomValue(seed), other: randomValue(seed * 7919) } as Record<string, unknown>;
      const extra = { middle: randomValue(seed * 31), root: seed % 3 === 0 ? randomValue(seed * 17) : value.root };
      expect(resultSha256Pair(value, extra), `seed ${seed}`).toEqual([sha(reference(value)), sha(reference({ ...value, ...extra }))]);
    }
  });
});
