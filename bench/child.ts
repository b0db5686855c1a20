/** Helpers to run a measured part of a scenario in its own process (so its peak RSS is its own), and to serve the production build. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@/lib/store/testing/postgres-cluster";

/** Runs `tsx <script> …args` (with Node's `nodeArgs`) and returns the JSON object it prints on its last stdout line. */
export function runChild<T>(script: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${last}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${last}`));
      }
    });
  });
}

export interface EmulatorProcess {
  url: string;
  caPath: string;
  stateDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `speech-posture emulator` as its own process and waits for its state file. */
export async function startEmulatorProcess(stateDir: string, flags: string[]): Promise<EmulatorProcess> {
  rmSync(join(stateDir, "emulator.json"), { force: true });
  const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts", "--port", "0", "--state-dir", stateDir, ...flags], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const file = join(stateDir, "emulator.json");
  for (let i = 0; i < 1800; i++) {
    if (child.exitCode !== null) throw new Error(`emulator exited with ${child.exitCode}`);
    if (existsSync(file)) {
      try {
        const state = JSON.parse(readFileSync(file, "utf8"));
        if (state.pid === child.pid) {
          return {
            url: state.url,
            caPath: state.caPath,
            stateDir,
            child,
            stop: () =>
              new Promise<void>((resolve) => {
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
              }),
          };
        }
      } catch {
        /* partially written */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("emulator did not start within 180 s");
}

export { freePort };

/** Waits until the app at `base` answers `path` as `ready` says (or fails if its process exits). */
export async function waitUp(base: string, child: ChildProcess, path: string, ready: (r: Response) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if (ready(await fetch(`${base}${path}`))) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app did not answer ${path} within 120 s`);
}

export interface AppProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  server: ChildProcess;
  /** Waits until `path` answers as `ready` says (see `waitUp`). */
  waitUp(path: string, ready: (r: Response) => boolean): Promise<void>;
  /** Sends SIGTERM and waits for the server to exit (at once if it already has). */
  stop(): Promise<void>;
}

/**
 * Starts the production build (`next start` on a free loopback port, its output ignored, its errors
 * shown) against `databaseUrl`, with the emulator as the scan source but no emulator state in
 * `emulatorState`, and telemetry off; `env` adds to (or overrides) that and this process's own.
 * Call `waitUp` before the first request and `stop` when done.
 */
export async function startApp(options: { databaseUrl: string; emulatorState: string; env?: Record<string, string> }): Promise<AppProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      SPEECH_POSTURE_SOURCE: "emulator",
      SPEECH_POSTURE_EMULATOR_STATE: options.emulatorState,
      ...options.env,
    },
  });
  return {
    base,
    server,
    waitUp: (path, ready) => waitUp(base, server, path, ready),
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    },
  };
}

/** A process and every process under it (from /proc), for the memory they hold together. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const taskDir = `/proc/${out[i]}/task`;
    if (!existsSync(taskDir)) continue;
    for (const task of readdirSync(taskDir)) {
      try {
        for (const child of readFileSync(`${taskDir}/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) out.push(Number(child));
      } catch {
        /* the task ended */
      }
    }
  }
  return out;
}

/** kB of a /proc/<pid>/status field (VmRSS, VmHWM), 0 when the process is gone. */
export function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
