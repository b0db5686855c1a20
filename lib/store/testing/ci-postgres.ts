/**
 * CI: starts one throwaway PostgreSQL cluster for the whole test run and prints its URL; with
 * `stop`, stops the cluster a previous call started (its folder is remembered in data/). Fails
 * loudly when the binaries are missing.
 * Usage: export TEST_DATABASE_URL="$(node --import tsx lib/store/testing/ci-postgres.ts)"
 *        node --import tsx lib/store/testing/ci-postgres.ts stop
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { startCluster, stopClusterAt } from "./postgres-cluster";

const MARKER = "data/ci-postgres-dir";

if (process.argv[2] === "stop") {
  if (existsSync(MARKER)) {
    const dir = readFileSync(MARKER, "utf8").trim();
    stopClusterAt(dir);
    rmSync(dir, { recursive: true, force: true });
    rmSync(MARKER, { force: true });
  }
} else {
  const cluster = await startCluster({ fast: true });
  mkdirSync("data", { recursive: true });
  writeFileSync(MARKER, dirname(cluster.dataDir));
  process.stdout.write(`${cluster.url}\n`);
}
