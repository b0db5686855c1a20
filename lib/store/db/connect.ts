/**
 * Opens the one query layer (Kysely) over SQLite (better-sqlite3, the default) or PostgreSQL (pg,
 * when the URL says postgres://). Nothing else in the store knows which driver is underneath,
 * except where a dialect difference is named in `Dialect`.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from "kysely";
import type { Database as SqliteDatabase, Statement as SqliteStatement } from "better-sqlite3";
import { pgBulkInsert, type BulkInsert } from "./pg-copy";
import type { Database } from "./schema";

export type Dialect = "sqlite" | "postgres";

export const DEFAULT_SQLITE_PATH = "./data/speech-posture.db";

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where it points, without credentials (for logs). */
  description: string;
  close(): Promise<void>;
  /** PostgreSQL only: COPY-based bulk loading for large scans. */
  bulkInsert?: BulkInsert;
  eachRow: EachRow;
}

/**
 * Runs a query and hands each row to `onRow` as an array of its values in the select's order,
 * without building one object per row: for reads of a whole large scan (1.8M rows), where row
 * objects cost more than the query. SQLite steps through the rows; PostgreSQL returns them all.
 * `onRow` is synchronous (a promise it returned would not be awaited). Not for use inside a
 * `store.db.transaction()` on SQLite: it waits for the one connection the transaction holds.
 */
export type EachRow = (query: CompiledQuery, onRow: (values: unknown[]) => void) => Promise<void>;

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** `url`: a postgres:// URL, a SQLite file path (optionally `sqlite:`/`file:` prefixed), or undefined for the default file. */
export async function connect(url?: string): Promise<Connection> {
  if (isPostgresUrl(url)) return connectPostgres(url);
  return connectSqlite(sqlitePath(url));
}

function sqlitePath(url: string | undefined): string {
  if (!url) return DEFAULT_SQLITE_PATH;
  return url.replace(/^(sqlite|file):(\/\/)?/i, "");
}

/**
 * One better-sqlite3 connection per file per process, shared by every Store opened on it: two
 * connections in one thread can deadlock (one waits on a lock the other holds across an await).
 */
const sqliteConnections = new Map<string, { db: Kysely<Database>; bulk: BulkInsert; eachRow: EachRow; refs: number }>();

async function connectSqlite(path: string): Promise<Connection> {
  const key = path === ":memory:" ? `:memory:${Math.random()}` : resolve(path);
  let shared = sqliteConnections.get(key);
  if (!shared) {
    const { db, database } = await openSqlite(path);
    shared = { db, bulk: sqliteBulkInsert(db, database), eachRow: sqliteEachRow(db, database), refs: 0 };
    sqliteConnections.set(key, shared);
  }
  shared.refs++;
  const entry = shared;
  let closed = false;
  return {
    db: entry.db,
    dialect: "sqlite",
    description: `sqlite:${path}`,
    bulkInsert: entry.bulk,
    eachRow: entry.eachRow,
    async close() {
      if (closed) return;
      closed = true;
      if (--entry.refs > 0) return;
      sqliteConnections.delete(key);
      await entry.db.destroy();
    },
  };
}

async function openSqlite(path: string): Promise<{ db: Kysely<Database>; database: SqliteDatabase }> {
  const { default: SQLite } = await import("better-sqlite3");
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new SQLite(path);
  // WAL lets readers in other processes read while a scan writes; busy_timeout waits out a writer.
  database.pragma("journal_mode = WAL");
  database.pragma("busy_timeout = 10000");
  database.pragma("synchronous = NORMAL");
  // 16 MB: a scan is written 500 accounts at a time, so a larger cache bought no measurable write
  // speed (20,000 accounts into a store holding 10,000: 11.0-12.3 s at 16 MB, 11.6-14.4 s at 64 MB),
  // while an export that reads the whole scan fills all of it (a 10,000-account JSON export peaked
  // at ~280 MB instead of ~317 MB).
  database.pragma("cache_size = -16384");
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), database };
}

/**
 * SQLite's bulk path: one prepared single-row INSERT run for every row in one transaction,
 * instead of preparing a 30,000-parameter statement per batch. It runs while holding Kysely's
 * connection, so no other query or transaction of this process interleaves with it.
 */
function sqliteBulkInsert(db: Kysely<Database>, database: SqliteDatabase): BulkInsert {
  const statements = new Map<string, SqliteStatement>();
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return (table, columns, rows) =>
    db.connection().execute(async () => {
      const text = `insert into ${ident(table)} (${columns.map(ident).join(", ")}) values (${columns.map(() => "?").join(", ")})`;
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = database.prepare(text)));
      const stmt = statement;
      database.transaction((all: readonly unknown[][]) => {
        for (const row of all) stmt.run(row);
      })(rows);
    });
}

/** Steps through the rows on Kysely's connection, so no other query of this process interleaves. */
function sqliteEachRow(db: Kysely<Database>, database: SqliteDatabase): EachRow {
  return (query, onRow) =>
    db.connection().execute(async () => {
      for (const values of database
        .prepare(query.sql)
        .raw(true)
        .iterate(query.parameters as unknown[]))
        onRow(values as unknown[]);
    });
}

async function connectPostgres(url: string): Promise<Connection> {
  const pg = await import("pg");
  const Pool = pg.default?.Pool ?? (pg as unknown as { Pool: typeof pg.Pool }).Pool;
  const types = pg.default?.types ?? (pg as unknown as { types: typeof pg.types }).types;
  const pool = new Pool({
    connectionString: url,
    max: 10,
    // count(*) and bigserial come back as int8; our numbers stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format as "text")) as typeof types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process.
  pool.on("error", (error) => console.error("speech-posture store: idle PostgreSQL client error:", error.message));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/[^@/]*@/, "//");
  const eachRow: EachRow = async (query, onRow) => {
    const result = await pool.query<unknown[]>({ text: query.sql, values: query.parameters as unknown[], rowMode: "array" });
    for (const values of result.rows) onRow(values);
  };
  return { db, dialect: "postgres", description: safe, close: () => db.destroy(), bulkInsert: pgBulkInsert(pool), eachRow };
}
