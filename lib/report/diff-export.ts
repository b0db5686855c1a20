/**
 * A diff of two scans as a download: CSV, one row per change (a gone resource gives one row per
 * control it failed, or one row when it failed none), and JSON (the diff itself beside both scans'
 * identity and origin). Cells go through the findings CSV's `csvCell` (formula-safe, hidden
 * characters shown).
 */
import type { EvidenceChange, ScanDiff } from "@/lib/store/history/diff";
import type { Scan } from "@/lib/store/scans/scans";
import { csvCell } from "./csv";

export const DIFF_CSV_COLUMNS = [
  "change",
  "subscriptionId",
  "resourceId",
  "resourceName",
  "controlId",
  "severity",
  "from",
  "to",
  "ruleChange",
  "evidenceChanged",
] as const;

/** Each list of the diff and the `change` its rows carry. */
const KINDS = [
  ["new_failure", "newFailures"],
  ["resolved", "resolved"],
  ["changed", "changed"],
  ["added", "added"],
  ["removed", "removed"],
] as const;

const shown = (v: unknown) => (v === undefined ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v));

/** `path: before → after` per changed property. */
export function evidenceChangeText(changes: readonly EvidenceChange[] | undefined): string {
  return (changes ?? []).map((c) => `${c.path}: ${shown(c.before)} → ${shown(c.after)}`).join("; ");
}

export function* diffToCsvLines(diff: ScanDiff): Generator<string> {
  const line = (cells: string[]) => cells.map(csvCell).join(",") + "\r\n";
  yield `\uFEFF${DIFF_CSV_COLUMNS.join(",")}\r\n`;
  for (const [change, list] of KINDS) {
    for (const d of diff[list]) {
      yield line([
        change,
        d.subscriptionId,
        d.resourceId,
        d.resourceName,
        d.controlId,
        d.severity,
        d.from ?? "absent",
        d.to ?? "absent",
        d.ruleChange ? "true" : "false",
        evidenceChangeText(d.evidence),
      ]);
    }
  }
  for (const g of diff.gone) {
    const controls = g.failedControls.length > 0 ? g.failedControls : [""];
    for (const c of controls) yield line(["gone", g.subscriptionId, g.resourceId, g.resourceName, c, "", c ? "fail" : "", "absent", "false", ""]);
  }
}

export function diffToCsv(diff: ScanDiff): string {
  let out = "";
  for (const l of diffToCsvLines(diff)) out += l;
  return out;
}

/** Which scan a side of the diff is, for the JSON export. */
const side = (s: Scan) => ({
  id: s.id,
  finishedAt: s.finishedAt,
  source: s.source,
  origin: s.origin,
  catalogVersion: s.catalogVersion,
  score: s.summary?.score ?? null,
});

export function diffToJson(diff: ScanDiff, from: Scan, to: Scan): string {
  return JSON.stringify({ kind: "speech-posture.diff", from: side(from), to: side(to), ...diff }, null, 2) + "\n";
}
