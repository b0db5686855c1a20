import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "./evaluate";
import { buildResult } from "./result";
import { resultJsonChunks } from "./result-json";
import { account, ACCOUNT_ID, snapshot } from "./testing/fixtures";

describe("resultJsonChunks", () => {
  it("writes exactly JSON.stringify(result), in chunks of at most 1000 array items", () => {
    const accounts = Array.from({ length: 120 }, (_, i) => account({}, { id: `${ACCOUNT_ID}-${i}`, name: `speech-${i}` }));
    const snap = snapshot({ resources: accounts });
    const result = buildResult({
      snapshot: snap,
      evaluation: evaluateSnapshot(snap),
      scan: { id: "s", startedAt: "a", finishedAt: "b", source: "snapshot", tenantId: null },
      exceptions: [{ id: "e", controlId: "IAM-1", owner: "o", reason: "r", expiresAt: "2030-01-01" }],
      now: new Date("2026-11-28T00:00:00Z"),
    });
    const chunks = [...resultJsonChunks(result)];
    expect(chunks.join("")).toBe(JSON.stringify(result));
    expect(result.findings.length).toBe(2160);
    // 2,160 findings go out in three slices, so no chunk holds even half of them.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(JSON.stringify(result.findings).length / 2);
  });
});
