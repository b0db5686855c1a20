/**
 * The PostgreSQL server the store tests use: TEST_DATABASE_URL when set, else one throwaway
 * cluster shared by every test process of the run (a lock dir, a state file and one pid file per
 * user; the last user out stops it). Each test gets its own database in it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startCluster, stopClusterAt } from "./postgres-cluster";

const uid = typeof process.getuid === "function" ? process.getuid() : 0;
const SHARED = process.env.SPEECH_POSTURE_TEST_PG_DIR ?? join(tmpdir(), `speech-posture-test-pg-${uid}`);
const LOCK = join(SHARED, "lock");
const STATE = join(SHARED, "state.json");
const USERS = join(SHARED, "users");

interface SharedState {
  url: string;
  dir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(SHARED, { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A holder that died leaves the lock: take it over after two minutes (initdb takes seconds).
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (i > 3000) throw new Error(`Could not take the test PostgreSQL lock ${LOCK}`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function liveUsers(): number[] {
  if (!existsSync(USERS)) return [];
  const pids = readdirSync(USERS)
    .map(Number)
    .filter((n) => Number.isInteger(n));
  for (const pid of pids) if (!alive(pid)) rmSync(join(USERS, String(pid)), { force: true });
  return pids.filter(alive);
}

async function responds(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let registered: Promise<string> | undefined;

/** The admin URL of the server to test against (starts or joins the shared cluster). */
export function testPostgresUrl(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return Promise.resolve(process.env.TEST_DATABASE_URL);
  registered ??= withLock(async () => {
    let state: SharedState | undefined;
    if (existsSync(STATE)) {
      state = JSON.parse(readFileSync(STATE, "utf8")) as SharedState;
      if (!(await responds(state.url))) {
        stopClusterAt(state.dir);
        state = undefined;
      }
    }
    if (!state) {
      const cluster = await startCluster({ fast: true });
      state = { url: cluster.url, dir: cluster.dir };
      writeFileSync(STATE, JSON.stringify(state));
    }
    mkdirSync(USERS, { recursive: true });
    writeFileSync(join(USERS, String(process.pid)), "");
    return state.url;
  });
  return registered;
}

/** Leaves the shared cluster; the last process out stops it. */
export async function releaseTestPostgres(): Promise<void> {
  if (!registered || process.env.TEST_DATABASE_URL) return;
  registered = undefined;
  await withLock(async () => {
    rmSync(join(USERS, String(process.pid)), { force: true });
    if (liveUsers().length > 0 || !existsSync(STATE)) return;
    const state = JSON.parse(readFileSync(STATE, "utf8")) as SharedState;
    stopClusterAt(state.dir);
    rmSync(STATE, { force: true });
  });
}

/** A fresh, empty database on the test server; `drop` removes it. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sp_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
