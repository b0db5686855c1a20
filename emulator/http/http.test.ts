/** The server's small parts on their own: quota windows, the result cache, skip tokens, fault sequencing. */
import { describe, expect, it } from "vitest";
import type { QueryResult } from "@/emulator/kql";
import { FaultState } from "./faults";
import { formatResetsAfter, QuotaTracker } from "./quota";
import { ResultCache } from "./result-cache";
import { decodeSkipToken, encodeSkipToken } from "./skip-token";

describe("QuotaTracker", () => {
  it("spends a fixed window per caller and starts a new one when it has passed", () => {
    const q = new QuotaTracker({ requests: 2, windowMs: 1000 });
    expect(q.take("a", 0)).toEqual({ allowed: true, remaining: 1, resetsAfterMs: 1000 });
    expect(q.take("a", 400)).toEqual({ allowed: true, remaining: 0, resetsAfterMs: 600 });
    expect(q.take("a", 500)).toEqual({ allowed: false, remaining: 0, resetsAfterMs: 500 });
    expect(q.take("b", 500).allowed).toBe(true);
    expect(q.peek("a", 900)).toEqual({ allowed: true, remaining: 0, resetsAfterMs: 100 });
    expect(q.take("a", 1000)).toEqual({ allowed: true, remaining: 1, resetsAfterMs: 1000 });
  });

  it("formats resets-after as hh:mm:ss, rounded up", () => {
    expect(formatResetsAfter(5000)).toBe("00:00:05");
    expect(formatResetsAfter(4001)).toBe("00:00:05");
    expect(formatResetsAfter(0)).toBe("00:00:00");
    expect(formatResetsAfter(3_723_000)).toBe("01:02:03");
  });
});

describe("ResultCache", () => {
  const result = (n: number): QueryResult => ({ columns: [], rows: Array.from({ length: n }, (_, i) => ({ i })), unpageable: false });

  it("evicts the least recently used entry beyond its entry budget", () => {
    const c = new ResultCache(2, 1000);
    c.set("a", result(1));
    c.set("b", result(1));
    c.get("a");
    c.set("c", result(1));
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toBeDefined();
    expect(c.get("c")).toBeDefined();
  });

  it("evicts by total rows and never keeps a result larger than the budget", () => {
    const c = new ResultCache(10, 100);
    c.set("a", result(60));
    c.set("b", result(60));
    expect(c.get("a")).toBeUndefined();
    expect(c.get("b")?.rows).toHaveLength(60);
    c.set("huge", result(101));
    expect(c.get("huge")).toBeUndefined();
    expect(c.get("b")).toBeDefined();
  });
});

describe("skip tokens", () => {
  it("round-trip and reject anything that is not one", () => {
    const token = encodeSkipToken({ key: "k1", offset: 2000, pageSize: 1000 });
    expect(decodeSkipToken(token)).toEqual({ key: "k1", offset: 2000, pageSize: 1000 });
    expect(decodeSkipToken("nonsense")).toBeUndefined();
    expect(decodeSkipToken(Buffer.from(JSON.stringify({ kql: "k", RowsToSkip: -1, MaxRows: 5 })).toString("base64"))).toBeUndefined();
  });
});

describe("FaultState", () => {
  it("runs a storm first, then every Nth matching request, up to count", () => {
    const f = new FaultState({ throttleStorm: { count: 2, retryAfterSeconds: 3 }, serverErrors: { everyNth: 2, count: 2, match: "arm" } });
    const seq = ["arg", "arm", "arm", "arg", "arm", "arm", "arm", "arm", "arm"].map((s) => f.next(s as "arg" | "arm")?.kind ?? "ok");
    expect(seq).toEqual(["throttle", "throttle", "ok", "ok", "server-error", "ok", "server-error", "ok", "ok"]);
  });

  it("denies resources by ID and by subscription, case-insensitively", () => {
    const f = new FaultState({ deny: { subscriptions: ["AAAA"], resources: ["/Subscriptions/B/x"] } });
    expect(f.isDeniedResource("/subscriptions/b/X", "b")).toBe(true);
    expect(f.isDeniedResource("/subscriptions/aaaa/y", "aaaa")).toBe(true);
    expect(f.isDeniedResource("/subscriptions/c/y", "c")).toBe(false);
  });
});
