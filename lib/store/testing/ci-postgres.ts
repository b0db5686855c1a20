/**
 * CI: starts one throwaway PostgreSQL cluster for the whole test run and prints its URL (the
 * server keeps running after this exits; CI ends it with the machine's session). Fails loudly
 * when the binaries are missing. Usage: export TEST_DATABASE_URL="$(node --import tsx lib/store/testing/ci-postgres.ts)"
 */
import { startCluster } from "./postgres-cluster";

const cluster = await startCluster({ fast: true });
process.stdout.write(`${cluster.url}\n`);
