// `npm test`: every test — unit and integration (Vitest), then browser journeys (Playwright in
// Debian's Chromium against the built app) — and one closing line "N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildIfNeeded } from "./build-if-needed.mjs";

const results = "test-results";
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name, ...parts) => join("node_modules", name, ...parts);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label, args, extraEnv = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return r.status ?? 1;
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

// Types of everything, tests included (the production build checks only the app).
const tscStatus = run("type check (tsc)", [bin("typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]);
if (tscStatus !== 0) failed += 1;

// Lint (ESLint with Next's rules, no warnings allowed) and formatting (Prettier).
const lintStatus = run("lint (eslint)", [bin("eslint", "bin", "eslint.js"), ".", "--max-warnings", "0"]);
if (lintStatus !== 0) failed += 1;
const formatStatus = run("format (prettier --check)", [bin("prettier", "bin", "prettier.cjs"), "--check", "--log-level", "warn", "."]);
if (formatStatus !== 0) failed += 1;

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

console.log("\n=== production build ===");
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
const savedEnv = { ...process.env };
Object.assign(process.env, buildSecrets);
buildIfNeeded();
process.env = savedEnv;

rmSync(join("data", "e2e"), { recursive: true, force: true });
const pwJson = join(results, "playwright.json");
const pwStatus = run("browser tests (playwright, Debian chromium)", [bin("@playwright/test", "cli.js"), "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
const p = readJson(pwJson);
if (p?.stats) {
  passed += p.stats.expected ?? 0;
  failed += (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
} else failed += 1;
if (pwStatus !== 0 && (p?.stats?.unexpected ?? 0) === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || tscStatus !== 0 || lintStatus !== 0 || formatStatus !== 0 || vitestStatus !== 0 || pwStatus !== 0 ? 1 : 0);
