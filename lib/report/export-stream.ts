/**
 * The JSON, CSV and OCSF exports of a result read in batches (a scan of any size, in bounded
 * memory): exactly the text `renderExport` writes for the whole result, one subscription's
 * included, produced as the batches are read. The source is structural: the store's
 * `openScanResultStream` fits it.
 */
import { idKey } from "@/lib/posture/ids";
import { ScoreTally } from "@/lib/posture/score";
import { canonicalStream, LaterValue, StreamedArray } from "./canonical";
import { CSV_HEADER, csvRow, csvSubscriptionNames } from "./csv";
import { exportFilename } from "./export-names";
import { EXPORT_CONTENT_TYPES, EXPORT_EXTENSIONS } from "./export";
import type { ReportError, ReportException, ReportFinding, ReportResource, ReportResult, ReportScan, ReportSubscription } from "./model";
import { OcsfLineWriter } from "./ocsf";
import { exceptionTouchesSubscription, inSubscription, ReportScopeError } from "./scope";

/** The formats an export of a whole scan can stream; OSCAL documents are built whole. */
export const STREAMED_FORMATS = ["csv", "json", "ocsf"] as const;
export type StreamedFormat = (typeof STREAMED_FORMATS)[number];

export function isStreamedFormat(value: unknown): value is StreamedFormat {
  return typeof value === "string" && (STREAMED_FORMATS as readonly string[]).includes(value);
}

export interface ResultSource {
  readonly kind?: string;
  readonly version?: number;
  readonly scan: ReportScan;
  readonly errors: readonly ReportError[];
  readonly exceptions?: { readonly active: readonly ReportException[]; readonly expired: readonly ReportException[] };
  /** Narrowed to one subscription by the reader: whether the scan knows it. */
  readonly subscriptionKnown: boolean;
  /** The subscriptions' IDs and names, known before any batch (for CSV and OCSF lines). */
  readonly listedSubscriptions: readonly Pick<ReportSubscription, "subscriptionId" | "displayName">[];
  /** Resources in order with the findings that belong to them, in the result's order. */
  batches(): AsyncIterable<{ readonly resources: readonly ReportResource[]; readonly findings: readonly ReportFinding[] }>;
  /** The resources alone, in order (read again after the findings, for JSON). */
  resourcePages(): AsyncIterable<readonly ReportResource[]>;
  /** Once `batches()` has been read to its end. */
  totals(): Pick<ReportResult, "summary" | "subscriptions">;
}

export interface StreamedExportFile {
  /** The text in pieces, read from the source only as fast as they are consumed. */
  chunks: AsyncIterable<string>;
  contentType: string;
  filename: string;
}

/**
 * The export of `source` (already narrowed to `subscriptionId` by its reader, when given) in a
 * streamed format. Throws ReportScopeError at once when the scan does not know the subscription.
 */
export function streamExport(format: StreamedFormat, source: ResultSource, options: { subscriptionId?: string } = {}): StreamedExportFile {
  const { subscriptionId } = options;
  if (subscriptionId !== undefined && (!idKey(subscriptionId) || !source.subscriptionKnown)) {
    throw new ReportScopeError(`Subscription ${subscriptionId} is not part of scan ${source.scan.id}.`);
  }
  const filename = `${exportFilename(source.scan.id, subscriptionId)}.${EXPORT_EXTENSIONS[format]}`;
  const contentType = EXPORT_CONTENT_TYPES[format];
  const scoped = scopedSource(source, subscriptionId);
  switch (format) {
    case "json":
      return { chunks: jsonChunks(source, scoped), contentType, filename };
    case "csv":
      return { chunks: csvChunks(source, scoped), contentType, filename };
    case "ocsf":
      return { chunks: ocsfChunks(source, scoped), contentType, filename };
    default:
      throw new TypeError(`Not a streamed export format: "${String(format)}"`);
  }
}

interface Scoped {
  batches(): AsyncGenerator<{ resources: readonly ReportResource[]; findings: readonly ReportFinding[] }>;
  resourcePages(): AsyncGenerator<readonly ReportResource[]>;
  /** After batches(): the summary and subscriptions of the export. */
  totals(): Pick<ReportResult, "summary" | "subscriptions">;
  errors: readonly ReportError[];
  exceptions?: ReportResult["exceptions"];
}

/** The source as `subscriptionResult` narrows a result (lib/report/scope.ts), or as it is. */
function scopedSource(source: ResultSource, subscriptionId: string | undefined): Scoped {
  if (subscriptionId === undefined) {
    return {
      batches: async function* () {
        yield* source.batches();
      },
      resourcePages: async function* () {
        yield* source.resourcePages();
      },
      totals: () => source.totals(),
      errors: source.errors,
      exceptions: source.exceptions,
    };
  }
  const key = idKey(subscriptionId);
  const same = (id: string | null | undefined) => id === subscriptionId || (id != null && idKey(id) === key);
  const tally = new ScoreTally();
  let resourceCount = 0;
  const keep = (x: ReportException) => exceptionTouchesSubscription(x, subscriptionId);
  return {
    async *batches() {
      for await (const batch of source.batches()) {
        const findings = batch.findings.filter((f) => same(f.subscriptionId));
        const resources = batch.resources.filter((r) => same(r.subscriptionId));
        for (const f of findings) tally.add(f as Parameters<ScoreTally["add"]>[0]);
        resourceCount += resources.length;
        yield { resources, findings };
      }
    },
    async *resourcePages() {
      for await (const page of source.resourcePages()) yield page.filter((r) => same(r.subscriptionId));
    },
    totals() {
      const { subscriptions } = source.totals();
      const { score, counts, coverage } = tally.result();
      return { summary: { score, resources: resourceCount, counts, coverage }, subscriptions: subscriptions.filter((s) => idKey(s.subscriptionId) === key) };
    },
    errors: source.errors.filter((e) => inSubscription(e.scope, subscriptionId)),
    exceptions: source.exceptions ? { active: source.exceptions.active.filter(keep), expired: source.exceptions.expired.filter(keep) } : undefined,
  };
}

/** The canonical JSON (lib/report/canonical.ts): findings as they are read, then the resources again, then what the findings summed to. */
function jsonChunks(source: ResultSource, scoped: Scoped): AsyncGenerator<string> {
  let totals: Pick<ReportResult, "summary" | "subscriptions"> | undefined;
  const total = () => (totals ??= scoped.totals());
  return canonicalStream({
    kind: source.kind,
    version: source.version,
    scan: source.scan,
    errors: scoped.errors,
    ...(scoped.exceptions ? { exceptions: scoped.exceptions } : {}),
    findings: new StreamedArray(async function* () {
      for await (const batch of scoped.batches()) yield batch.findings;
    }),
    resources: new StreamedArray(() => scoped.resourcePages()),
    subscriptions: new LaterValue(() => total().subscriptions),
    summary: new LaterValue(() => total().summary),
  });
}

/**
 * Lines are handed on in pieces of about this many characters (a batch's OCSF lines are ~10 MB).
 * Small on purpose: V8 copies a longer joined string into its large-object space when it is
 * encoded, which costs more than writing the lines.
 */
const PIECE_CHARS = 16 * 1024;

async function* csvChunks(source: ResultSource, scoped: Scoped): AsyncGenerator<string> {
  const names = csvSubscriptionNames(source.listedSubscriptions);
  yield CSV_HEADER;
  for await (const { resources, findings } of scoped.batches()) {
    const byKey = new Map(resources.map((r) => [idKey(r.id), r]));
    let lines = "";
    let lastId: string | undefined;
    let resource: ReportResource | undefined;
    let subscriptionName = "";
    for (const f of findings) {
      if (f.resourceId !== lastId) {
        lastId = f.resourceId;
        resource = byKey.get(idKey(f.resourceId));
        subscriptionName = names.get(idKey(f.subscriptionId)) ?? "";
      }
      lines += csvRow(f as Parameters<typeof csvRow>[0], resource as Parameters<typeof csvRow>[1], subscriptionName);
      if (lines.length >= PIECE_CHARS) {
        yield lines;
        lines = "";
      }
    }
    if (lines) yield lines;
  }
}

async function* ocsfChunks(source: ResultSource, scoped: Scoped): AsyncGenerator<string> {
  const subscriptions = new Map(source.listedSubscriptions.map((s) => [idKey(s.subscriptionId), s.displayName ?? null]));
  const writer = new OcsfLineWriter({ scan: source.scan });
  for await (const { resources, findings } of scoped.batches()) {
    const byKey = new Map<string, ReportResource>();
    for (const r of resources) byKey.set(idKey(r.id), r);
    let lines = "";
    let lastId: string | undefined;
    let resource: ReportResource | undefined;
    let subscriptionName: string | null = null;
    for (const f of findings) {
      if (f.resourceId !== lastId) {
        lastId = f.resourceId;
        resource = byKey.get(idKey(f.resourceId));
        subscriptionName = subscriptions.get(idKey(f.subscriptionId)) ?? null;
      }
      lines += `${writer.line(f, resource, subscriptionName)}\n`;
      if (lines.length >= PIECE_CHARS) {
        yield lines;
        lines = "";
      }
    }
    if (lines) yield lines;
  }
}
