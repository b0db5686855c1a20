/** Request counters for tests and benchmarks. */
import type { Surface } from "./faults";

export interface CallerStats {
  arg: number;
  arm: number;
  speech: number;
  arg429: number;
}

export interface EmulatorStats {
  requests: number;
  argRequests: number;
  /** 429s from the Resource Graph quota (not from an injected throttle storm). */
  arg429: number;
  armRequests: number;
  speechRequests: number;
  /** Largest `subscriptions` list in one Resource Graph request (0 if only tenant-scope queries). */
  argMaxSubscriptionsPerRequest: number;
  argRowsReturned: number;
  argCacheHits: number;
  /** Responses by HTTP status. */
  status: Record<number, number>;
  /** By caller (the bearer token, or a JWT's oid). */
  byCaller: Record<string, CallerStats>;
  inFlight: number;
  maxInFlight: number;
}

export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    argRequests: 0,
    arg429: 0,
    armRequests: 0,
    speechRequests: 0,
    argMaxSubscriptionsPerRequest: 0,
    argRowsReturned: 0,
    argCacheHits: 0,
    status: {},
    byCaller: {},
    inFlight: 0,
    maxInFlight: 0,
  };
}

export function countRequest(stats: EmulatorStats, surface: Surface | undefined): void {
  stats.requests++;
  if (surface === "arg") stats.argRequests++;
  if (surface === "arm") stats.armRequests++;
  if (surface === "speech") stats.speechRequests++;
}

export function countCaller(stats: EmulatorStats, caller: string, surface: Surface): CallerStats {
  const c = (stats.byCaller[caller] ??= { arg: 0, arm: 0, speech: 0, arg429: 0 });
  c[surface]++;
  return c;
}

/** A deep copy, so callers can keep snapshots while the server keeps counting. */
export function copyStats(stats: EmulatorStats): EmulatorStats {
  return structuredClone(stats);
}
