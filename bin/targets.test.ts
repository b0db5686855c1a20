/**
 * Scan targets from the command line, as a user runs it: a real process against a running
 * three-tenant emulator (found through its state folder), a targets config file and single-target
 * flags, and one-line errors with exit code 2 for bad ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateEstate, LIGHTHOUSE_CLIENT_ID } from "@/emulator/estate";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import type { Snapshot } from "@/lib/posture/snapshot";

const dir = mkdtempSync(join(tmpdir(), "sp-targets-"));
const stateDir = join(dir, "emulator");
const estate = generateEstate(3, { subscriptions: 2, accounts: 6, hiddenSubscriptions: 0 });
let emu: RunningEmulator;
const lower = (s: string) => s.toLowerCase();
const visible = (t: typeof estate.home) => t.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId));

/** Async, so the emulator in this process keeps answering while the CLI runs. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/speech-posture", ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  emu = await startEmulator({
    tenant: estate.home,
    otherTenants: estate.others,
    delegations: estate.delegations,
    quota: false,
    stateDir,
    writeState: true,
  });
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("speech-posture snapshot with scan targets", () => {
  it("collects every target of a config file, each subscription under its own tenant", async () => {
    const file = join(dir, "targets.json");
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { tenantId: estate.home.tenantId, displayName: "Contoso", credential: { kind: "client-secret", clientId: LIGHTHOUSE_CLIENT_ID, secretEnv: "X" } },
          { tenantId: estate.others[1].tenantId, displayName: "Northwind", credential: { kind: "azure-cli" } },
        ],
      }),
    );
    const out = join(dir, "estate.json");
    const r = await cli(["snapshot", "--targets", file, "--emulator-state", stateDir, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const snap = JSON.parse(readFileSync(out, "utf8")) as Snapshot;
    const expected = new Map<string, string>([
      ...visible(estate.home).map((s) => [s, estate.home.tenantId] as const),
      [lower(estate.delegations[0].subscriptionId), estate.others[0].tenantId],
      ...visible(estate.others[1]).map((s) => [s, estate.others[1].tenantId] as const),
    ]);
    expect(new Map(snap.subscriptions.map((s) => [lower(s.subscriptionId), s.tenantId]))).toEqual(expected);
  });

  it("collects one target from flags, scoped to a management group with an exclusion", async () => {
    const [skip, ...rest] = visible(estate.others[1]);
    const out = join(dir, "one.json");
    const r = await cli([
      "snapshot",
      "--tenant",
      estate.others[1].tenantId,
      "--credential",
      "azure-cli",
      "--management-groups",
      "mg-contoso",
      "--exclude",
      skip,
      "--emulator-state",
      stateDir,
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const snap = JSON.parse(readFileSync(out, "utf8")) as Snapshot;
    expect(snap.subscriptions.map((s) => lower(s.subscriptionId)).sort()).toEqual(rest.sort());
    expect(snap.tenantId).toBe(estate.others[1].tenantId);
  });

  it("refuses bad targets with one line naming the field, and exit code 2", async () => {
    const bad = await cli(["snapshot", "--tenant", "contoso", "--credential", "azure-cli", "--emulator-state", stateDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("flags.tenantId");
    const secret = join(dir, "secret.json");
    writeFileSync(
      secret,
      JSON.stringify([
        { tenantId: estate.home.tenantId, displayName: "X", credential: { kind: "client-secret", clientId: LIGHTHOUSE_CLIENT_ID, clientSecret: "s" } },
      ]),
    );
    const refused = await cli(["snapshot", "--targets", secret, "--emulator-state", stateDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("targets[0].credential.clientSecret: a secret is never stored");
    const orphan = await cli(["snapshot", "--credential", "azure-cli"]);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain("need --tenant ID");
  });
});
