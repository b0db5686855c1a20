/**
 * A bounded-concurrency work queue that can be fed while it runs, so per-resource calls start as
 * soon as Resource Graph returns the first page of accounts.
 */
export class WorkPool {
  private running = 0;
  private readonly queue: (() => Promise<void>)[] = [];
  private idleWaiters: (() => void)[] = [];
  done = 0;
  total = 0;

  constructor(
    private readonly concurrency: number,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Queue a task; a task must not throw (record failures instead). */
  add(task: () => Promise<void>): void {
    this.total++;
    this.queue.push(task);
    this.pump();
  }

  /** Drop what has not started (on cancellation). */
  clear(): void {
    this.total -= this.queue.length;
    this.queue.length = 0;
    this.settleIfIdle();
  }

  /** Queue a task and wait for its own result (failures reach the caller, not the pool). */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.add(() => task().then(resolve, reject)));
  }

  whenIdle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running++;
      task()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.done++;
          this.onProgress?.(this.done, this.total);
          this.pump();
          this.settleIfIdle();
        });
    }
  }

  private settleIfIdle(): void {
    if (this.running === 0 && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
