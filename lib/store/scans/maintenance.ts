/**
 * After a scan ends: retention, and fresh planner statistics. PostgreSQL's autovacuum would
 * analyze a large bulk load only eventually; until then the history queries (first-seen, resource
 * history) can get sequential-scan plans, so the tables are analyzed at once.
 */
import { sql } from "kysely";
import { applyRetention } from "./retention";
import { getSettings } from "@/lib/store/settings";
import type { Store } from "@/lib/store/store";

export async function afterScan(store: Store): Promise<{ removed: string[] }> {
  const removed = await applyRetention(store, (await getSettings(store)).retentionKeep);
  if (store.dialect === "postgres") await sql`analyze findings, resources, scans, scan_subscriptions`.execute(store.db);
  else await sql`pragma optimize`.execute(store.db);
  return { removed };
}
