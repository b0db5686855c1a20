/**
 * `store.eachRow` against both real databases: every row of the query, in its order, as an array
 * of the selected values in the select's order (numbers as numbers), parameters bound; and it
 * shares the connection with other queries without interleaving.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";

afterAll(() => releaseDatabases());

describe.each(DATABASES)("eachRow on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    const at = "2026-12-03T10:00:00.000Z";
    for (const [i, actor] of ["carol", "alice", "bob", "dave"].entries()) {
      await store.db
        .insertInto("audit_events")
        .values({ at, actor, action: i % 2 === 0 ? "even" : "odd", target: `t-${i}`, details: i === 3 ? null : `{"n":${i}}` })
        .execute();
    }
  });
  afterAll(() => tdb?.dispose());

  it("hands every row over as its values in the select's order, in the query's order, with parameters bound", async () => {
    const query = store.db
      .selectFrom("audit_events")
      .select(["actor", "target", "details"])
      .select(sql<number>`length(actor)`.as("len"))
      .where("action", "=", "even")
      .orderBy("actor")
      .compile();
    const rows: unknown[][] = [];
    await store.eachRow(query, (values) => rows.push(values));
    expect(rows).toEqual([
      ["bob", "t-2", '{"n":2}', 3],
      ["carol", "t-0", '{"n":0}', 5],
    ]);
    // The same rows as Kysely reads them, value for value.
    const objects = await store.db.selectFrom("audit_events").select(["actor", "target", "details"]).where("action", "=", "odd").orderBy("actor").execute();
    const odd: unknown[][] = [];
    await store.eachRow(
      store.db.selectFrom("audit_events").select(["actor", "target", "details"]).where("action", "=", "odd").orderBy("actor").compile(),
      (v) => odd.push(v),
    );
    expect(odd).toEqual(objects.map((o) => [o.actor, o.target, o.details]));
    expect(odd.map((r) => r[2])).toEqual(['{"n":1}', null]);
  });

  it("gives a count (a 64-bit integer on PostgreSQL) as a number", async () => {
    const counted: unknown[][] = [];
    await store.eachRow(
      store.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll().as("n"))
        .compile(),
      (v) => counted.push(v),
    );
    expect(counted).toEqual([[4]]);
  });

  it("hands over nothing for no rows, and an error in a row's handler ends the read with that error", async () => {
    const none: unknown[][] = [];
    await store.eachRow(store.db.selectFrom("audit_events").select("actor").where("action", "=", "none").compile(), (v) => none.push(v));
    expect(none).toEqual([]);
    await expect(
      store.eachRow(store.db.selectFrom("audit_events").select("actor").compile(), () => {
        throw new Error("stop here");
      }),
    ).rejects.toThrow("stop here");
    // The connection is still usable afterwards.
    expect((await store.db.selectFrom("audit_events").select("actor").execute()).length).toBe(4);
  });

  it("runs beside other queries of the same store without mixing their rows", async () => {
    const read: unknown[][] = [];
    const [others] = await Promise.all([
      store.db.selectFrom("audit_events").select("target").orderBy("target").execute(),
      store.eachRow(store.db.selectFrom("audit_events").select("actor").orderBy("actor").compile(), (v) => read.push(v)),
    ]);
    expect(others.map((o) => o.target)).toEqual(["t-0", "t-1", "t-2", "t-3"]);
    expect(read).toEqual([["alice"], ["bob"], ["carol"], ["dave"]]);
  });
});
