/**
 * `speech-posture emulator`: option parsing, and the command run as its own process — one line on
 * stdout, the state file while it runs, a clean stop on SIGTERM, one-line errors.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEmulatorOptions } from "./command";
import { readEmulatorState } from "./state";
import { raw } from "./testing/clients";

const base = { port: "4443", host: "127.0.0.1", seed: "42", subscriptions: "6", accounts: "40", stateDir: "data/emulator" };

describe("parseEmulatorOptions", () => {
  it("maps the flags onto startEmulator options and faults", () => {
    const o = parseEmulatorOptions({
      ...base,
      port: "0",
      latency: "20",
      quota: "20/1000",
      privateNetwork: true,
      denySubscriptions: "a, b",
      denyResources: "/x/y",
      serverErrorsEvery: "7",
      throttleStorm: "3",
      hiddenSubscriptions: "2",
    });
    expect(o).toMatchObject({
      port: 0,
      seed: 42,
      subscriptions: 6,
      accounts: 40,
      hiddenSubscriptions: 2,
      latencyMs: 20,
      privateNetwork: true,
      writeState: true,
      quota: { requests: 20, windowMs: 1000 },
      faults: { deny: { subscriptions: ["a", "b"], resources: ["/x/y"] }, serverErrors: { everyNth: 7 }, throttleStorm: { count: 3 } },
    });
    expect(parseEmulatorOptions({ ...base, quota: false }).quota).toBe(false);
    expect(parseEmulatorOptions({ ...base, quota: true }).quota).toBeUndefined();
    expect(parseEmulatorOptions(base).faults).toEqual({});
    expect(parseEmulatorOptions({ ...base, tenantSubscriptionLimit: "25" }).tenantSubscriptionLimit).toBe(25);
  });

  it("reads --principals from a JSON file and names a file that is not one", () => {
    const dir = mkdtempSync(join(tmpdir(), "principals-"));
    try {
      const good = join(dir, "good.json");
      writeFileSync(good, JSON.stringify({ "rg-reader": ["/subscriptions/s1/resourceGroups/rg"] }));
      expect(parseEmulatorOptions({ ...base, principals: good }).principals).toEqual({ "rg-reader": ["/subscriptions/s1/resourceGroups/rg"] });
      const shape = join(dir, "shape.json");
      writeFileSync(shape, JSON.stringify({ "rg-reader": "/subscriptions/s1" }));
      expect(() => parseEmulatorOptions({ ...base, principals: shape })).toThrow(/must hold an object of caller → list of scopes/);
      expect(() => parseEmulatorOptions({ ...base, principals: join(dir, "missing.json") })).toThrow(/--principals: cannot read ".*missing\.json" as JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ port: "http" }, /--port must be a whole number/],
    [{ port: "70000" }, /--port must be at most 65535/],
    [{ accounts: "-1" }, /--accounts/],
    [{ subscriptions: "0" }, /--subscriptions must be a whole number of at least 1/],
    [{ quota: "15" }, /--quota must look like 15\/5000/],
    [{ latency: "1.5" }, /--latency/],
    [{ tenantSubscriptionLimit: "0" }, /--tenant-subscription-limit must be a whole number of at least 1/],
  ])("rejects %o", (bad, pattern) => {
    expect(() => parseEmulatorOptions({ ...base, ...bad })).toThrow(pattern);
  });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (err += c));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor<T>(f: () => T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the emulator command as a process", () => {
  const dir = mkdtempSync(join(tmpdir(), "emu-cmd-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("announces itself in one line, serves, and on SIGTERM stops cleanly and removes its state file", async () => {
    const p = run(["--port", "0", "--state-dir", dir, "--seed", "3", "--subscriptions", "2", "--accounts", "5", "--no-quota"]);
    try {
      const state = await waitFor(() => readEmulatorState(dir));
      expect(state).toMatchObject({ seed: 3, subscriptions: 2, accounts: 5, pid: p.child.pid });
      await waitFor(() => (p.stdout().includes("\n") ? true : undefined));
      expect(p.stdout()).toBe(`Emulator: 2 subscriptions, seed 3, at ${state.url} (trust ${state.caPath})\n`);
      const ca = readFileSync(state.caPath, "utf8");
      const r = await raw(`${state.url}/subscriptions?api-version=2022-12-01`, { ca, headers: { authorization: "Bearer cli" } });
      expect(r.json.value).toHaveLength(2);
      p.child.kill("SIGTERM");
      expect(await p.exit).toBe(0);
      expect(existsSync(join(dir, "emulator.json"))).toBe(false);
      expect(p.stderr()).toBe("");
    } finally {
      p.child.kill("SIGKILL");
    }
  });

  it("reports a port in use and a bad option in one line with exit code 2", async () => {
    const first = run(["--port", "0", "--state-dir", dir]);
    try {
      const state = await waitFor(() => readEmulatorState(dir));
      const second = run(["--port", String(state.port), "--state-dir", join(dir, "other")]);
      expect(await second.exit).toBe(2);
      expect(second.stderr()).toBe(`speech-posture: Cannot start the emulator: port ${state.port} on 127.0.0.1 is already in use.\n`);
      const bad = run(["--quota", "lots"]);
      expect(await bad.exit).toBe(2);
      expect(bad.stderr()).toBe('speech-posture: --quota must look like 15/5000 (requests per milliseconds), got "lots"\n');
    } finally {
      first.child.kill("SIGINT");
      expect(await first.exit).toBe(0);
    }
  });
});
