/**
 * Findings as CSV (RFC 4180): CRLF line ends, fields quoted when they hold `"`, `,`, CR or LF,
 * a UTF-8 byte-order mark so spreadsheets read UTF-8. Resource names and messages come from
 * Azure, so any cell that a spreadsheet could read as a formula is neutralised with a leading `'`,
 * and invisible or reordering characters are shown as code points (visible-text.ts).
 */
import { controlById } from "@/lib/posture/controls";
import { idKey } from "@/lib/posture/ids";
import type { ScanResult } from "@/lib/posture/result";
import type { Evidence } from "@/lib/posture/types";
import { showHidden } from "./visible-text";

export const CSV_COLUMNS = [
  "subscriptionId",
  "subscriptionName",
  "resourceId",
  "resourceName",
  "kind",
  "controlId",
  "title",
  "severity",
  "status",
  "reason",
  "muted",
  "message",
  "evidence",
  "azureState",
  "agreement",
  "exceptionId",
  "exceptionOwner",
  "exceptionReason",
  "exceptionExpiresAt",
] as const;

type CsvInput = Pick<ScanResult, "findings" | "resources" | "subscriptions">;

/** The whole CSV as one string: fine for a report; use `findingsToCsvLines` for a whole tenant. */
export function findingsToCsv(result: CsvInput): string {
  let out = "";
  for (const line of findingsToCsvLines(result)) out += line;
  return out;
}

/**
 * The CSV line by line (BOM and header first, each line ending in CRLF), for writing to a stream:
 * 100,000 accounts make ~1.8M rows, more text than one JavaScript string can hold.
 */
export function* findingsToCsvLines(result: CsvInput): Generator<string> {
  const subscriptionNames = csvSubscriptionNames(result.subscriptions);
  const resources = new Map(result.resources.map((r) => [idKey(r.id), r]));
  yield CSV_HEADER;
  // Findings come grouped by resource: look its facts up once per group.
  let lastId: string | undefined;
  let resource: CsvResource | undefined;
  let subscriptionName = "";
  for (const f of result.findings) {
    if (f.resourceId !== lastId) {
      lastId = f.resourceId;
      resource = resources.get(idKey(f.resourceId));
      subscriptionName = subscriptionNames.get(idKey(f.subscriptionId)) ?? "";
    }
    yield csvRow(f, resource, subscriptionName);
  }
}

type CsvResource = Pick<CsvInput["resources"][number], "name" | "kind">;
type CsvFinding = CsvInput["findings"][number];

/** The byte-order mark and the header line. */
export const CSV_HEADER = `\uFEFF${CSV_COLUMNS.join(",")}\r\n`;

/** Subscription names by subscription key (those with a name). */
export function csvSubscriptionNames(subscriptions: readonly { subscriptionId: string; displayName?: string | null }[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of subscriptions) if (s.displayName) names.set(idKey(s.subscriptionId), s.displayName);
  return names;
}

/** One finding's line (CRLF-terminated), with its resource's facts and its subscription's name. */
export function csvRow(f: CsvFinding, resource: CsvResource | undefined, subscriptionName: string): string {
  return (
    [
      f.subscriptionId,
      subscriptionName,
      f.resourceId,
      resource?.name ?? "",
      resource?.kind ?? "",
      f.controlId,
      controlById(f.controlId)?.title ?? "",
      f.severity,
      f.status,
      f.reason ?? "",
      f.muted ? "true" : "false",
      f.message,
      evidenceText(f.evidence),
      f.azure?.state ?? "",
      f.agreement ?? "",
      f.exception?.id ?? "",
      f.exception?.owner ?? "",
      f.exception?.reason ?? "",
      f.exception?.expiresAt ?? "",
    ]
      .map(csvCell)
      .join(",") + "\r\n"
  );
}

/** `path=actual` pairs; strings as they are, anything else as JSON. */
function evidenceText(evidence: readonly Evidence[]): string {
  return evidence.map((e) => `${e.path}=${typeof e.actual === "string" ? e.actual : JSON.stringify(e.actual ?? null)}`).join("; ");
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: hidden characters shown as code points, neutralised against spreadsheet formula evaluation. */
export function csvCell(value: string): string {
  const shown = showHidden(value);
  const safe = FORMULA_START.test(shown) ? `'${shown}` : shown;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
