/**
 * Formatting for the dashboard: times, durations, counts and percentages, always in UTC and in
 * one locale, so a server-rendered page reads the same for every viewer and in every test.
 */
import { showHidden } from "@/lib/report/visible-text";

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
  timeZone: "UTC",
});
const DATE = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", timeZone: "UTC" });
const SHORT_DATE = new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" });
const TIME_S = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });
const NUMBER = new Intl.NumberFormat("en-US");

function parse(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "14 Nov 2026, 09:00 UTC", or an em dash. */
export function dateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? `${DATE_TIME.format(d)} UTC` : "—";
}

export function date(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? DATE.format(d) : "—";
}

export function shortDate(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? SHORT_DATE.format(d) : "—";
}

/** "16:34" (UTC), or "16:34:05" with seconds. */
export function timeOfDay(iso: string | null | undefined, seconds = false): string {
  const d = parse(iso);
  return d ? (seconds ? TIME_S : TIME).format(d) : "—";
}

/** "1.2 s", "3 min 4 s", "2 h 5 min", or an em dash when either end is missing. */
export function duration(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  const a = parse(fromIso);
  const b = parse(toIso);
  if (!a || !b) return "—";
  return durationMs(b.getTime() - a.getTime());
}

export function durationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Relative to `now` ("3 days ago", "in 5 days"): for expiries and ages. */
export function relative(iso: string | null | undefined, now: Date): string {
  const d = parse(iso);
  if (!d) return "—";
  const diff = d.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, name] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${name}${n === 1 ? "" : "s"}`;
      return diff < 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return diff < 0 ? "just now" : "in under a minute";
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "—" : NUMBER.format(n);
}

/** A score out of 100, or "n/a" for null (nothing to judge is not 100). */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? "n/a" : `${value}`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return "—";
  return `${Math.floor((100 * part) / whole)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(n)} ${n === 1 ? one : many}`;
}

/** The last segment of an Azure resource ID (its name). */
export function nameOfId(id: string | null | undefined): string {
  if (!id) return "";
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

/** The value of `/segment/{value}` inside an Azure ID, case-insensitively. */
export function segmentOfId(id: string | null | undefined, segment: string): string | undefined {
  if (!id) return undefined;
  const parts = id.split("/");
  const i = parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase());
  return i >= 0 && parts[i + 1] ? parts[i + 1] : undefined;
}

/** Evidence values for display: strings as they are, everything else as compact JSON. */
export function evidenceValue(v: unknown): string {
  if (v === undefined) return "(absent)";
  if (v === null) return "null";
  if (typeof v === "string") return v === "" ? '""' : showHidden(v);
  try {
    return showHidden(JSON.stringify(v));
  } catch {
    return String(v);
  }
}
