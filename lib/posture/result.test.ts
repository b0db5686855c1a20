import { describe, expect, it } from "vitest";
import { CATALOG } from "./controls";
import { evaluateSnapshot } from "./evaluate";
import { buildResult } from "./result";
import { ACCOUNT_ID, account, hardened, OTHER_SUB, snapshot, SUB } from "./testing/fixtures";

const scan = { id: "scan-1", startedAt: "2026-11-28T10:00:00Z", finishedAt: "2026-11-28T10:01:00Z", source: "snapshot" as const, tenantId: "tenant-1" };
const now = new Date("2026-11-28T10:01:00Z");

describe("buildResult", () => {
  it("writes the result format of CONTROLS.md", () => {
    const snap = snapshot({ resources: [account()], subscriptions: [SUB, OTHER_SUB] });
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now });
    expect(result).toMatchObject({ kind: "speech-posture.result", version: 1, scan: { ...scan, catalogVersion: 2 }, errors: [] });
    expect(Object.keys(result)).toEqual(["kind", "version", "scan", "summary", "subscriptions", "resources", "findings", "errors"]);
    expect(result.findings).toHaveLength(CATALOG.length);
    expect(result.summary.resources).toBe(1);
    expect(result.summary.counts.pass + result.summary.counts.fail + result.summary.counts.unknown + result.summary.counts.not_applicable).toBe(CATALOG.length);
    expect(result.resources[0]).toMatchObject({
      id: ACCOUNT_ID,
      name: "speech-prod-01",
      kind: "SpeechServices",
      subscriptionId: SUB,
      resourceGroup: "rg-speech",
    });
    expect(result.resources[0].score).toBe(result.summary.score);
  });

  it("lists every listed subscription, with a null score when it has nothing to judge", () => {
    const snap = snapshot({ resources: [account()], subscriptions: [SUB, OTHER_SUB] });
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now });
    expect(result.subscriptions.map((s) => [s.subscriptionId, s.displayName, s.resources])).toEqual([
      [SUB, "Subscription 0000", 1],
      [OTHER_SUB, "Subscription 9999", 0],
    ]);
    expect(result.subscriptions[1].score).toBeNull();
    expect(result.subscriptions[0].score).toBe(result.summary.score);
  });

  it("scores a fully hardened tenant 100", () => {
    const snap = snapshot(hardened());
    expect(buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now }).summary.score).toBe(100);
  });

  it("has a null tenant score when there are no Speech resources", () => {
    const snap = snapshot({ resources: [] });
    const result = buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan: { ...scan, tenantId: undefined }, now });
    expect(result.summary).toMatchObject({ score: null, resources: 0 });
    expect(result.scan.tenantId).toBeNull();
  });

  it("applies exceptions: muted counted, status and score unchanged, active and expired reported", () => {
    const snap = snapshot({ resources: [account()] });
    const evaluation = evaluateSnapshot(snap);
    const active = { id: "keep", controlId: "IAM-1" as const, owner: "o", reason: "r", expiresAt: "2026-12-31" };
    const expired = { id: "old", controlId: "NET-4" as const, owner: "o", reason: "r", expiresAt: "2026-01-31" };
    const plain = buildResult({ snapshot: snap, evaluation, scan, now });
    const withRules = buildResult({ snapshot: snap, evaluation, scan, exceptions: [active, expired], now });
    expect(withRules.exceptions).toEqual({ active: [active], expired: [expired] });
    expect(withRules.summary.counts.muted).toBe(1);
    expect(withRules.summary.score).toBe(plain.summary.score);
    expect(withRules.findings.find((f) => f.controlId === "IAM-1")).toMatchObject({ status: "fail", muted: true });
    expect(withRules.findings.find((f) => f.controlId === "NET-4")?.muted).toBe(false);
  });

  it("copies the snapshot's errors", () => {
    const errors = [{ scope: `/subscriptions/${SUB}`, source: "diagnosticSettings" as const, reason: "access_denied" as const }];
    const snap = snapshot({ resources: [account()], errors });
    expect(buildResult({ snapshot: snap, evaluation: evaluateSnapshot(snap), scan, now }).errors).toEqual(errors);
  });
});
