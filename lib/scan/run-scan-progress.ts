/**
 * Progress of one running scan: every update reaches local listeners at once; the database row
 * (which other instances poll) is written at a bounded rate, and a heartbeat keeps it fresh even
 * when nothing moves. The heartbeat also carries cancellation requests made on other instances.
 */
import { touchScan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export interface ProgressOptions {
  /** Minimum time between progress writes (default 500 ms). */
  intervalMs?: number;
  /** Heartbeat period (default 2 s). */
  heartbeatMs?: number;
  onLocal?: (p: Progress) => void;
  onCancelRequested?: () => void;
}

export class ProgressWriter {
  private latest: Progress | undefined;
  private written: Progress | undefined;
  private lastWrite = 0;
  private trailing: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly scanId: string,
    private readonly options: ProgressOptions = {},
  ) {
    this.heartbeat = setInterval(() => this.write(), options.heartbeatMs ?? 2000);
    this.heartbeat.unref();
  }

  report(p: Progress): void {
    if (this.stopped) return;
    this.latest = { ...p };
    this.options.onLocal?.(this.latest);
    const interval = this.options.intervalMs ?? 500;
    const since = Date.now() - this.lastWrite;
    // A new phase is written at once (there are few); counters at most once per interval.
    if (this.written?.phase !== p.phase || since >= interval) this.write();
    else if (!this.trailing) {
      this.trailing = setTimeout(() => this.write(), interval - since);
      this.trailing.unref();
    }
  }

  private write(): Promise<void> {
    if (this.stopped) return this.writing;
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastWrite = Date.now();
    const p = this.latest;
    this.written = p;
    this.writing = this.writing
      .then(() => touchScan(this.store, this.scanId, p))
      .then((r) => {
        if (r.cancelRequested) this.options.onCancelRequested?.();
      })
      .catch((error) => console.error(`speech-posture: could not record progress of scan ${this.scanId}:`, error instanceof Error ? error.message : error));
    return this.writing;
  }

  /** Stops timers; waits for the write in flight (the scan's final state is written by its end). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.trailing) clearTimeout(this.trailing);
    await this.writing;
  }
}
