import { CollectionCancelledError } from "./errors";

/** A timer that rejects at once when the signal aborts, so cancellation never waits out a back-off. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CollectionCancelledError());
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    function onAbort() {
      clearTimeout(timer);
      reject(new CollectionCancelledError());
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CollectionCancelledError();
}
