/**
 * The database's tables as Kysely sees them. Times are ISO-8601 UTC strings (sortable as text on
 * both databases); JSON columns hold text so SQLite and PostgreSQL read them the same way.
 */
import type { Generated } from "kysely";

export type ScanStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type ScanSource = "live" | "emulator" | "snapshot";
/** Collected by this dashboard (from Azure or the emulator), or imported from a snapshot file. */
export type ScanOrigin = "collected" | "import";

export interface ScansTable {
  id: string;
  source: ScanSource;
  /** What "one scan at a time" is about: source plus the requested subscriptions. */
  scope_key: string;
  /** JSON array of requested subscription IDs, or null for "all visible". */
  requested_subscriptions: string | null;
  status: ScanStatus;
  phase: string | null;
  done: number;
  total: number;
  error: string | null;
  started_by: string;
  created_at: string;
  started_at: string | null;
  /** Succeeded scans: when the result was built (it is part of the hashed result). */
  finished_at: string | null;
  /** When the scan's outcome was recorded (results stored, or failed / cancelled). */
  ended_at: string | null;
  heartbeat_at: string | null;
  /** `host:pid:instance` of the process running the scan. */
  owner: string | null;
  /** Equals scope_key while queued or running, else null: a unique index makes it the DB-wide guard. */
  active_scope: string | null;
  /** Set by another instance's cancel; the owner polls it. */
  cancel_requested: number;
  tenant_id: string | null;
  collected_at: string | null;
  /** JSON: { score, resources, counts } (counts.muted as stored at scan time: 0). */
  summary: string | null;
  /** SHA-256 of the canonical (exception-free) result JSON. */
  result_sha256: string | null;
  /** `<format tag>:<SHA-256>` of the scan's JSON export as read back while no exception is in force (empty exception lists). */
  export_sha256: string | null;
  /** JSON array of the snapshot's error entries. */
  errors: string | null;
  /** JSON: collection statistics. */
  stats: string | null;
  /** JSON array of [subscriptionId, score, resources, displayName]: what the trend reads. */
  subscription_scores: string | null;
  /** Succeeded scans: the control catalogue version the findings were judged with (null: stored before it was kept, i.e. 1). */
  catalog_version: number | null;
  /** Where the posture came from: a collection, or an uploaded snapshot file. */
  origin: ScanOrigin;
  /**
   * 1: the scan may be the latest posture (overview, trend, "latest" links). Collections always;
   * an import only when the uploader chose to let it replace the latest collected posture.
   */
  in_posture: number;
  /** "local": run by the instance that owns it (heartbeat sweep); "queue": pg-boss jobs (their expiry and retries). */
  runner: Generated<ScanRunner>;
}

export type ScanRunner = "local" | "queue";

/** One pg-boss job's part of a queued scan (a tenant, or a batch of its subscriptions) until the scan is stored. */
export interface ScanPartsTable {
  scan_id: string;
  part: string;
  /** The scan target's tenant; null: the source's own credential. */
  target_tenant: string | null;
  /** JSON array of subscription IDs this part collects; null: the target's whole scope. */
  subscriptions: string | null;
  /** pending → done | failed | split (replaced by batch parts). */
  status: PartStatus;
  /** JSON snapshot collected (done). */
  snapshot: string | null;
  stats: string | null;
  error: string | null;
  /** Times a worker started this part (a killed worker's attempt counts). */
  attempts: number;
  updated_at: string;
}

export type PartStatus = "pending" | "done" | "failed" | "split";

/** The Resource Graph quota window of one principal, shared by every job signing in as it. */
export interface ResourceGraphQuotaTable {
  principal: string;
  /** Epoch milliseconds when the window resets. */
  window_ends_at: number;
  remaining: number;
}

export interface ScanSubscriptionsTable {
  scan_id: string;
  subscription_key: string;
  subscription_id: string;
  display_name: string | null;
  state: string | null;
  score: number | null;
  resources: number;
  /** JSON counts { pass, fail, unknown, not_applicable }. */
  counts: string;
  /** JSON: unknown findings by reason. */
  coverage: string | null;
  /** The subscription's own tenant (lower-cased); null for scans stored before tenants were kept, or when unknown. */
  tenant_id: string | null;
}

export interface ResourcesTable {
  scan_id: string;
  /** The resource's position within its scan: findings refer to it by this compact number. */
  ord: number;
  resource_key: string;
  resource_id: string;
  name: string;
  kind: string;
  location: string | null;
  subscription_id: string;
  subscription_key: string;
  resource_group: string | null;
  score: number | null;
  /** JSON object of tags, as spelled. */
  tags: string;
  /** JSON: the account document and the linked storage/vault/role docs, diagnostic settings, endpoints. */
  documents: string;
}

export interface FindingsTable {
  id: Generated<number>;
  scan_id: string;
  control_id: string;
  /** `resources.ord` of the finding's resource in the same scan: its key, name, kind and subscription are that row's. */
  resource_ord: number;
  /** Null: its resource row's `resource_id`; set only where the finding spells the ID otherwise. */
  resource_id: string | null;
  /** Null: its resource row's `subscription_id`; set only where the finding spells it otherwise (same key). */
  subscription_id: string | null;
  severity: string;
  status: string;
  reason: string | null;
  message: string;
  /** JSON array of { path, actual, expected }. */
  evidence: string;
  /** JSON `{ state, sources }` of Azure's own verdicts; null when neither was collected. */
  azure: string | null;
  /** CONTROLS.md agreement value; `not_collected` for scans from before Azure's verdicts were read. */
  agreement: Generated<string>;
}

export interface ExceptionsTable {
  id: string;
  control_id: string | null;
  subscription_id: string | null;
  resource_id: string | null;
  tag_name: string | null;
  tag_value: string | null;
  owner: string;
  reason: string;
  expires_at: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
  /** The last edit or renewal (null: never changed since created). */
  updated_at: string | null;
  updated_by: string | null;
  /** Lower-cased tenant ID the exception is limited to; null: every tenant. */
  tenant_id: string | null;
}

/** A scan target: one tenant, how to sign in (references only) and what to scan. */
export interface TargetsTable {
  /** Lower-cased tenant GUID. */
  tenant_id: string;
  display_name: string;
  /** JSON CredentialRef (lib/posture/targets.ts). */
  credential: string;
  /** JSON TargetScope. */
  scope: string;
  /** JSON array of excluded subscription GUIDs. */
  exclude: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** JSON object. */
  details: string | null;
}

export interface SettingsTable {
  key: string;
  /** JSON value. */
  value: string;
  updated_at: string;
}

/** Sessions signed out before they expired (kept until then). */
export interface RevokedSessionsTable {
  session_id: string;
  /** Seconds since the epoch (PostgreSQL returns bigint as a string). */
  expires_at: number | string;
}

/** SHA-256 of each access token exchanged for a session, kept until the token expires: one exchange per token. */
export interface ExchangedTokensTable {
  token_hash: string;
  expires_at: number | string;
}

export interface ScheduleClaimsTable {
  /** The scheduled time (ISO) an instance claimed; the primary key makes each occurrence run once. */
  occurrence: string;
  claimed_by: string;
  claimed_at: string;
  scan_id: string | null;
}

export interface AlertDestinationsTable {
  id: string;
  name: string;
  /** webhook | teams | slack */
  kind: string;
  /** Secret: Teams and Slack URLs carry their token. Never sent to a browser. */
  url: string;
  /** Secret: the generic webhook's HMAC key. */
  hmac_secret: string | null;
  /** A private receiver's CA certificate (PEM), trusted for this destination only. */
  ca_pem: string | null;
  created_by: string;
  created_at: string;
}

export interface AlertRulesTable {
  id: string;
  name: string;
  /** JSON AlertCondition. */
  condition: string;
  /** JSON array of destination IDs. */
  destination_ids: string;
  enabled: number;
  created_by: string;
  created_at: string;
}

/** One row per event × destination, inserted before sending: the primary key makes each go once. */
export interface AlertSendsTable {
  event_key: string;
  destination_id: string;
  rule_id: string;
  claimed_by: string;
  claimed_at: string;
  /** The last attempt's outcome; null while sending. */
  outcome: string | null;
  finished_at: string | null;
}

/** Every delivery attempt and how it ended. */
export interface AlertDeliveriesTable {
  id: Generated<number>;
  at: string;
  event_key: string;
  title: string;
  /** Null for a test message. */
  rule_id: string | null;
  rule_name: string | null;
  destination_id: string;
  destination_name: string;
  destination_kind: string;
  /** The same on every attempt of one delivery (sent as X-Speech-Posture-Delivery). */
  delivery_id: string;
  attempt: number;
  /** delivered | failed | refused | timeout */
  outcome: string;
  will_retry: number;
  http_status: number | null;
  error: string | null;
  response_excerpt: string | null;
  duration_ms: number;
}

export interface Database {
  scans: ScansTable;
  scan_subscriptions: ScanSubscriptionsTable;
  resources: ResourcesTable;
  findings: FindingsTable;
  exceptions: ExceptionsTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  schedule_claims: ScheduleClaimsTable;
  revoked_sessions: RevokedSessionsTable;
  exchanged_tokens: ExchangedTokensTable;
  alert_destinations: AlertDestinationsTable;
  alert_rules: AlertRulesTable;
  alert_sends: AlertSendsTable;
  alert_deliveries: AlertDeliveriesTable;
  targets: TargetsTable;
  scan_parts: ScanPartsTable;
  resource_graph_quota: ResourceGraphQuotaTable;
}
