// `npm test`: every test — unit and integration (Vitest), then browser journeys (Playwright in
// Debian's Chromium against the built app) — and one closing line "N passed, N failed".
// The production build, the type check, lint and format checks run side by side first (none of
// them is timing-sensitive); Vitest and Playwright then run alone, so their timing-sensitive tests
// never share the two cores with a build.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildIsCurrent } from "./build-if-needed.mjs";

const results = "test-results";
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name, ...parts) => join("node_modules", name, ...parts);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const began = Date.now();
const elapsed = () => `${Math.round((Date.now() - began) / 1000)} s`;

function run(label, args, extraEnv = {}) {
  console.log(`\n=== ${label} (at ${elapsed()}) ===`);
  const r = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

/** Starts a step in the background; its output is printed in one piece when it is reported. */
function start(label, args, extraEnv = {}) {
  const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  const chunks = [];
  child.stdout.on("data", (c) => chunks.push(c));
  child.stderr.on("data", (c) => chunks.push(c));
  const done = new Promise((resolve) => {
    child.on("error", (error) => resolve({ status: 1, error }));
    child.on("close", (code) => resolve({ status: code ?? 1 }));
  });
  return {
    async report() {
      const r = await done;
      console.log(`\n=== ${label} (done at ${elapsed()}) ===`);
      process.stdout.write(Buffer.concat(chunks));
      if (r.error) console.error(r.error.message);
      return r.status;
    },
  };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;

// The build sees fake values of the server-side secrets, so the browser tests can prove none of
// them reaches the client bundles (lib/security/testing/canaries.json, e2e/auth.spec.ts).
const canaries = JSON.parse(readFileSync(join("lib", "security", "testing", "canaries.json"), "utf8"));
const buildSecrets = {
  SESSION_SECRET: canaries.SESSION_SECRET,
  AZURE_CLIENT_SECRET: canaries.AZURE_CLIENT_SECRET,
  AZURE_CLIENT_CERTIFICATE_PASSWORD: canaries.AZURE_CLIENT_CERTIFICATE_PASSWORD,
  DATABASE_URL: `postgres://posture:${canaries.DATABASE_PASSWORD}@127.0.0.1:1/posture`,
  PGPASSWORD: canaries.DATABASE_PASSWORD,
};
const build = buildIsCurrent() ? null : start("production build", [bin("next", "dist", "bin", "next"), "build"], buildSecrets);

// Types of everything, tests included (the production build checks only the app); lint (ESLint
// with Next's rules, no warnings allowed) and formatting (Prettier).
const tsc = start("type check (tsc)", [bin("typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]);
const lint = start("lint (eslint)", [bin("eslint", "bin", "eslint.js"), ".", "--max-warnings", "0"]);
const format = start("format (prettier --check)", [bin("prettier", "bin", "prettier.cjs"), "--check", "--log-level", "warn", "."]);
const tscStatus = await tsc.report();
if (tscStatus !== 0) failed += 1;
const lintStatus = await lint.report();
if (lintStatus !== 0) failed += 1;
const formatStatus = await format.report();
if (formatStatus !== 0) failed += 1;
const buildStatus = build ? await build.report() : 0;
if (buildStatus !== 0) {
  console.error("speech-posture: the build failed (see above); the browser tests cannot run.");
  failed += 1;
}

const vitestJson = join(results, "vitest.json");
const vitestStatus = run("unit and integration tests (vitest)", [
  bin("vitest", "vitest.mjs"),
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0);
} else failed += 1;
if (vitestStatus !== 0 && failed === 0) failed += 1;

rmSync(join("data", "e2e"), { recursive: true, force: true });
const pwJson = join(results, "playwright.json");
const pwStatus =
  buildStatus === 0
    ? run("browser tests (playwright, Debian chromium)", [bin("@playwright/test", "cli.js"), "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson })
    : 1;
const p = buildStatus === 0 ? readJson(pwJson) : undefined;
if (p?.stats) {
  passed += p.stats.expected ?? 0;
  failed += (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
} else if (buildStatus === 0) failed += 1;
if (pwStatus !== 0 && (p?.stats?.unexpected ?? 0) === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed (${elapsed()})`);
process.exit(failed > 0 || tscStatus !== 0 || lintStatus !== 0 || formatStatus !== 0 || buildStatus !== 0 || vitestStatus !== 0 || pwStatus !== 0 ? 1 : 0);
