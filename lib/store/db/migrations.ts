/**
 * Schema migrations, kept in code (no files to ship next to a bundled server) and run by Kysely's
 * Migrator on every start; the Migrator's lock keeps two instances from migrating at once.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Dialect } from "./connect";
import type { Database } from "./schema";

/** The code migrations by name (tests re-run one on rows an older version wrote). */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const autoId = dialect === "postgres" ? "bigserial" : "integer";
  return {
    "0001_initial": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("scans")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("source", "text", (c) => c.notNull())
          .addColumn("scope_key", "text", (c) => c.notNull())
          .addColumn("requested_subscriptions", "text")
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("phase", "text")
          .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("error", "text")
          .addColumn("started_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("started_at", "text")
          .addColumn("finished_at", "text")
          .addColumn("heartbeat_at", "text")
          .addColumn("owner", "text")
          .addColumn("active_scope", "text")
          .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("tenant_id", "text")
          .addColumn("collected_at", "text")
          .addColumn("summary", "text")
          .addColumn("result_sha256", "text")
          .addColumn("errors", "text")
          .addColumn("stats", "text")
          .execute();
        // The DB-enforced "one scan per scope": NULLs (finished scans) never collide.
        await db.schema.createIndex("scans_active_scope").unique().on("scans").column("active_scope").execute();
        await db.schema.createIndex("scans_status_created").on("scans").columns(["status", "created_at"]).execute();

        await db.schema
          .createTable("scan_subscriptions")
          .addColumn("scan_id", "text", (c) => c.notNull())
          .addColumn("subscription_key", "text", (c) => c.notNull())
          .addColumn("subscription_id", "text", (c) => c.notNull())
          .addColumn("display_name", "text")
          .addColumn("state", "text")
          .addColumn("score", "integer")
          .addColumn("resources", "integer", (c) => c.notNull())
          .addColumn("counts", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("scan_subscriptions_pk", ["scan_id", "subscription_key"])
          .execute();

        await db.schema
          .createTable("resources")
          .addColumn("scan_id", "text", (c) => c.notNull())
          .addColumn("ord", "integer", (c) => c.notNull())
          .addColumn("resource_key", "text", (c) => c.notNull())
          .addColumn("resource_id", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("location", "text")
          .addColumn("subscription_id", "text", (c) => c.notNull())
          .addColumn("subscription_key", "text", (c) => c.notNull())
          .addColumn("resource_group", "text")
          .addColumn("score", "integer")
          .addColumn("tags", "text", (c) => c.notNull())
          .addColumn("documents", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("resources_pk", ["scan_id", "resource_key"])
          .execute();
        // One resource across scans.
        await db.schema.createIndex("resources_key").on("resources").columns(["resource_key", "scan_id"]).execute();

        await db.schema
          .createTable("findings")
          .addColumn("id", autoId, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn("scan_id", "text", (c) => c.notNull())
          .addColumn("control_id", "text", (c) => c.notNull())
          .addColumn("resource_ord", "integer", (c) => c.notNull())
          .addColumn("resource_id", "text", (c) => c.notNull())
          .addColumn("resource_key", "text", (c) => c.notNull())
          .addColumn("resource_name", "text", (c) => c.notNull())
          .addColumn("subscription_id", "text", (c) => c.notNull())
          .addColumn("subscription_key", "text", (c) => c.notNull())
          .addColumn("severity", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("reason", "text")
          .addColumn("message", "text", (c) => c.notNull())
          .addColumn("evidence", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .execute();
        // The only findings index, kept compact so a 180,000-finding scan writes fast: one scan's
        // findings (load, delete) and one resource's findings in a scan (history and first-seen
        // go resources_key → (scan_id, ord) → here).
        await db.schema.createIndex("findings_scan_resource").on("findings").columns(["scan_id", "resource_ord"]).execute();

        await db.schema
          .createTable("exceptions")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("control_id", "text")
          .addColumn("subscription_id", "text")
          .addColumn("resource_id", "text")
          .addColumn("tag_name", "text")
          .addColumn("tag_value", "text")
          .addColumn("owner", "text", (c) => c.notNull())
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("expires_at", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("removed_at", "text")
          .addColumn("removed_by", "text")
          .execute();

        await db.schema
          .createTable("audit_events")
          .addColumn("id", autoId, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("target", "text")
          .addColumn("details", "text")
          .execute();
        await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();

        await db.schema
          .createTable("settings")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();

        await db.schema
          .createTable("schedule_claims")
          .addColumn("occurrence", "text", (c) => c.primaryKey())
          .addColumn("claimed_by", "text", (c) => c.notNull())
          .addColumn("claimed_at", "text", (c) => c.notNull())
          .addColumn("scan_id", "text")
          .execute();
      },
    },
    "0002_scan_subscription_scores": {
      // The trend reads one compact column per scan instead of one row per scan × subscription.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("scans").addColumn("subscription_scores", "text").execute();
      },
    },
    "0003_subscription_coverage": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("scan_subscriptions").addColumn("coverage", "text").execute();
      },
    },
    "0004_scan_ended_at": {
      // finished_at is the result's own time; durations shown run to when the results were stored.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("scans").addColumn("ended_at", "text").execute();
      },
    },
    "0005_scan_export_sha256": {
      // A report prints its scan's export hash; stored, it spares reading a whole large scan to hash it.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("scans").addColumn("export_sha256", "text").execute();
      },
    },
    "0006_resource_key_idkey": {
      // Resource keys are `idKey`s, as every lookup computes them: no trailing slash ("…/x/" is "…/x").
      async up(db: Kysely<unknown>) {
        for (const table of ["resources", "findings"]) {
          await sql`update ${sql.table(table)} set resource_key = rtrim(resource_key, '/') where resource_key like '%/' and resource_key <> '/'`.execute(db);
        }
      },
    },
    "0007_finding_azure_verdicts": {
      // Azure Policy's and Defender's verdict beside ours; older scans did not collect them.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("findings")
          .addColumn("agreement", "text", (c) => c.notNull().defaultTo("not_collected"))
          .execute();
        await db.schema.alterTable("findings").addColumn("azure", "text").execute();
      },
    },
    "0008_sign_in_revocations": {
      // Sign-out and one-time token exchange must hold across restarts and instances; rows go once expired.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("revoked_sessions")
          .addColumn("session_id", "text", (c) => c.primaryKey())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("exchanged_tokens")
          .addColumn("token_hash", "text", (c) => c.primaryKey())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .execute();
      },
    },
    "0009_scan_catalog_version": {
      // The catalogue version a scan was judged with: its verdicts keep their meaning after an upgrade.
      // Scans stored before this column were judged with version 1 (read back as 1 when null).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("scans").addColumn("catalog_version", "integer").execute();
      },
    },
    "0010_alerts": {
      // Alert destinations (their URLs and secrets are never read back to a browser), rules, the
      // claim that makes each event go once to each destination, and every delivery attempt.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("alert_destinations")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("url", "text", (c) => c.notNull())
          .addColumn("hmac_secret", "text")
          .addColumn("ca_pem", "text")
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("alert_rules")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("condition", "text", (c) => c.notNull())
          .addColumn("destination_ids", "text", (c) => c.notNull())
          .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("alert_sends")
          .addColumn("event_key", "text", (c) => c.notNull())
          .addColumn("destination_id", "text", (c) => c.notNull())
          .addColumn("rule_id", "text", (c) => c.notNull())
          .addColumn("claimed_by", "text", (c) => c.notNull())
          .addColumn("claimed_at", "text", (c) => c.notNull())
          .addColumn("outcome", "text")
          .addColumn("finished_at", "text")
          .addPrimaryKeyConstraint("alert_sends_pk", ["event_key", "destination_id"])
          .execute();
        await db.schema
          .createTable("alert_deliveries")
          .addColumn("id", autoId, (c) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("event_key", "text", (c) => c.notNull())
          .addColumn("title", "text", (c) => c.notNull())
          .addColumn("rule_id", "text")
          .addColumn("rule_name", "text")
          .addColumn("destination_id", "text", (c) => c.notNull())
          .addColumn("destination_name", "text", (c) => c.notNull())
          .addColumn("destination_kind", "text", (c) => c.notNull())
          .addColumn("delivery_id", "text", (c) => c.notNull())
          .addColumn("attempt", "integer", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("will_retry", "integer", (c) => c.notNull())
          .addColumn("http_status", "integer")
          .addColumn("error", "text")
          .addColumn("response_excerpt", "text")
          .addColumn("duration_ms", "integer", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("alert_deliveries_at").on("alert_deliveries").column("at").execute();
      },
    },
    "0011_exception_edits": {
      // Exceptions are edited and renewed in place (the audit trail keeps old → new): who changed one last, when.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("exceptions").addColumn("updated_at", "text").execute();
        await db.schema.alterTable("exceptions").addColumn("updated_by", "text").execute();
      },
    },
    "0012_scan_origin": {
      // An uploaded snapshot is marked as an import and, unless the uploader says so, does not become
      // the latest posture. Imports stored before this kept the role they had: they stay in the posture.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("scans")
          .addColumn("origin", "text", (c) => c.notNull().defaultTo("collected"))
          .execute();
        await db.schema
          .alterTable("scans")
          .addColumn("in_posture", "integer", (c) => c.notNull().defaultTo(1))
          .execute();
        await sql`update scans set origin = 'import' where source = 'snapshot'`.execute(db);
        await db.schema.createIndex("scans_posture_finished").on("scans").columns(["status", "in_posture", "finished_at"]).execute();
      },
    },
    "0013_targets_and_tenants": {
      // Scan targets (one per tenant; only references to secrets), each subscription's own tenant in a
      // scan (a Lighthouse-delegated one is reported under its customer's), and exceptions scoped to a tenant.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("targets")
          .addColumn("tenant_id", "text", (c) => c.primaryKey())
          .addColumn("display_name", "text", (c) => c.notNull())
          .addColumn("credential", "text", (c) => c.notNull())
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("exclude", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .addColumn("updated_by", "text", (c) => c.notNull())
          .execute();
        await db.schema.alterTable("scan_subscriptions").addColumn("tenant_id", "text").execute();
        await db.schema.alterTable("exceptions").addColumn("tenant_id", "text").execute();
      },
    },
    "0014_scan_queue": {
      // Scans run as pg-boss jobs (PostgreSQL): which runner owns a scan (the heartbeat sweep leaves a
      // queued scan to pg-boss's expiry), each job's part of a scan until the scan is stored, and the
      // Resource Graph quota window shared by every job signing in as one principal.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("scans")
          .addColumn("runner", "text", (c) => c.notNull().defaultTo("local"))
          .execute();
        await db.schema
          .createTable("scan_parts")
          .addColumn("scan_id", "text", (c) => c.notNull())
          .addColumn("part", "text", (c) => c.notNull())
          .addColumn("target_tenant", "text")
          .addColumn("subscriptions", "text")
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("snapshot", "text")
          .addColumn("stats", "text")
          .addColumn("error", "text")
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("updated_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("scan_parts_pk", ["scan_id", "part"])
          .execute();
        await db.schema
          .createTable("resource_graph_quota")
          .addColumn("principal", "text", (c) => c.primaryKey())
          .addColumn("window_ends_at", "bigint", (c) => c.notNull())
          .addColumn("remaining", "integer", (c) => c.notNull())
          .execute();
      },
    },
    "0015_resources_scan_ord": {
      // A scan's resources in their order, a range at a time: exports read a large scan in batches
      // of resources (and their findings, through findings_scan_resource) instead of whole.
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex("resources_scan_ord").on("resources").columns(["scan_id", "ord"]).execute();
      },
    },
    "0016_compact_findings": {
      // A finding row no longer repeats its resource (ID, key, name, subscription ID and key, kind:
      // ~400 of ~750 bytes): they are its resource row's, found by resource_ord. resource_id and
      // subscription_id stay as nullable overrides, set only where the finding spells them otherwise.
      async up(db: Kysely<unknown>) {
        const override = (column: string) => sql.raw(`case when f.${column} = r.${column} then null else f.${column} end`);
        if (dialect === "postgres") {
          await sql`alter table findings alter column resource_id drop not null, alter column subscription_id drop not null`.execute(db);
          await sql`update findings f set resource_id = ${override("resource_id")}, subscription_id = ${override("subscription_id")}
            from resources r where r.scan_id = f.scan_id and r.ord = f.resource_ord`.execute(db);
          await sql`alter table findings drop column resource_key, drop column resource_name, drop column subscription_key, drop column kind`.execute(db);
          return;
        }
        // SQLite cannot drop NOT NULL in place: the table is rebuilt, in one transaction of its own
        // (Kysely runs SQLite migrations outside one), so a failure leaves the old table whole.
        await sql`begin`.execute(db);
        try {
          await db.schema
            .createTable("findings_compact")
            .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
            .addColumn("scan_id", "text", (c) => c.notNull())
            .addColumn("control_id", "text", (c) => c.notNull())
            .addColumn("resource_ord", "integer", (c) => c.notNull())
            .addColumn("resource_id", "text")
            .addColumn("subscription_id", "text")
            .addColumn("severity", "text", (c) => c.notNull())
            .addColumn("status", "text", (c) => c.notNull())
            .addColumn("reason", "text")
            .addColumn("message", "text", (c) => c.notNull())
            .addColumn("evidence", "text", (c) => c.notNull())
            .addColumn("azure", "text")
            .addColumn("agreement", "text", (c) => c.notNull().defaultTo("not_collected"))
            .execute();
          await sql`insert into findings_compact (id, scan_id, control_id, resource_ord, resource_id, subscription_id, severity, status, reason, message, evidence, azure, agreement)
            select f.id, f.scan_id, f.control_id, f.resource_ord, ${override("resource_id")}, ${override("subscription_id")},
              f.severity, f.status, f.reason, f.message, f.evidence, f.azure, f.agreement
            from findings f left join resources r on r.scan_id = f.scan_id and r.ord = f.resource_ord`.execute(db);
          await sql`drop table findings`.execute(db);
          await sql`alter table findings_compact rename to findings`.execute(db);
          await db.schema.createIndex("findings_scan_resource").on("findings").columns(["scan_id", "resource_ord"]).execute();
          await sql`commit`.execute(db);
        } catch (error) {
          await sql`rollback`.execute(db);
          throw error;
        }
      },
    },
  };
}

class CodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: new CodeMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`Database migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
