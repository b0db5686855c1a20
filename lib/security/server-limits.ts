/**
 * Time-outs on the HTTP server itself (Next.js's `next start` offers no option for them): a
 * client gets SPEECH_POSTURE_HEADERS_TIMEOUT_MS (default 15 s) to send its headers and
 * SPEECH_POSTURE_REQUEST_TIMEOUT_MS (default 60 s) to send its whole request, body included,
 * instead of Node's 60 s and 300 s, so stalled uploads do not hold connections and memory for
 * minutes. Node checks them every 30 s. Answers (downloads, progress streams) are not limited.
 */
import type { Server } from "node:net";

type Env = Record<string, string | undefined>;

function ms(env: Env, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

export function serverTimeouts(env: Env = process.env): { headersTimeout: number; requestTimeout: number } {
  const requestTimeout = ms(env, "SPEECH_POSTURE_REQUEST_TIMEOUT_MS", 60_000);
  // Node requires headersTimeout <= requestTimeout.
  return { headersTimeout: Math.min(ms(env, "SPEECH_POSTURE_HEADERS_TIMEOUT_MS", 15_000), requestTimeout), requestTimeout };
}

/** Applies the time-outs to every HTTP(S) server among `servers`. */
export function applyServerTimeouts(servers: readonly Server[], env: Env = process.env): number {
  const { headersTimeout, requestTimeout } = serverTimeouts(env);
  let applied = 0;
  for (const server of servers) {
    if (!("requestTimeout" in server)) continue; // not an HTTP server
    Object.assign(server, { headersTimeout, requestTimeout });
    applied++;
  }
  return applied;
}
