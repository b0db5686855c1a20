/**
 * Sign-in state that must outlive one server process: sessions signed out before they expired,
 * and access tokens already exchanged for a session (by SHA-256, never the token). Rows are kept
 * until the session or token would have expired anyway, then pruned.
 */
import { isUniqueViolation } from "./errors";
import type { Store } from "./store";

const nowS = () => Math.floor(Date.now() / 1000);

export async function revokeSessionId(store: Store, sessionId: string, expiresAt: number): Promise<void> {
  await pruneRevocations(store);
  await store.db
    .insertInto("revoked_sessions")
    .values({ session_id: sessionId, expires_at: expiresAt })
    .onConflict((oc) => oc.column("session_id").doNothing())
    .execute();
}

export async function isSessionIdRevoked(store: Store, sessionId: string): Promise<boolean> {
  const row = await store.db.selectFrom("revoked_sessions").select("session_id").where("session_id", "=", sessionId).executeTakeFirst();
  return row !== undefined;
}

/** Records an exchange of the token with this hash; false when it was exchanged before (a replay). */
export async function recordTokenExchange(store: Store, tokenHash: string, expiresAt: number): Promise<boolean> {
  await pruneRevocations(store);
  try {
    await store.db.insertInto("exchanged_tokens").values({ token_hash: tokenHash, expires_at: expiresAt }).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Removes rows whose session or token has expired (they can do no harm any more). */
export async function pruneRevocations(store: Store, now = nowS()): Promise<void> {
  await store.db.deleteFrom("revoked_sessions").where("expires_at", "<", now).execute();
  await store.db.deleteFrom("exchanged_tokens").where("expires_at", "<", now).execute();
}
