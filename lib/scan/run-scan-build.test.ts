import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, account, hardened, snapshot } from "@/lib/posture/testing/fixtures";
import { buildScanResult } from "./run-scan-build";

describe("buildScanResult", () => {
  it("takes the finish time after evaluating, so a scan's duration includes its evaluation", () => {
    const snap = snapshot(hardened());
    const events: string[] = [];
    const resources = snap.resources;
    Object.defineProperty(snap, "resources", {
      get() {
        events.push("read resources");
        return resources;
      },
    });
    const data = buildScanResult(snap, {
      id: "s1",
      source: "snapshot",
      startedAt: "2026-11-28T10:00:00.000Z",
      finishedAt: () => {
        events.push("finish time");
        return "2026-11-28T10:00:07.000Z";
      },
    });
    expect(events.filter((e) => e === "finish time")).toHaveLength(1);
    expect(events.indexOf("finish time")).toBeGreaterThan(events.indexOf("read resources"));
    expect(data.finishedAt).toBe("2026-11-28T10:00:07.000Z");
  });

  it("hashes the result with the finish time it stores", () => {
    const info = { id: "s2", source: "snapshot" as const, startedAt: "2026-11-28T10:00:00.000Z" };
    const snap = snapshot({ resources: [account()] });
    const fixed = buildScanResult(snap, { ...info, finishedAt: "2026-11-28T10:00:05.000Z" });
    const later = buildScanResult(snap, { ...info, finishedAt: () => "2026-11-28T10:00:05.000Z" });
    const other = buildScanResult(snap, { ...info, finishedAt: () => "2026-11-28T10:00:06.000Z" });
    expect(later.resultSha256).toBe(fixed.resultSha256);
    expect(other.resultSha256).not.toBe(fixed.resultSha256);
  });

  it("keeps each account's documents, whatever the spelling of its ID (case, trailing slash)", () => {
    for (const id of [ACCOUNT_ID, `${ACCOUNT_ID}/`, ACCOUNT_ID.toUpperCase()]) {
      const data = buildScanResult(snapshot({ ...hardened(), resources: hardened().resources.map((d) => (d.id === ACCOUNT_ID ? { ...d, id } : d)) }), {
        id: "s3",
        source: "snapshot",
        startedAt: "2026-11-28T10:00:00.000Z",
        finishedAt: "2026-11-28T10:00:01.000Z",
      });
      expect(data.resources, id).toHaveLength(1);
      expect((data.resources[0].documents as { account?: { id: string } } | null)?.account?.id, id).toBe(id);
    }
  });
});
