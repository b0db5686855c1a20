/**
 * `npx playwright test -c e2e/screenshots.config.ts`: captures the README screenshots
 * (docs/images/ui-*.png) from the demo tenant, with the same server as the browser tests.
 * Kept out of `npm test` so a test run never rewrites tracked files.
 */
import { defineConfig } from "@playwright/test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import base from "@/playwright.config";

const root = fileURLToPath(new URL("..", import.meta.url));
// A database of its own, fresh each time: the pictures show the demo tenant and nothing else.
const database = join(root, "data", "screenshots.db");
// (Workers load this file too: only the main process, before the server starts, removes it.)
if (process.env.TEST_WORKER_INDEX === undefined) for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${database}${suffix}`, { force: true });

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "screenshots.capture.ts",
  reporter: "list",
  webServer: Array.isArray(base.webServer)
    ? base.webServer
    : { ...base.webServer!, cwd: root, env: { ...(process.env as Record<string, string>), DATABASE_URL: database } },
});
