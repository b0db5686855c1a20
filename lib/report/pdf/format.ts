/** Formatting of values for print: dates, numbers, evidence values, plurals. */

/** `2026-11-28 10:00 UTC`; the input as given when it is not a date. */
export function formatTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** 12,345 (en-US grouping without Intl, which is slow per call). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** An evidence value as text: strings as they are, absent as "(absent)", others as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "(absent)";
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 2000 ? `${json.slice(0, 2000)}…` : json;
  } catch {
    return String(value);
  }
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? "n/a" : String(score);
}

/** An exception's expiry: a bare date is valid through that day (UTC), so it is printed as it is. */
export function formatExpiry(value: string | null | undefined): string {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return formatTime(value);
}

const collator = new Intl.Collator("en", { numeric: true });
/** Orders names for print (case- and accent-aware, numbers by value); ties must be broken by the caller. */
export const compareNames = (a: string | null | undefined, b: string | null | undefined): number => collator.compare(a ?? "", b ?? "");
