import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const ALL = ["lib/**/*.test.ts", "emulator/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"];
/**
 * Files that set process-wide state (the sign-in mode and other environment, the server's scan
 * jobs, module mocks): each gets fresh modules. Every other file shares its worker's modules with the files before it (no re-import
 * per file), which takes about a minute off `npm test` on two cores.
 */
const OWN_MODULES = [
  "app/api/_lib/route.test.ts",
  "app/api/alerts/alerts-api.test.ts",
  "app/api/api.test.ts",
  "lib/auth/config.test.ts",
  "lib/auth/verify.test.ts",
  "lib/scan/limits.test.ts",
  "lib/scan/reports.test.ts",
  "lib/security/proxy.test.ts",
  "lib/security/route-handlers.test.ts",
  "lib/security/session-route.test.ts",
];

export default defineConfig({
  // "@/…" is the repository root, as in tsconfig.json.
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("./", import.meta.url)) }] },
  test: {
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the CPUs: a single worker on two cores. Many tests
    // mostly wait (child processes, the emulator's latency, PostgreSQL), so two halve the wall time.
    maxWorkers: 2,
    // Route handlers run as the local demo (no sign-in, as on loopback); auth tests set their own mode.
    env: { AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" },
    projects: [
      { extends: true, test: { name: "shared", include: ALL, exclude: OWN_MODULES, isolate: false } },
      { extends: true, test: { name: "isolated", include: OWN_MODULES, isolate: true } },
    ],
  },
});
