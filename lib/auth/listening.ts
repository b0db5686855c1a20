/**
 * The addresses this process's servers actually listen on, read from the listening sockets
 * after `listen` (not from the options that asked for them: `next start -H a -H b` binds to the
 * last). Recorded once at start (instrumentation.ts) for the sign-in settings to check.
 */
import { Server } from "node:net";

/** Every listening server's address (`0.0.0.0`, `::`, `127.0.0.1` …; a Unix socket's path). */
export function listeningAddresses(): string[] {
  // Node offers no public list of servers; this internal one has been stable since Node 0.x.
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  const out: string[] = [];
  for (const h of handles) {
    if (!(h instanceof Server) || !h.listening) continue;
    const a = h.address();
    if (a) out.push(typeof a === "string" ? a : a.address);
  }
  return out;
}

/** Listening HTTP servers, for settings only the server object has (time-outs). */
export function listeningServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter((h): h is Server => h instanceof Server && h.listening);
}

const KEY = Symbol.for("speech-posture.listen-addresses");

export function recordListenAddresses(addresses: string[]): void {
  (globalThis as Record<symbol, unknown>)[KEY] = addresses;
}

/** What was recorded at start, or (inside the Next.js server, before that) what is listening now; [] elsewhere. */
export function boundAddresses(): string[] {
  const recorded = (globalThis as Record<symbol, unknown>)[KEY] as string[] | undefined;
  if (recorded) return recorded;
  return process.env.NEXT_RUNTIME === "nodejs" ? listeningAddresses() : [];
}
