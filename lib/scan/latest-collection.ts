/**
 * The server's most recent collection, kept in memory until scans are stored (the store issue
 * replaces this). Collected once on first use from the configured source.
 */
import { collect, type CollectResult } from "../azure/collect";
import { defaultSource, openTarget } from "./sources";

const cache = globalThis as unknown as { __speechPostureLatest?: Promise<CollectResult> };

export function latestCollection(): Promise<CollectResult> {
  if (!cache.__speechPostureLatest) {
    cache.__speechPostureLatest = (async () => {
      const opened = await openTarget(defaultSource());
      try {
        return await collect(opened.target);
      } finally {
        await opened.close();
      }
    })();
    // A failed collection is not cached: the next request tries again.
    cache.__speechPostureLatest.catch(() => {
      cache.__speechPostureLatest = undefined;
    });
  }
  return cache.__speechPostureLatest;
}
