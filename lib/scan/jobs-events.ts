/**
 * The event stream of one scan, for server-sent events: `progress` while it runs, one `done`
 * when it ends, then the stream ends. Local scans push through the in-process emitter; scans
 * running on another instance are seen by polling their database row, once per scan however
 * many streams follow it. Open streams are capped per user and in all (each holds a connection):
 * SPEECH_POSTURE_MAX_STREAMS_PER_USER (default 10) and SPEECH_POSTURE_MAX_STREAMS (default 200).
 */
import { getScan, type Scan } from "@/lib/store/scans/scans";
import { NotFoundError, sharedAcrossBundles } from "@/lib/store/errors";
import type { ScanJobs } from "./jobs";

export interface ScanProgressEvent {
  id: string;
  status: Scan["status"];
  phase: string | null;
  done: number;
  total: number;
  /** "queue": a worker runs it (queued means no worker has taken it yet). */
  runner: Scan["runner"];
}

export type ScanStreamEvent = { event: "progress"; data: ScanProgressEvent } | { event: "done"; data: Scan };

const isActive = (s: Scan) => s.status === "queued" || s.status === "running";
const progressOf = (s: Scan): ScanProgressEvent => ({ id: s.id, status: s.status, phase: s.phase, done: s.done, total: s.total, runner: s.runner });

export interface ScanEventsOptions {
  signal?: AbortSignal;
  /** How often to read the row (default 400 ms). */
  pollMs?: number;
  /** Who opens the stream, for the per-user cap (none: not counted). */
  user?: string;
}

/** More streams than the caps allow (429). */
export class TooManyStreamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TooManyStreamsError";
  }
}
sharedAcrossBundles(TooManyStreamsError, "TooManyStreamsError");

type Env = Record<string, string | undefined>;
const positive = (env: Env, name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export function streamLimits(env: Env = process.env): { perUser: number; total: number } {
  return { perUser: positive(env, "SPEECH_POSTURE_MAX_STREAMS_PER_USER", 10), total: positive(env, "SPEECH_POSTURE_MAX_STREAMS", 200) };
}

// Process-wide counts of open streams (every route bundle shares them).
const open = ((globalThis as Record<symbol, unknown>)[Symbol.for("speech-posture.open-streams")] ??= { total: 0, byUser: new Map<string, number>() }) as {
  total: number;
  byUser: Map<string, number>;
};

/** Takes one stream slot for `user`; returns its release (safe to call twice). */
function takeStreamSlot(user: string): () => void {
  const limits = streamLimits();
  const mine = open.byUser.get(user) ?? 0;
  if (mine >= limits.perUser) {
    throw new TooManyStreamsError(`You already follow ${mine} scans' progress (the limit is ${limits.perUser}); close some pages and try again.`);
  }
  if (open.total >= limits.total) throw new TooManyStreamsError(`The server already serves ${open.total} progress streams (the limit); try again later.`);
  open.total++;
  open.byUser.set(user, mine + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    open.total--;
    const left = (open.byUser.get(user) ?? 1) - 1;
    if (left > 0) open.byUser.set(user, left);
    else open.byUser.delete(user);
  };
}

/** Open streams: in all, and of one user. */
export function openStreams(user?: string): number {
  return user === undefined ? open.total : (open.byUser.get(user) ?? 0);
}

/** One poller per scan (per ScanJobs), shared by every stream that follows it. */
interface RowWatch {
  listeners: Set<(scan: Scan | undefined) => void>;
  timer: NodeJS.Timeout;
}
const watches = new WeakMap<ScanJobs, Map<string, RowWatch>>();

function watchRow(jobs: ScanJobs, scanId: string, pollMs: number, listener: (scan: Scan | undefined) => void): () => void {
  let byScan = watches.get(jobs);
  if (!byScan) watches.set(jobs, (byScan = new Map()));
  let watch = byScan.get(scanId);
  if (!watch) {
    const listeners = new Set<(scan: Scan | undefined) => void>();
    const timer = setInterval(async () => {
      let scan: Scan | undefined;
      try {
        scan = await getScan(jobs.store, scanId);
      } catch {
        return; // transient: try again at the next tick
      }
      for (const l of [...listeners]) l(scan);
    }, pollMs);
    watch = { listeners, timer };
    byScan.set(scanId, watch);
  }
  watch.listeners.add(listener);
  const w = watch;
  return () => {
    w.listeners.delete(listener);
    if (w.listeners.size === 0 && byScan.get(scanId) === w) {
      clearInterval(w.timer);
      byScan.delete(scanId);
    }
  };
}

/** How many scans this ScanJobs is polling the database for (tests). */
export function rowPollers(jobs: ScanJobs): number {
  return watches.get(jobs)?.size ?? 0;
}

/**
 * Throws NotFoundError before the first event if the scan does not exist, TooManyStreamsError
 * when `user` (or the server) already has as many streams open as allowed.
 */
export async function scanEvents(jobs: ScanJobs, scanId: string, options: ScanEventsOptions = {}): Promise<AsyncGenerator<ScanStreamEvent>> {
  const release = options.user === undefined ? () => undefined : takeStreamSlot(options.user);
  try {
    const first = await getScan(jobs.store, scanId);
    if (!first) throw new NotFoundError("Scan", scanId);
    // Freed when the stream ends, and when the client goes (a stream never iterated has no `finally`).
    options.signal?.addEventListener("abort", release, { once: true });
    return stream(jobs, first, options, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function* stream(jobs: ScanJobs, first: Scan, options: ScanEventsOptions, release: () => void): AsyncGenerator<ScanStreamEvent> {
  if (!isActive(first)) {
    try {
      yield { event: "done", data: first };
    } finally {
      release();
    }
    return;
  }
  const queue: ScanStreamEvent[] = [];
  let wake: (() => void) | undefined;
  const push = (e: ScanStreamEvent) => {
    queue.push(e);
    wake?.();
  };
  let lastKey = "";
  let finished = false;
  const offer = (p: ScanProgressEvent) => {
    const key = `${p.status}|${p.phase}|${p.done}|${p.total}`;
    if (key === lastKey) return;
    lastKey = key;
    push({ event: "progress", data: p });
  };
  const finish = (scan: Scan) => {
    if (finished) return;
    finished = true;
    push({ event: "done", data: scan });
  };
  const unsubscribe = jobs.subscribe(first.id, (e) => {
    if (e.type === "progress") offer({ id: first.id, status: "running", runner: first.runner, ...e.progress });
    else finish(e.scan);
  });
  const unwatch = watchRow(jobs, first.id, options.pollMs ?? 400, (scan) => {
    if (!scan) return finish({ ...first, status: "failed", error: "the scan was removed" });
    if (isActive(scan)) {
      // The local emitter is ahead of the row; only poll-driven updates for remote scans.
      if (!jobs.isLocal(scan.id)) offer(progressOf(scan));
    } else finish(scan);
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort);
  try {
    offer(progressOf(first));
    while (!options.signal?.aborted) {
      if (queue.length === 0) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      const e = queue.shift()!;
      yield e;
      if (e.event === "done") return;
    }
  } finally {
    unwatch();
    unsubscribe();
    options.signal?.removeEventListener("abort", onAbort);
    release();
  }
}

/** One event in the text/event-stream format. */
export function formatSse(e: ScanStreamEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
