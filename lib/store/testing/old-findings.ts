/**
 * Tests of migrations: puts a store's findings back in the layout versions before
 * 0016_compact_findings wrote (each row repeating its resource's ID, key, name, subscription and
 * kind), so a migration can be run again on rows as an older version left them.
 */
import { sql } from "kysely";
import type { Store } from "@/lib/store/store";

export async function restoreOldFindingsLayout(store: Store): Promise<void> {
  const { db, dialect } = store;
  const id = dialect === "postgres" ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
  await sql`create table findings_old (
    id ${id}, scan_id text not null, control_id text not null, resource_ord integer not null,
    resource_id text not null, resource_key text not null, resource_name text not null,
    subscription_id text not null, subscription_key text not null, severity text not null, status text not null,
    reason text, message text not null, evidence text not null, kind text not null, azure text,
    agreement text not null default 'not_collected')`.execute(db);
  await sql`insert into findings_old (id, scan_id, control_id, resource_ord, resource_id, resource_key, resource_name,
      subscription_id, subscription_key, severity, status, reason, message, evidence, kind, azure, agreement)
    select f.id, f.scan_id, f.control_id, f.resource_ord, coalesce(f.resource_id, r.resource_id), r.resource_key, r.name,
      coalesce(f.subscription_id, r.subscription_id), r.subscription_key, f.severity, f.status, f.reason, f.message,
      f.evidence, r.kind, f.azure, f.agreement
    from findings f join resources r on r.scan_id = f.scan_id and r.ord = f.resource_ord`.execute(db);
  if (dialect === "postgres") {
    await sql`select setval(pg_get_serial_sequence('findings_old', 'id'), (select coalesce(max(id), 0) + 1 from findings_old), false)`.execute(db);
  }
  await sql`drop table findings`.execute(db);
  await sql`alter table findings_old rename to findings`.execute(db);
  await sql`create index findings_scan_resource on findings (scan_id, resource_ord)`.execute(db);
}
