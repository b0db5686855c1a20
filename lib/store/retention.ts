/** Keeping the newest N finished scans: older ones go, with their subscriptions, resources and findings. */
import { forgetFindingsIndex } from "./findings-index";
import { deleteScanChildren } from "./scan-rows";
import { TERMINAL_STATUSES } from "./scans";
import type { Store } from "./store";

/** Returns the IDs of the scans removed. Running scans are never touched and do not count. */
export async function applyRetention(store: Store, keep: number): Promise<string[]> {
  const old = await store.db
    .selectFrom("scans")
    .select("id")
    .where("status", "in", TERMINAL_STATUSES)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .offset(Math.max(keep, 0))
    .limit(1_000_000)
    .execute();
  const ids = old.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 200) {
    const part = ids.slice(i, i + 200);
    await store.db.transaction().execute(async (trx) => {
      await deleteScanChildren(trx, part);
      await trx.deleteFrom("scans").where("id", "in", part).where("status", "in", TERMINAL_STATUSES).execute();
    });
  }
  forgetFindingsIndex(store, ids);
  return ids;
}
