// `npm start`: build when needed, start the emulator's demo tenant unless Azure settings are present,
// then serve the dashboard. Options: --port N (default $PORT or 3000), --host H (default 127.0.0.1),
// --state-dir DIR (emulator state, default data/emulator), --no-build, --no-first-scan (the demo
// otherwise scans once at start when the store is empty).
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildIfNeeded } from "./build-if-needed.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT || "3000" },
    host: { type: "string", multiple: true, default: [process.env.HOST || "127.0.0.1"] },
    "state-dir": { type: "string", default: "data/emulator" },
    "no-build": { type: "boolean", default: false },
    "no-first-scan": { type: "boolean", default: false },
  },
});
const stateDir = resolve(values["state-dir"]);
// One listening address: with several, the server would bind to one and the checks below read another.
const hosts = [...new Set(values.host.map((h) => h.trim().toLowerCase()))];
if (hosts.length !== 1) {
  console.error(`speech-posture: --host was given ${hosts.length} different values (${hosts.join(", ")}); give one.`);
  process.exit(2);
}
values.host = hosts[0];

// Sign-in (docs/security.md): AUTH_MODE=none (no sign-in, the demo) only on loopback; elsewhere the
// default is Entra ID. The server checks this again itself (lib/auth/config.ts).
const loopback = /^(?:127(?:\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i.test(values.host);
const authMode = (process.env.AUTH_MODE || (loopback ? "none" : "entra")).trim().toLowerCase();
if (authMode === "none" && !loopback) {
  console.error(
    `speech-posture: AUTH_MODE=none (no sign-in) is only allowed on loopback, not on ${values.host}. Set up Entra ID sign-in (AUTH_MODE=entra, ENTRA_TENANT_ID, ENTRA_CLIENT_ID; see docs/security.md) or use --host 127.0.0.1.`,
  );
  process.exit(2);
}
if (authMode === "entra" && !(process.env.ENTRA_TENANT_ID && process.env.ENTRA_CLIENT_ID)) {
  console.error("speech-posture: sign-in with Entra ID needs ENTRA_TENANT_ID and ENTRA_CLIENT_ID (see docs/security.md).");
  process.exit(2);
}
const children = [];
let stopping = false;

function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 300).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

function spawnChild(args, env) {
  const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, ...env } });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`speech-posture: ${args[0]} stopped (exit ${code}); shutting down.`);
      stop(code || 1);
    }
  });
  return child;
}

async function waitForEmulator(child) {
  const file = join(stateDir, "emulator.json");
  for (let i = 0; i < 600; i++) {
    if (existsSync(file)) {
      try {
        const state = JSON.parse(readFileSync(file, "utf8"));
        if (state.pid === child.pid) return state;
      } catch {
        /* being written */
      }
    }
    if (child.exitCode !== null) throw new Error("the emulator exited before it was ready");
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the emulator did not become ready within 60 s");
}

const live =
  process.env.SPEECH_POSTURE_SOURCE === "live" ||
  (!process.env.SPEECH_POSTURE_SOURCE && process.env.AZURE_TENANT_ID && process.env.AZURE_CLIENT_ID) ||
  (!process.env.SPEECH_POSTURE_SOURCE && process.env.SPEECH_POSTURE_CREDENTIAL);

if (!values["no-build"]) buildIfNeeded();

const env = { NEXT_TELEMETRY_DISABLED: "1", AUTH_MODE: authMode, SPEECH_POSTURE_LISTEN_HOST: values.host };
if (!live) {
  rmSync(join(stateDir, "emulator.json"), { force: true });
  // SPEECH_POSTURE_EMULATOR_TENANTS=n serves n tenants with a Lighthouse delegation (the demo is one).
  const tenants = process.env.SPEECH_POSTURE_EMULATOR_TENANTS;
  const emulator = spawnChild(["bin/speech-posture", "emulator", "--port", "0", "--state-dir", stateDir, ...(tenants ? ["--tenants", tenants] : [])]);
  try {
    const state = await waitForEmulator(emulator);
    console.log(`speech-posture: demo tenant served by the emulator at ${state.url}`);
  } catch (error) {
    console.error(`speech-posture: ${error.message}`);
    stop(1);
  }
  Object.assign(env, { SPEECH_POSTURE_SOURCE: "emulator", SPEECH_POSTURE_EMULATOR_STATE: stateDir });
  // On an empty store, the demo scans itself once at start (tests pass --no-first-scan).
  if (!values["no-first-scan"]) env.SPEECH_POSTURE_DEMO_FIRST_SCAN = "1";
}
if (!stopping) {
  spawnChild([join("node_modules", "next", "dist", "bin", "next"), "start", "-p", values.port, "-H", values.host], env);
  console.log(`speech-posture: dashboard on http://${values.host === "127.0.0.1" ? "localhost" : values.host}:${values.port}`);
}
