import { beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "@/lib/posture/controls";
import type { ExceptionRule } from "@/lib/posture/exceptions";
import { findingsToOcsfLines, OCSF_COMPLIANCE_FINDING_REQUIRED, OCSF_VERSION, OcsfLineWriter, ocsfEvent } from "./ocsf";
import type { ReportFinding, ReportResource } from "./model";

const findingsToOcsf = (result: Parameters<typeof findingsToOcsfLines>[0]) => [...findingsToOcsfLines(result)].join("");
import { tenantFixture, type Fixture } from "./testing/fixture";

function at(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

let fx: Fixture;
let lines: Record<string, unknown>[];
let text: string;

beforeAll(() => {
  const base = tenantFixture({ accounts: 16, subscriptions: 2 });
  const failing = base.result.findings.find((f) => f.status === "fail")!;
  const rule: ExceptionRule = {
    id: "x1",
    controlId: failing.controlId,
    resourceId: failing.resourceId,
    owner: "alice@example.com",
    reason: "accepted",
    expiresAt: "2027-01-31",
  };
  fx = tenantFixture({ accounts: 16, subscriptions: 2, exceptions: [rule] });
  text = findingsToOcsf(fx.result);
  lines = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
});

describe("findingsToOcsfLines", () => {
  it("writes one JSON line per finding, newline-terminated", () => {
    expect(text.endsWith("\n")).toBe(true);
    expect(lines).toHaveLength(fx.result.findings.length);
    expect(text.split("\n").filter((l) => l.trim() !== "")).toHaveLength(fx.result.findings.length);
  });

  it("gives every line the attributes a Compliance Finding requires", () => {
    expect(OCSF_COMPLIANCE_FINDING_REQUIRED).toContain("compliance.standards");
    for (const [i, line] of lines.entries()) {
      for (const path of OCSF_COMPLIANCE_FINDING_REQUIRED) {
        const v = at(line, path);
        expect(v, `line ${i}: ${path}`).not.toBeUndefined();
        expect(v, `line ${i}: ${path}`).not.toBeNull();
      }
      expect(line.class_uid).toBe(2003);
      expect(line.category_uid).toBe(2);
      expect(line.activity_id).toBe(1);
      expect(line.type_uid).toBe(200301);
      expect(at(line, "metadata.version")).toBe(OCSF_VERSION);
      expect(at(line, "metadata.product.name")).toBe("Speech Posture");
      expect(typeof at(line, "metadata.product.vendor_name")).toBe("string");
      expect(at(line, "cloud.provider")).toBe("Azure");
      expect(Array.isArray(at(line, "compliance.standards"))).toBe(true);
      expect(typeof line.time).toBe("number");
    }
  });

  it("maps each finding's fields", () => {
    fx.result.findings.forEach((f, i) => {
      const line = lines[i];
      expect(at(line, "compliance.control")).toBe(f.controlId);
      expect(at(line, "cloud.account.uid")).toBe(f.subscriptionId);
      expect(at(line, "resources")).toEqual([expect.objectContaining({ uid: f.resourceId, type: "Microsoft.CognitiveServices/accounts" })]);
      expect(line.severity_id).toBe({ high: 4, medium: 3, low: 2 }[f.severity]);
      expect(at(line, "compliance.status_id")).toBe({ pass: 1, unknown: 2, fail: 3, not_applicable: 99 }[f.status]);
      expect(line.status_id).toBe(f.muted ? 3 : 1);
      expect(line.message).toBe(f.message);
      expect(at(line, "finding_info.title")).toBe(`${f.controlId}: ${CATALOG.find((c) => c.id === f.controlId)!.title}`);
      expect(line.time).toBe(Date.parse(fx.result.scan.finishedAt));
    });
    expect(lines.some((l) => l.status === "Suppressed")).toBe(true);
    const statuses = new Set(lines.map((l) => at(l, "compliance.status")));
    expect(statuses).toContain("Fail");
    expect(statuses).toContain("Pass");
  });

  it("gives each control-resource pair a stable, unique finding uid", () => {
    const uids = lines.map((l) => at(l, "finding_info.uid"));
    expect(new Set(uids).size).toBe(uids.length);
    const again = findingsToOcsf({ ...fx.result, scan: { ...fx.result.scan, id: "another-scan" } })
      .trimEnd()
      .split("\n")
      .map((l) => at(JSON.parse(l), "finding_info.uid"));
    expect(again).toEqual(uids);
  });

  it("keeps hostile text as inert JSON string content", () => {
    const f = { ...fx.result.findings[0], message: '<script>alert(1)</script>\n=HYPERLINK("x")\u2028"' };
    const out = findingsToOcsf({ ...fx.result, findings: [f] });
    expect(out.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(out).message).toBe(f.message);
  });
});

describe("OcsfLineWriter", () => {
  const event = (f: ReportFinding, resource: ReportResource | undefined, name: string | null, scan = fx.result.scan) =>
    JSON.stringify(ocsfEvent(f, { scan }, resource, name));

  it("writes every finding of a tenant exactly as JSON.stringify(ocsfEvent(…)) does", () => {
    const writer = new OcsfLineWriter(fx.result);
    const byId = new Map(fx.result.resources.map((r) => [r.id, r]));
    const names = new Map(fx.result.subscriptions.map((s) => [s.subscriptionId, s.displayName ?? null]));
    expect(fx.result.findings.some((f) => f.muted)).toBe(true);
    expect(fx.result.findings.some((f) => f.reason)).toBe(true);
    for (const f of fx.result.findings) {
      const resource = byId.get(f.resourceId);
      const name = names.get(f.subscriptionId) ?? null;
      expect(writer.line(f, resource, name)).toBe(event(f, resource, name));
    }
  });

  it("writes odd findings, resources and scans as ocsfEvent does", () => {
    const base = fx.result.findings[0];
    const resource = fx.result.resources.find((r) => r.id === base.resourceId)!;
    const findings: ReportFinding[] = [
      { ...base, controlId: "XYZ-9", severity: "critical", status: "odd" },
      { ...base, severity: "__proto__", status: "constructor" },
      { ...base, reason: "", agreement: undefined, azure: undefined, evidence: undefined },
      { ...base, reason: "access_denied", muted: true, message: 'quote " back\\ \u2028 \ud800 é 😀 $& $1' },
      {
        ...base,
        resourceId: "/subscriptions/S/resourceGroups/R/providers/X/accounts/\ud83d",
        evidence: [{ path: "p", actual: { b: 1, a: [null, { "1": 2, x: "y" }] }, expected: 3 }],
      },
      { ...base, controlId: "cmk-1", subscriptionId: "other" },
      { ...base, message: undefined as unknown as string },
      { ...base, reason: 7 as unknown as string },
      { ...base, agreement: null as unknown as string, azure: { state: "compliant", sources: [{ kind: "policy", weird: true }] } },
    ];
    const resources: (ReportResource | undefined)[] = [
      resource,
      undefined,
      { ...resource, location: null, resourceGroup: "", kind: undefined },
      { ...resource, name: null as unknown as string },
    ];
    const odd = { ...fx.result.scan, id: 'a"b', tenantId: undefined, finishedAt: "not a date", startedAt: "", catalogVersion: undefined };
    const scans = [fx.result.scan, odd as unknown as typeof fx.result.scan];
    for (const scan of scans) {
      const writer = new OcsfLineWriter({ scan });
      for (const resource of resources) {
        for (const name of [null, "", "Prod – ünïcode"]) {
          for (const f of findings) expect(writer.line(f, resource, name)).toBe(event(f, resource, name, scan));
        }
      }
    }
  });
});
