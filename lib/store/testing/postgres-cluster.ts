/**
 * A throwaway PostgreSQL cluster for tests and the benchmark: initdb + pg_ctl on a free loopback
 * port in a temp dir (as the `postgres` user when we are root: PostgreSQL refuses to run as root).
 * Missing binaries are an error with a clear message, never a reason to skip.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Cluster {
  url: string;
  /** The temp dir holding data, socket and log. */
  dir: string;
  dataDir: string;
  port: number;
  stop(): void;
}

/** The directory holding initdb/pg_ctl: $PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(join(root, v, "bin"));
  }
  for (const p of (process.env.PATH ?? "").split(":")) if (p) candidates.push(p);
  const found = candidates.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
  if (!found) {
    throw new Error(
      "PostgreSQL binaries (initdb, pg_ctl) were not found in $PG_BIN, /usr/lib/postgresql/*/bin or PATH. " +
        "Install them (Debian: apt-get install postgresql) or set TEST_DATABASE_URL to a server the tests may use.",
    );
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function runPg(bin: string, tool: string, args: string[]): string {
  const file = join(bin, tool);
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  try {
    return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

export interface StartClusterOptions {
  /** Test settings (fsync off) trade durability for speed; the benchmark keeps the defaults. */
  fast?: boolean;
}

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const bin = findPostgresBin();
  if (isRoot()) {
    try {
      postgresIds();
    } catch {
      throw new Error("Running as root, but there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses to run as root).");
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "speech-posture-pg-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "server.log");
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  runPg(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"]);
  const port = await freePort();
  const settings = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c max_connections=200"];
  if (options.fast) settings.push("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
  runPg(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-o", settings.join(" "), "-w", "-t", "60", "start"]);
  writeFileSync(join(dir, "port"), String(port));
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    dataDir,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      stopClusterAt(dir);
    },
  };
}

/** Stops the cluster whose temp dir is `dir` (made by startCluster) and removes the dir. */
export function stopClusterAt(dir: string): void {
  try {
    runPg(findPostgresBin(), "pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
  } catch {
    /* already stopped */
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
