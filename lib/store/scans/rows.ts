/** Deleting a scan's child rows: the one place that knows which tables hang off a scan. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/store/db/schema";

export async function deleteScanChildren(db: Kysely<Database> | Transaction<Database>, scanId: string | string[]): Promise<void> {
  const ids = Array.isArray(scanId) ? scanId : [scanId];
  if (ids.length === 0) return;
  await db.deleteFrom("findings").where("scan_id", "in", ids).execute();
  await db.deleteFrom("resources").where("scan_id", "in", ids).execute();
  await db.deleteFrom("scan_subscriptions").where("scan_id", "in", ids).execute();
}
