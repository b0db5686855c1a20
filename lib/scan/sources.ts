/**
 * Choosing what a collection talks to: the live cloud from environment settings, or the built-in
 * emulator — the running one named by its state file, or a temporary one started in this process.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { emulatorTarget, hasLiveConfiguration, liveTargetFromEnv, type AzureTarget, type CollectionSource, type Env } from "@/lib/azure/target";
import { emulatorTargetFor, liveTargetFor } from "@/lib/azure/target-credential";
import type { ScanTarget } from "@/lib/posture/targets";

export const DEFAULT_EMULATOR_STATE_DIR = "data/emulator";

export interface OpenedTarget {
  target: AzureTarget;
  /** Stops a temporary emulator; a no-op for live or an already running emulator. */
  close(): Promise<void>;
}

interface EmulatorStateFile {
  url: string;
  caPath: string;
  pid?: number;
}

function alive(pid: number | undefined): boolean {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The emulator recorded in `stateDir/emulator.json`, if its process is still there. */
export function runningEmulator(stateDir = DEFAULT_EMULATOR_STATE_DIR): { url: string; ca: string } | undefined {
  const file = join(stateDir, "emulator.json");
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as EmulatorStateFile;
    if (typeof state.url !== "string" || typeof state.caPath !== "string" || !alive(state.pid)) return undefined;
    return { url: state.url, ca: readFileSync(state.caPath, "utf8") };
  } catch {
    return undefined;
  }
}

/** The default source: live when Azure settings are present, else the emulator. */
export function defaultSource(env: Env = process.env): CollectionSource {
  const chosen = env.SPEECH_POSTURE_SOURCE;
  if (chosen === "live" || chosen === "emulator") return chosen;
  return hasLiveConfiguration(env) ? "live" : "emulator";
}

export class EmulatorNotRunningError extends Error {
  constructor(stateDir: string) {
    super(`No emulator is running (no live state in ${stateDir}/emulator.json); start one with \`speech-posture emulator\` or \`npm start\`.`);
    this.name = "EmulatorNotRunningError";
  }
}

/**
 * The target for a source, or for one scan target of it (its tenant, its credential). Without a
 * running emulator, `startTemporary` may start one (the CLI does, in-process); the server never
 * does, it only uses the emulator `npm start` launched.
 */
export async function openTarget(
  source: CollectionSource,
  opts: { stateDir?: string; env?: Env; startTemporary?: () => Promise<OpenedTarget>; scanTarget?: ScanTarget } = {},
): Promise<OpenedTarget> {
  const env = opts.env ?? process.env;
  const scanTarget = opts.scanTarget;
  if (source === "live") return { target: scanTarget ? liveTargetFor(scanTarget, env) : liveTargetFromEnv(env), close: async () => undefined };
  const stateDir = opts.stateDir ?? env.SPEECH_POSTURE_EMULATOR_STATE ?? DEFAULT_EMULATOR_STATE_DIR;
  const running = runningEmulator(stateDir);
  if (running) return { target: scanTarget ? emulatorTargetFor(scanTarget, running) : emulatorTarget(running), close: async () => undefined };
  if (opts.startTemporary) return opts.startTemporary();
  throw new EmulatorNotRunningError(stateDir);
}
