/**
 * Keeping the newest N succeeded scans: older ones go, with their subscriptions, resources and
 * findings. Failed and cancelled scans are kept apart (their newest N), so a run of failures never
 * pushes good history out. Each removal is recorded in the audit trail.
 */
import { recordAudit } from "@/lib/store/audit";
import { deleteScanChildren } from "./rows";
import { TERMINAL_STATUSES } from "./scans";
import type { Store } from "@/lib/store/store";

/** Returns the IDs of the scans removed. Running scans are never touched and do not count. */
export async function applyRetention(store: Store, keep: number): Promise<string[]> {
  const beyond = (statuses: readonly string[]) =>
    store.db
      .selectFrom("scans")
      .select("id")
      .where("status", "in", statuses as never)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .offset(Math.max(keep, 0))
      .limit(1_000_000)
      .execute();
  const [succeeded, unsuccessful] = await Promise.all([beyond(["succeeded"]), beyond(TERMINAL_STATUSES.filter((s) => s !== "succeeded"))]);
  const ids = [...succeeded, ...unsuccessful].map((r) => r.id);
  for (let i = 0; i < ids.length; i += 200) {
    const part = ids.slice(i, i + 200);
    await store.db.transaction().execute(async (trx) => {
      await deleteScanChildren(trx, part);
      await trx.deleteFrom("scans").where("id", "in", part).where("status", "in", TERMINAL_STATUSES).execute();
    });
  }
  store.cache.forgetScans(ids);
  if (ids.length > 0) {
    await recordAudit(store, {
      actor: "retention",
      action: "scans.removed",
      details: { keep, succeeded: succeeded.length, failedOrCancelled: unsuccessful.length, scans: ids.slice(0, 50).join(" ") + (ids.length > 50 ? " …" : "") },
    });
  }
  return ids;
}
