import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
// The e2e server gets its own database, apart from the one `npm start` uses (scripts/test.mjs clears data/e2e).
const database = process.env.E2E_DATABASE_URL ?? `sqlite:data/e2e/run-${process.pid}.db`;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "off",
    launchOptions: {
      // Debian's Chromium; nothing is downloaded. The background-networking flags keep it off the closed network.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `node scripts/start.mjs --no-build --no-first-scan --port ${port} --state-dir data/e2e-emulator`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    // Three tenants with a Lighthouse delegation (e2e/tenants.spec.ts); the demo's own scanner still sees only the home one.
    env: { DATABASE_URL: database, SPEECH_POSTURE_EMULATOR_TENANTS: "3" },
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
