/**
 * Sign-out and one-time token exchange survive a restart: they are kept in the store (both real
 * databases), so after the process forgets them a signed-out cookie is still refused and an
 * exchanged token still cannot be exchanged again, until they expire and are pruned.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, DATABASES, type TestDatabase } from "@/lib/store/testing/databases";
import { releaseTestPostgres } from "@/lib/store/testing/postgres";
import { pruneRevocations } from "@/lib/store/revocations";
import { claimTokenExchange, forgetProcessMemoryForTests, keepSignInStateIn } from "./revocation";
import { newSession, openSession, revokeSession, sealSession } from "./session";

const SECRET = "revocation-test-secret-0123456789abcdef-xyz";
const identity = (exp: number) => ({
  oid: "0b4c8e5e-7a0d-4c4e-9b1f-3f2a1c0d9e8b",
  tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  name: "Rita",
  upn: "rita@contoso.com",
  roles: ["Posture.Reader" as const],
  exp,
});

afterAll(async () => {
  keepSignInStateIn(undefined);
  await releaseTestPostgres();
});

describe.each(DATABASES)("sign-in revocations on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    keepSignInStateIn(undefined);
    await db.dispose();
  });

  it("a signed-out session stays refused after a restart", async () => {
    keepSignInStateIn(await db.open());
    const session = newSession(identity(Math.floor(Date.now() / 1000) + 600));
    const other = newSession(identity(Math.floor(Date.now() / 1000) + 600));
    const cookie = await sealSession(session, SECRET);
    expect(await openSession(cookie, SECRET)).not.toBeNull();
    await revokeSession(session);
    expect(await openSession(cookie, SECRET)).toBeNull();

    // A restart: the process forgets, a new store connection opens on the same database.
    forgetProcessMemoryForTests();
    keepSignInStateIn(await db.open());
    expect(await openSession(cookie, SECRET)).toBeNull();
    expect(await openSession(await sealSession(other, SECRET), SECRET)).not.toBeNull();
  });

  it("an access token is exchanged once, also across a restart", async () => {
    const store = await db.open();
    keepSignInStateIn(store);
    const exp = Math.floor(Date.now() / 1000) + 600;
    expect(await claimTokenExchange(`token-a-${kind}`, exp)).toBe(true);
    expect(await claimTokenExchange(`token-a-${kind}`, exp)).toBe(false);
    forgetProcessMemoryForTests();
    keepSignInStateIn(await db.open());
    expect(await claimTokenExchange(`token-a-${kind}`, exp)).toBe(false);
    expect(await claimTokenExchange(`token-b-${kind}`, exp)).toBe(true);
    // Only hashes are stored.
    const rows = await store.db.selectFrom("exchanged_tokens").select("token_hash").execute();
    expect(rows.map((r) => r.token_hash).join()).not.toContain("token-");
  });

  it("rows go once what they guard has expired", async () => {
    const store = await db.open();
    keepSignInStateIn(store);
    const past = Math.floor(Date.now() / 1000) - 10;
    await revokeSession({ sid: `old-${kind}`, exp: past });
    await claimTokenExchange(`old-token-${kind}`, past);
    await pruneRevocations(store);
    expect(await store.db.selectFrom("revoked_sessions").select("session_id").where("session_id", "=", `old-${kind}`).execute()).toEqual([]);
    expect(
      await store.db
        .selectFrom("exchanged_tokens")
        .select("token_hash")
        .where("expires_at", "<", past + 1)
        .execute(),
    ).toEqual([]);
  });
});
