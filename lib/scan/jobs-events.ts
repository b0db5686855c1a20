/**
 * The event stream of one scan, for server-sent events: `progress` while it runs, one `done`
 * when it ends, then the stream ends. Local scans push through the in-process emitter; scans
 * running on another instance are seen by polling their database row.
 */
import { getScan, type Scan } from "@/lib/store/scans/scans";
import { NotFoundError } from "@/lib/store/errors";
import type { ScanJobs } from "./jobs";

export interface ScanProgressEvent {
  id: string;
  status: Scan["status"];
  phase: string | null;
  done: number;
  total: number;
}

export type ScanStreamEvent = { event: "progress"; data: ScanProgressEvent } | { event: "done"; data: Scan };

const isActive = (s: Scan) => s.status === "queued" || s.status === "running";
const progressOf = (s: Scan): ScanProgressEvent => ({ id: s.id, status: s.status, phase: s.phase, done: s.done, total: s.total });

export interface ScanEventsOptions {
  signal?: AbortSignal;
  /** How often to read the row (default 400 ms). */
  pollMs?: number;
}

/** Throws NotFoundError before the first event if the scan does not exist. */
export async function scanEvents(jobs: ScanJobs, scanId: string, options: ScanEventsOptions = {}): Promise<AsyncGenerator<ScanStreamEvent>> {
  const first = await getScan(jobs.store, scanId);
  if (!first) throw new NotFoundError("Scan", scanId);
  return stream(jobs, first, options);
}

async function* stream(jobs: ScanJobs, first: Scan, options: ScanEventsOptions): AsyncGenerator<ScanStreamEvent> {
  if (!isActive(first)) {
    yield { event: "done", data: first };
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
    if (e.type === "progress") offer({ id: first.id, status: "running", ...e.progress });
    else finish(e.scan);
  });
  const poll = setInterval(async () => {
    try {
      const scan = await getScan(jobs.store, first.id);
      if (!scan) return finish({ ...first, status: "failed", error: "the scan was removed" });
      if (isActive(scan)) {
        // The local emitter is ahead of the row; only poll-driven updates for remote scans.
        if (!jobs.isLocal(scan.id)) offer(progressOf(scan));
      } else finish(scan);
    } catch {
      /* transient: try again at the next tick */
    }
  }, options.pollMs ?? 400);
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
    clearInterval(poll);
    unsubscribe();
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** One event in the text/event-stream format. */
export function formatSse(e: ScanStreamEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
