/**
 * The CLI as a user runs it: a real process, real files, exit codes and one-line errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "@/emulator/server";
import { collect } from "@/lib/azure/collect";
import { emulatorTarget } from "@/lib/azure/target";
import { isSpeechAccount, type Snapshot } from "@/lib/posture/snapshot";
import { CATALOG } from "@/lib/posture/controls";

const dir = mkdtempSync(join(tmpdir(), "sp-cli-"));
let snapshot: Snapshot;
const snapshotPath = join(dir, "demo.json");

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["bin/speech-posture", ...args], { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const emu = await startEmulator({ port: 0 });
  try {
    snapshot = (await collect(emulatorTarget({ url: emu.url, ca: emu.ca }))).snapshot;
  } finally {
    await emu.close();
  }
  writeFileSync(snapshotPath, JSON.stringify(snapshot));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("speech-posture scan", () => {
  it("writes a finding for every Speech account × control, and nothing for other kinds", () => {
    const out = join(dir, "result.json");
    const r = cli(["scan", "--snapshot", snapshotPath, "--format", "json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result.kind).toBe("speech-posture.result");
    expect(result.scan.source).toBe("snapshot");
    expect(result.scan.catalogVersion).toBe(2);
    const accounts = snapshot.resources.filter(isSpeechAccount);
    expect(result.resources.map((x: { id: string }) => x.id).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(result.findings).toHaveLength(accounts.length * CATALOG.length);
    const inScope = new Set(accounts.map((a) => a.id));
    for (const f of result.findings) expect(inScope.has(f.resourceId)).toBe(true);
    const nonSpeech = snapshot.resources.filter((d) => String(d.type).toLowerCase() === "microsoft.cognitiveservices/accounts" && !isSpeechAccount(d));
    for (const d of nonSpeech) expect(result.findings.some((f: { resourceId: string }) => f.resourceId === d.id)).toBe(false);
  });

  it("evaluates a bare Resource Graph export: LOG-1, LOG-2 and BYOS-3 are unknown not_collected unless not applicable", () => {
    const accounts = snapshot.resources.filter(isSpeechAccount);
    const storageAndVaults = snapshot.resources.filter((d) => !isSpeechAccount(d));
    const exported = { count: snapshot.resources.length, data: [...accounts, ...storageAndVaults], skip_token: null, total_records: snapshot.resources.length };
    const file = join(dir, "export.json");
    writeFileSync(file, JSON.stringify(exported));
    const r = cli(["scan", "--snapshot", file]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    for (const f of result.findings) {
      if (f.controlId === "LOG-1" || f.controlId === "LOG-2") expect([f.status, f.reason]).toEqual(["unknown", "not_collected"]);
      if (f.controlId === "BYOS-3") expect(f.status === "not_applicable" || (f.status === "unknown" && f.reason === "not_collected")).toBe(true);
    }
    expect(result.findings.filter((f: { controlId: string }) => f.controlId === "BYOS-3").some((f: { status: string }) => f.status === "unknown")).toBe(true);
  });

  it("writes CSV with a BOM and one row per finding", () => {
    const r = cli(["scan", "--snapshot", snapshotPath, "--format", "csv"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("\uFEFF")).toBe(true);
    const rows = r.stdout.trim().split("\r\n");
    expect(rows.length - 1).toBe(snapshot.resources.filter(isSpeechAccount).length * CATALOG.length);
  });

  it("--fail-on exits 1 only when an unmuted failure of that severity exists, and exceptions mute", () => {
    expect(cli(["scan", "--snapshot", snapshotPath, "--fail-on", "high", "--out", join(dir, "r1.json")]).code).toBe(1);
    const result = JSON.parse(readFileSync(join(dir, "r1.json"), "utf8"));
    const failingHigh = result.findings.filter((f: { status: string; severity: string }) => f.status === "fail" && f.severity === "high");
    expect(failingHigh.length).toBeGreaterThan(0);
    // Mute every high-severity control for this tenant's subscriptions: the pipeline gate opens.
    const highControls = CATALOG.filter((c) => c.severity === "high").map((c) => c.id);
    const rules = highControls.map((controlId, i) => ({ id: `x${i}`, controlId, owner: "secops", reason: "accepted for the test", expiresAt: "2999-01-01" }));
    const exceptions = join(dir, "exceptions.json");
    writeFileSync(exceptions, JSON.stringify({ exceptions: rules }));
    const muted = cli(["scan", "--snapshot", snapshotPath, "--fail-on", "high", "--exceptions", exceptions, "--out", join(dir, "r2.json")]);
    expect(muted.code).toBe(0);
    const r2 = JSON.parse(readFileSync(join(dir, "r2.json"), "utf8"));
    const r2High = r2.findings.filter((f: { severity: string }) => f.severity === "high");
    expect(r2High.every((f: { muted: boolean }) => f.muted)).toBe(true);
    // Muting never changes a status.
    expect(r2.findings.map((f: { status: string }) => f.status)).toEqual(result.findings.map((f: { status: string }) => f.status));
    // Medium failures still gate.
    expect(cli(["scan", "--snapshot", snapshotPath, "--fail-on", "medium", "--exceptions", exceptions, "--out", join(dir, "r3.json")]).code).toBe(1);
  });
});

describe("report formats", () => {
  it("writes a subscription PDF whose text names the subscription and its failing resources", () => {
    const sub = snapshot.subscriptions[0];
    const out = join(dir, "sub.pdf");
    const r = cli(["scan", "--snapshot", snapshotPath, "--format", "pdf", "--subscription", sub.subscriptionId, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe("%PDF-");
    const text = spawnSync("pdftotext", ["-layout", out, "-"], { encoding: "utf8" }).stdout;
    expect(text).toContain(sub.displayName!);
    const accounts = snapshot.resources.filter(
      (a) => isSpeechAccount(a) && a.id.toLowerCase().startsWith(`/subscriptions/${sub.subscriptionId.toLowerCase()}/`),
    );
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) expect(text).toContain(a.name!);
  });
  it("writes OCSF compliance findings as JSON lines, filtered to one subscription", () => {
    const sub = snapshot.subscriptions[1].subscriptionId;
    const r = cli(["scan", "--snapshot", snapshotPath, "--format", "ocsf", "--subscription", sub]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(
      snapshot.resources.filter((a) => isSpeechAccount(a) && a.id.toLowerCase().startsWith(`/subscriptions/${sub.toLowerCase()}/`)).length * CATALOG.length,
    );
    for (const l of lines) {
      expect(l.class_uid).toBe(2003);
      expect(l.cloud.account.uid.toLowerCase()).toBe(sub.toLowerCase());
    }
  });
  it("writes OSCAL assessment results and a POA&M", () => {
    const out = (name: string) => join(dir, name);
    expect(cli(["scan", "--snapshot", snapshotPath, "--format", "oscal-ar", "--out", out("ar.json")]).code).toBe(0);
    const doc = JSON.parse(readFileSync(out("ar.json"), "utf8"));
    expect(doc["assessment-results"].metadata["oscal-version"]).toBe("1.1.3");
    expect(doc["assessment-results"].results[0].observations).toHaveLength(snapshot.resources.filter(isSpeechAccount).length * CATALOG.length);
    expect(cli(["scan", "--snapshot", snapshotPath, "--format", "oscal-poam", "--out", out("poam.json")]).code).toBe(0);
    const poam = JSON.parse(readFileSync(out("poam.json"), "utf8"))["plan-of-action-and-milestones"];
    expect(poam["poam-items"]).toHaveLength(doc["assessment-results"].results[0].findings.filter((f: any) => f.target.status.state === "not-satisfied").length);
    const bad = cli(["scan", "--snapshot", snapshotPath, "--format", "oscal"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of csv, json, ocsf, oscal-ar, oscal-poam, oscal-ap, pdf, got "oscal"/);
  });
  it("refuses an unknown subscription and a PDF to the terminal", () => {
    const unknown = cli(["scan", "--snapshot", snapshotPath, "--format", "csv", "--subscription", "00000000-0000-0000-0000-000000000000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/00000000-0000-0000-0000-000000000000/);
    expect(cli(["scan", "--snapshot", snapshotPath, "--format", "pdf"]).stderr).toMatch(/needs --out/);
  });
});

describe("bad input gets one line (and one indented line per further problem) and exit code 2, and nothing half-written", () => {
  const cases: [string, string | null, RegExp][] = [
    ["empty file", "", /empty/i],
    ["not JSON", "{ this is not json", /JSON/],
    ["wrong top-level type", "42", /expected/i],
    [
      "wrong field type",
      JSON.stringify({
        kind: "speech-posture.snapshot",
        version: 1,
        collectedAt: "2026-11-28T10:00:00Z",
        subscriptions: [],
        coverage: ["resources"],
        resources: [
          {
            id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a",
            type: "Microsoft.CognitiveServices/accounts",
            kind: "SpeechServices",
            properties: { userOwnedStorage: "nope" },
          },
        ],
        diagnosticSettings: {},
        speechEndpoints: {},
        errors: [],
      }),
      /resources\[0\]\.properties\.userOwnedStorage/,
    ],
    [
      "missing section",
      JSON.stringify({ kind: "speech-posture.snapshot", version: 1, collectedAt: "2026-11-28T10:00:00Z" }),
      /resources|subscriptions|coverage/,
    ],
    ["unsupported version", JSON.stringify({ kind: "speech-posture.snapshot", version: 99 }), /version/],
    [
      "huge junk array",
      JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)),
      /100000 problems found \(the first 50 listed\)[^]*\[0\][^]*… and 99950 more/,
    ],
    [
      "a Resource Graph export with more pages",
      JSON.stringify({ count: 0, data: [], skip_token: "ew0KI", total_records: 5 }),
      /: skip_token: the export is incomplete/,
    ],
    [
      "a truncated Resource Graph export",
      JSON.stringify({ count: 0, data: [], skip_token: null, total_records: 5 }),
      /: total_records: the export holds 0 of 5/,
    ],
    [
      "an ARM list with more pages",
      JSON.stringify({ value: [], nextLink: "https://management.azure.com/x?$skiptoken=1" }),
      /: nextLink: the list is incomplete/,
    ],
  ];
  it.each(cases)("%s", (_name, text, message) => {
    const file = join(dir, `bad-${_name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, text ?? "");
    const out = join(dir, `never-${_name.replace(/\W+/g, "-")}.json`);
    const r = cli(["scan", "--snapshot", file, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^speech-posture: /);
    // Several problems: the first line counts them, each follows on its own indented line.
    if (lines.length > 1) expect(lines[0]).toMatch(/\d+ problems found/);
    expect(lines.slice(1).every((l) => l.startsWith("  "))).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("names a missing file and a bad option", () => {
    const missing = cli(["scan", "--snapshot", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const fmt = cli(["scan", "--snapshot", snapshotPath, "--format", "xml"]);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/--format must be one of csv, json, ocsf, oscal-ar, oscal-poam, oscal-ap, pdf, got "xml"/);
    const both = cli(["scan"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --snapshot/);
  });

  it("shows a stack trace only with --verbose", () => {
    const file = join(dir, "v.json");
    writeFileSync(file, "[");
    expect(cli(["scan", "--snapshot", file]).stderr).not.toMatch(/\n\s+at /);
    expect(cli(["--verbose", "scan", "--snapshot", file]).stderr).toMatch(/\n\s+at /);
  });
});

describe("help and the catalogue", () => {
  it("--help exits 0 for every command", () => {
    for (const args of [["--help"], ["scan", "--help"], ["snapshot", "--help"], ["controls", "--help"], ["emulator", "--help"]]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/Usage: speech-posture/);
    }
  });
  it("prints all 18 controls", () => {
    const r = cli(["controls", "--format", "json"]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.controls.map((c: { id: string }) => c.id)).toEqual(CATALOG.map((c) => c.id));
    expect(parsed.controls[0].remediation.cli.length).toBeGreaterThan(0);
  });
});

describe("speech-posture snapshot", () => {
  it("collects from a temporary emulator when none is running and writes the file atomically", () => {
    const out = join(dir, "collected.json");
    const r = cli(["snapshot", "--source", "emulator", "--emulator-state", join(dir, "no-emulator"), "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Wrote .*collected\.json: 6 subscriptions, 40 Speech accounts/);
    const s = JSON.parse(readFileSync(out, "utf8"));
    expect(s.kind).toBe("speech-posture.snapshot");
    expect(s.resources.filter(isSpeechAccount)).toHaveLength(snapshot.resources.filter(isSpeechAccount).length);
  });
  it("refuses live without configuration, saying what to set", () => {
    const r = spawnSync(process.execPath, ["bin/speech-posture", "snapshot", "--source", "live"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" } as unknown as NodeJS.ProcessEnv,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/AZURE_TENANT_ID/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("speech-posture worker", () => {
  const worker = (args: string[], env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ["bin/speech-posture", "worker", ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    });
    return { code: r.status, stderr: r.stderr };
  };
  it("refuses SQLite with one line saying a worker needs PostgreSQL", () => {
    const r = worker([], { DATABASE_URL: `sqlite:${join(dir, "w.db")}` });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("speech-posture: A worker needs PostgreSQL: set DATABASE_URL=postgres://… (on SQLite the dashboard runs its scans itself).");
  });
  it("refuses a --jobs that is not a whole number from 1 to 64", () => {
    const r = worker(["--jobs", "0"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('speech-posture: --jobs must be a whole number from 1 to 64, got "0"');
  });
});
