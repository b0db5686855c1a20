/**
 * `<stateDir>/emulator.json`: how other processes (npm start, the CLI, benchmarks) find a running
 * emulator and the certificate to trust for it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_STATE_DIR = "data/emulator";

export interface EmulatorState {
  url: string;
  port: number;
  caPath: string;
  pid: number;
  seed: number;
  /** Subscriptions the caller can see. */
  subscriptions: number;
  /** Speech accounts (kinds SpeechServices, AIServices, CognitiveServices). */
  accounts: number;
}

const stateFile = (stateDir: string) => join(stateDir, "emulator.json");

export function writeEmulatorState(stateDir: string, state: EmulatorState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = stateFile(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

/** The recorded state, or undefined when there is none or it is unreadable. */
export function readEmulatorState(stateDir: string = DEFAULT_STATE_DIR): EmulatorState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
    if (typeof s.url !== "string" || typeof s.caPath !== "string" || typeof s.port !== "number") return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/** Removes the state file if it still describes this emulator (another may have replaced it). */
export function removeEmulatorState(stateDir: string, owner: { pid: number; port: number }): void {
  const s = readEmulatorState(stateDir);
  if (s && s.pid === owner.pid && s.port === owner.port) rmSync(stateFile(stateDir), { force: true });
}
