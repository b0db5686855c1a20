/**
 * `npx playwright test -c e2e/screenshots.config.ts`: captures the README screenshots
 * (docs/images/ui-*.png) from the demo tenant, with the same server as the browser tests.
 * Kept out of `npm test` so a test run never rewrites tracked files.
 */
import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import base from "../playwright.config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "screenshots.capture.ts",
  reporter: "list",
  webServer: Array.isArray(base.webServer) ? base.webServer : { ...base.webServer!, cwd: root },
});
