/**
 * Scans left behind by a process that died: marked failed and their partial rows removed, so no
 * reader ever sees half a scan and the scope is free again. Run at store open and periodically.
 */
import { hostname } from "node:os";
import { LIVE_INSTANCES, type Store } from "@/lib/store/handle";
import { deleteScanChildren } from "./rows";

export const INTERRUPTED_MESSAGE = "interrupted: the server stopped during the scan";

/** Whether the process named by `owner` (`host:pid:uuid`) is certainly gone. */
export function ownerIsDead(owner: string | null, self: string): boolean {
  if (!owner || owner === self) return false;
  const [host, pidText] = owner.split(":");
  if (host !== hostname()) return false; // another machine: only its heartbeat can tell
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Our own PID: alive if a store of this process has that instance ID; else an earlier
  // incarnation whose PID was reused (containers restart with the same low PIDs).
  if (pid === process.pid) return !LIVE_INSTANCES.has(owner);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Returns the IDs of the scans it marked failed. */
export async function recoverInterrupted(store: Store): Promise<string[]> {
  const now = store.now();
  const staleBefore = new Date(now.getTime() - store.staleAfterMs).toISOString();
  const active = await store.db
    .selectFrom("scans")
    .select(["id", "owner", "heartbeat_at", "created_at"])
    .where("status", "in", ["queued", "running"])
    // A queued scan's jobs belong to pg-boss: a dead worker's job expires and is retried there.
    .where("runner", "=", "local")
    .execute();
  const recovered: string[] = [];
  for (const scan of active) {
    const last = scan.heartbeat_at ?? scan.created_at;
    const stale = last < staleBefore && scan.owner !== store.instanceId;
    if (!stale && !ownerIsDead(scan.owner, store.instanceId)) continue;
    const done = await store.db.transaction().execute(async (trx) => {
      // Conditional: the owner may have finished it in the meantime.
      const r = await trx
        .updateTable("scans")
        .set({ status: "failed", error: INTERRUPTED_MESSAGE, active_scope: null, finished_at: now.toISOString(), ended_at: now.toISOString() })
        .where("id", "=", scan.id)
        .where("status", "in", ["queued", "running"])
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await deleteScanChildren(trx, scan.id);
      return true;
    });
    if (done) recovered.push(scan.id);
  }
  return recovered;
}
