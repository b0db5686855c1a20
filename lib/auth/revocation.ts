/**
 * Where sign-outs and token exchanges are remembered: in the store once the server has opened it
 * (so they hold across restarts and instances), and in this process in any case (at once, and
 * when no store is open, as in unit tests). A store that cannot answer counts as "revoked".
 */
import { createHash } from "node:crypto";
import type { Store } from "@/lib/store/store";
import { isSessionIdRevoked, recordTokenExchange, revokeSessionId } from "@/lib/store/revocations";

interface State {
  store?: Store;
  /** Session ID or token hash → expiry (seconds since the epoch). */
  revoked: Map<string, number>;
  exchanged: Map<string, number>;
}
// Process-wide: the proxy and the route handlers are separate bundles.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("speech-posture.sign-in-revocations")] ??= {
  revoked: new Map(),
  exchanged: new Map(),
}) as State;

/** The store to remember sign-outs and exchanged tokens in (the server's, once open). */
export function keepSignInStateIn(store: Store | undefined): void {
  state.store = store;
}

function prune(map: Map<string, number>): void {
  const now = Date.now() / 1000;
  for (const [k, exp] of map) if (exp < now) map.delete(k);
}

export async function revokeSessionById(sid: string, exp: number): Promise<void> {
  prune(state.revoked);
  state.revoked.set(sid, exp);
  if (state.store) await revokeSessionId(state.store, sid, exp);
}

export async function isSessionRevoked(sid: string): Promise<boolean> {
  if (state.revoked.has(sid)) return true;
  if (!state.store) return false;
  try {
    return await isSessionIdRevoked(state.store, sid);
  } catch {
    return true;
  }
}

/** Claims the one exchange an access token allows; false when it was exchanged before. */
export async function claimTokenExchange(token: string, exp: number): Promise<boolean> {
  const hash = createHash("sha256").update(token).digest("base64url");
  prune(state.exchanged);
  if (state.exchanged.has(hash)) return false;
  state.exchanged.set(hash, exp);
  return state.store ? recordTokenExchange(state.store, hash, exp) : true;
}

/** Tests: forget what this process remembers, as a restart would (the store keeps its rows). */
export function forgetProcessMemoryForTests(): void {
  state.revoked.clear();
  state.exchanged.clear();
}
