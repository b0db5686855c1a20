/**
 * From a snapshot to what the store keeps of a scan: the CONTROLS.md result (built by
 * lib/posture, without exceptions: those apply when read), the resources' evidence documents,
 * the SHA-256 of the result's canonical JSON, and that of its JSON export as read back while no
 * exception is in force (the same result plus empty exception lists).
 *
 * `evaluateAndStore` does it a few hundred accounts at a time, each piece written before the next
 * is evaluated, so a 100,000-account scan never holds its 1.8M findings at once; `buildScanResult`
 * builds the same thing whole (pure, for tests and seeding).
 */
import { evaluateInPieces, evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey } from "@/lib/posture/ids";
import { buildResult, ResultTally, type ResultTotals, type ScanSource, type ScoredPiece } from "@/lib/posture/result";
import type { Snapshot } from "@/lib/posture/snapshot";
import { CanonicalHashPair, resultSha256Pair } from "@/lib/report/canonical";
import { ScanResultsWriter, type ResourceResult, type ScanResultData, type ScanResultTotals, type WriteOptions } from "@/lib/store/scans/results";
import type { Store } from "@/lib/store/store";
import { CATALOG } from "@/lib/posture/controls";
import { documentsByAccount, type AccountDocumentsLookup } from "./run-scan-documents";

export interface BuildScanInfo {
  id: string;
  source: ScanSource;
  startedAt: string;
  /**
   * Also becomes the stored scan's finishedAt, so the stored hash can be checked later. A function
   * is called once evaluation is done, so a scan's duration includes evaluating it.
   */
  finishedAt: string | (() => string);
}

/** What the JSON export adds to a result while no exception is in force. */
const NO_EXCEPTIONS = { active: [], expired: [] };

export function buildScanResult(snapshot: Snapshot, info: BuildScanInfo, stats?: unknown): ScanResultData {
  const evaluation = evaluateSnapshot(snapshot);
  const scan = { ...info, finishedAt: typeof info.finishedAt === "function" ? info.finishedAt() : info.finishedAt };
  const result = buildResult({ snapshot, evaluation, scan: { ...scan, tenantId: snapshot.tenantId ?? null }, now: new Date(scan.finishedAt) });
  const docs = documentsByAccount(snapshot);
  const [resultSha256, exportSha256] = resultSha256Pair(result as unknown as Record<string, unknown>, { exceptions: NO_EXCEPTIONS });
  return {
    ...storedTotals(snapshot, result, resultSha256, exportSha256, stats),
    resources: withDocuments(result.resources, docs),
    // Each finding's resource name and kind are its resource's, taken when the row is written.
    findings: result.findings,
  };
}

/**
 * Evaluates the snapshot a piece at a time and stores each piece as it comes (ScanResultsWriter),
 * hashing the result on the way; the scan turns succeeded in `finish`, with the same rows and
 * hashes `writeScanResults(buildScanResult(…))` stores. On any failure it waits for the writes in
 * flight before throwing, so the caller can remove the scan's rows.
 */
export async function evaluateAndStore(
  store: Store,
  snapshot: Snapshot,
  info: BuildScanInfo,
  options: WriteOptions & { stats?: unknown; accountsPerPiece?: number } = {},
): Promise<void> {
  const { accounts, pieces, indexes } = evaluateInPieces(snapshot, options.accountsPerPiece);
  const docs = documentsByAccount(snapshot, indexes);
  const tally = new ResultTally(snapshot);
  // The result's canonical text is written in key order: errors, (the export's exceptions), findings, then the rest.
  const hashes = new CanonicalHashPair();
  hashes.member("errors", snapshot.errors);
  hashes.member("exceptions", NO_EXCEPTIONS, 1);
  hashes.beginArray("findings");
  const resources: ScoredPiece["resources"] = [];
  const writer = new ScanResultsWriter(store, info.id, { ...options, total: accounts * (CATALOG.length + 1) + snapshot.subscriptions.length });
  try {
    for (const piece of pieces()) {
      options.signal?.throwIfAborted();
      const scored = tally.add(piece);
      hashes.elements(scored.findings);
      for (const r of scored.resources) resources.push(r);
      await writer.addResources(withDocuments(scored.resources, docs));
      await writer.addFindings(scored.findings);
      // Lets the server answer requests between pieces (SQLite writes without yielding).
      await new Promise((r) => setImmediate(r));
    }
    hashes.endArray();
    const finishedAt = typeof info.finishedAt === "function" ? info.finishedAt() : info.finishedAt;
    const totals = tally.finish({ ...info, finishedAt, tenantId: snapshot.tenantId ?? null });
    const rest: Record<string, unknown> = { ...totals, resources };
    for (const key of Object.keys(rest).sort()) if (key !== "errors") hashes.member(key, rest[key]);
    const [resultSha256, exportSha256] = hashes.digest();
    await writer.finish(storedTotals(snapshot, totals, resultSha256, exportSha256, options.stats));
  } finally {
    await writer.settled();
  }
}

/** What the scan row keeps of a result (everything but its resources and findings). */
function storedTotals(snapshot: Snapshot, result: ResultTotals, resultSha256: string, exportSha256: string, stats: unknown): ScanResultTotals {
  // Each subscription is reported under its own tenant (a Lighthouse-delegated one under its customer's).
  const tenantOf = new Map(snapshot.subscriptions.map((s) => [idKey(s.subscriptionId), s.tenantId ?? snapshot.tenantId ?? null]));
  return {
    catalogVersion: result.scan.catalogVersion,
    tenantId: result.scan.tenantId,
    collectedAt: snapshot.collectedAt || null,
    finishedAt: result.scan.finishedAt,
    summary: result.summary,
    resultSha256,
    exportSha256,
    errors: result.errors,
    stats,
    subscriptions: result.subscriptions.map((s) => ({ ...s, tenantId: tenantOf.get(idKey(s.subscriptionId)) ?? snapshot.tenantId ?? null })),
  };
}

function withDocuments(resources: ScoredPiece["resources"], docs: AccountDocumentsLookup): ResourceResult[] {
  return resources.map((r) => ({ ...r, documents: docs.get(idKey(r.id)) ?? null }));
}
