import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // "@/…" is the repository root, as in tsconfig.json.
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("./", import.meta.url)) }] },
  test: {
    include: ["lib/**/*.test.ts", "emulator/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Route handlers run as the local demo (no sign-in, as on loopback); auth tests set their own mode.
    env: { AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" },
  },
});
