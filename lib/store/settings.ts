/**
 * Settings shared by every instance: the scan schedule (a cron expression; off unless set), how
 * many scans to keep, how far ahead an exception may expire; and for alerts, the dashboard's public
 * address (messages link to it) and the private networks an Admin allowed alerts to be sent to.
 */
import { Cron } from "croner";
import { parseNetwork } from "@/lib/alerts/address-policy";
import { recordAudit } from "./audit";
import { InvalidInputError } from "./errors";
import { nowIso, type Store } from "./store";

export interface Settings {
  /** Five- or six-field cron expression (UTC), or null: no scheduled scans. */
  scheduleCron: string | null;
  /** What scheduled scans collect from; null: the server's default source. */
  scheduleSource: "live" | "emulator" | null;
  /** Keep the newest N scans (default 50). */
  retentionKeep: number;
  /** The longest an exception may run, in days from today (UTC); null: no limit. */
  exceptionMaxDays: number | null;
  /** The dashboard's address as its users reach it ("https://posture.example.com"): alert messages link under it. */
  publicBaseUrl: string | null;
  /** Private ranges (CIDR) alerts may be sent to; empty: none (SSRF). */
  alertPrivateNetworks: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  scheduleCron: null,
  scheduleSource: null,
  retentionKeep: 50,
  publicBaseUrl: null,
  alertPrivateNetworks: [],
  exceptionMaxDays: null,
};

/** The most private networks an Admin may list for alerts. */
export const MAX_ALERT_PRIVATE_NETWORKS = 20;

/** The most days ahead an Admin may allow (ten years). */
export const EXCEPTION_MAX_DAYS_LIMIT = 3650;

export async function getSettings(store: Store): Promise<Settings> {
  const rows = await store.db.selectFrom("settings").select(["key", "value"]).execute();
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (r.key in out) (out as unknown as Record<string, unknown>)[r.key] = JSON.parse(r.value);
  }
  return out;
}

/** The shortest gap between two scheduled scans: a scan of a large tenant takes minutes. */
export const MIN_SCHEDULE_GAP_MINUTES = 5;

/** A schedule must parse, fire at some point, and leave MIN_SCHEDULE_GAP_MINUTES between runs. */
export function validateCron(expr: string): void {
  let cron: Cron;
  try {
    cron = new Cron(expr, { timezone: "UTC", paused: true });
  } catch {
    throw new InvalidInputError(
      "scheduleCron",
      "not a valid cron expression; use five fields (minute hour day-of-month month weekday), e.g. 0 6 * * 1 for Mondays at 06:00 UTC",
    );
  }
  try {
    const runs = cron.nextRuns(12);
    if (runs.length === 0) throw new InvalidInputError("scheduleCron", "this schedule never fires (no such date)");
    for (let i = 1; i < runs.length; i++) {
      if (runs[i].getTime() - runs[i - 1].getTime() < MIN_SCHEDULE_GAP_MINUTES * 60_000) {
        throw new InvalidInputError(
          "scheduleCron",
          `runs would be less than ${MIN_SCHEDULE_GAP_MINUTES} minutes apart; choose a schedule at most every ${MIN_SCHEDULE_GAP_MINUTES} minutes`,
        );
      }
    }
  } finally {
    cron.stop();
  }
}

/** When the schedule was last set (undefined: never). Occurrences before it are not the new schedule's. */
export async function scheduleChangedAt(store: Store): Promise<Date | undefined> {
  const row = await store.db.selectFrom("settings").select("updated_at").where("key", "=", "scheduleCron").executeTakeFirst();
  const at = row ? Date.parse(row.updated_at) : NaN;
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** Validates and stores the given settings; unknown keys are refused. */
export async function updateSettings(store: Store, patch: unknown, actor?: string): Promise<Settings> {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new InvalidInputError("body", "expected a JSON object");
  const p = patch as Record<string, unknown>;
  const next: Partial<Settings> = {};
  for (const key of Object.keys(p)) {
    if (!(key in DEFAULT_SETTINGS)) throw new InvalidInputError(key, "unknown setting");
  }
  if ("scheduleCron" in p) {
    const v = p.scheduleCron;
    if (v !== null && (typeof v !== "string" || v.trim() === "")) throw new InvalidInputError("scheduleCron", "expected a cron expression or null");
    if (typeof v === "string") validateCron(v.trim());
    next.scheduleCron = typeof v === "string" ? v.trim() : null;
  }
  if ("scheduleSource" in p) {
    const v = p.scheduleSource;
    if (v !== null && v !== "live" && v !== "emulator") throw new InvalidInputError("scheduleSource", 'expected "live", "emulator" or null');
    next.scheduleSource = v as Settings["scheduleSource"];
  }
  if ("retentionKeep" in p) {
    const v = p.retentionKeep;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 10_000)
      throw new InvalidInputError("retentionKeep", "expected a whole number from 1 to 10000");
    next.retentionKeep = v;
  }
  if ("publicBaseUrl" in p) {
    const v = p.publicBaseUrl;
    if (v === null || (typeof v === "string" && v.trim() === "")) next.publicBaseUrl = null;
    else {
      let url: URL | undefined;
      try {
        url = typeof v === "string" ? new URL(v.trim()) : undefined;
      } catch {
        /* below */
      }
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password || url.search || url.hash) {
        throw new InvalidInputError("publicBaseUrl", "expected the dashboard's address, e.g. https://posture.example.com (http or https, no query)");
      }
      next.publicBaseUrl = url.toString().replace(/\/+$/, "");
    }
  }
  if ("alertPrivateNetworks" in p) {
    const v = p.alertPrivateNetworks;
    if (!Array.isArray(v) || v.some((n) => typeof n !== "string")) throw new InvalidInputError("alertPrivateNetworks", "expected a list of CIDR ranges");
    const list = [...new Set((v as string[]).map((n) => n.trim()).filter((n) => n !== ""))];
    if (list.length > MAX_ALERT_PRIVATE_NETWORKS) throw new InvalidInputError("alertPrivateNetworks", `at most ${MAX_ALERT_PRIVATE_NETWORKS} ranges`);
    for (const n of list) {
      try {
        parseNetwork(n);
      } catch (error) {
        throw new InvalidInputError("alertPrivateNetworks", (error as Error).message);
      }
    }
    next.alertPrivateNetworks = list;
  }
  if ("exceptionMaxDays" in p) {
    const v = p.exceptionMaxDays;
    if (v !== null && (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > EXCEPTION_MAX_DAYS_LIMIT))
      throw new InvalidInputError("exceptionMaxDays", `expected a whole number of days from 1 to ${EXCEPTION_MAX_DAYS_LIMIT}, or null for no limit`);
    next.exceptionMaxDays = v;
  }
  // Only what changes is written and audited, as "old → new" ("none" for no value).
  const current = await getSettings(store);
  const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
  if (changed.length === 0) return current;
  const shown = (v: unknown) => (v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? "none" : Array.isArray(v) ? v.join(", ") : String(v));
  const details = Object.fromEntries(changed.map((k) => [k, `${shown(current[k])} → ${shown(next[k])}`]));
  const now = nowIso(store);
  await store.db.transaction().execute(async (trx) => {
    for (const key of changed) {
      const value = next[key];
      await trx
        .insertInto("settings")
        .values({ key, value: JSON.stringify(value), updated_at: now })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
        .execute();
    }
    await recordAudit(store, { actor, action: "settings.changed", details }, trx);
  });
  return getSettings(store);
}
