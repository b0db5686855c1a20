/**
 * Resource Graph's quota shared through the store: every job that signs in as one principal (on
 * any worker) takes its requests from one window row, so together they never exceed what Azure
 * allows that principal (15 requests per 5 seconds by default, azure-facts §10). A window is a
 * fixed one, as Azure's is; Azure's own `x-ms-user-quota-*` figures only ever shrink it.
 * Times are epoch milliseconds from the workers' clocks (kept in step by NTP; a skew costs a 429
 * that the reader's back-off absorbs, never a wrong result).
 */
import { sql } from "kysely";
import { sleep } from "@/lib/azure/sleep";
import type { QuotaGate } from "@/lib/azure/target";
import type { Store } from "@/lib/store/store";

export interface QuotaLimits {
  requests: number;
  windowMs: number;
}

export const RESOURCE_GRAPH_QUOTA: QuotaLimits = { requests: 15, windowMs: 5000 };

/** Takes one request from the principal's window; undefined when it may go now, else when the window ends. */
async function take(store: Store, principal: string, limits: QuotaLimits): Promise<number | undefined> {
  const now = Date.now();
  const fresh = now + limits.windowMs;
  const taken = await sql<{ remaining: number }>`
    insert into resource_graph_quota (principal, window_ends_at, remaining) values (${principal}, ${fresh}, ${limits.requests - 1})
    on conflict (principal) do update set
      remaining = case when resource_graph_quota.window_ends_at <= ${now} then ${limits.requests - 1} else resource_graph_quota.remaining - 1 end,
      window_ends_at = case when resource_graph_quota.window_ends_at <= ${now} then ${fresh} else resource_graph_quota.window_ends_at end
    where resource_graph_quota.window_ends_at <= ${now} or resource_graph_quota.remaining > 0
    returning remaining`.execute(store.db);
  if (taken.rows.length > 0) return undefined;
  const row = await store.db.selectFrom("resource_graph_quota").select("window_ends_at").where("principal", "=", principal).executeTakeFirst();
  return row ? Number(row.window_ends_at) : now;
}

export function sharedQuotaGate(store: Store, principal: string, limits: QuotaLimits = RESOURCE_GRAPH_QUOTA): QuotaGate {
  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const endsAt = await take(store, principal, limits);
        if (endsAt === undefined) return;
        await sleep(Math.max(25, endsAt - Date.now() + 25), signal);
      }
    },
    async note(remaining, resetsInMs) {
      if (resetsInMs === undefined) return;
      const endsAt = Date.now() + resetsInMs;
      // A late answer from an earlier window (Azure's ends well before ours) says nothing of this one.
      await sql`
        update resource_graph_quota set
          remaining = case when remaining > ${remaining} and window_ends_at <= ${endsAt + 1000} then ${remaining} else remaining end,
          window_ends_at = case when window_ends_at < ${endsAt} then ${endsAt} else window_ends_at end
        where principal = ${principal}`.execute(store.db);
    },
  };
}
