/**
 * `speech-posture scan`: evaluate a snapshot file (or collect first) and write the result format
 * of CONTROLS.md as JSON or CSV. `--fail-on` turns unmuted failures into exit code 1 for pipelines.
 */
import type { Command } from "commander";
import { readFileSync, statSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { ScanResult } from "@/lib/posture/result";
import type { Snapshot } from "@/lib/posture/snapshot";
import type { Severity } from "@/lib/posture/types";
import { UsageError, parseList, progressBar, writeChunksAtomic, writeChunksToStdout } from "@/lib/cli-util";
import { parseSource, startTemporaryEmulator } from "./snapshot";
import { addTargetOptions, collectFlaggedTargets, targetsFromFlags, type TargetFlags } from "./targets-option";
import { EXPORT_FORMATS, type ExportFormat } from "@/lib/report/export-formats";

/** Snapshot files larger than this are refused before reading (a 100,000-account tenant is ~1 GB). */
const MAX_SNAPSHOT_BYTES = 1536 * 1024 * 1024;
const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export function readTextFile(path: string, what: string, maxBytes: number): string {
  checkInputFile(path, what, maxBytes);
  return readFileSync(path, "utf8");
}

/** Exit 2 with a one-line reason when `path` is missing, not a file or larger than `maxBytes`. */
function checkInputFile(path: string, what: string, maxBytes: number): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${what} ${path} is not a file`);
    size = st.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  if (size > maxBytes)
    throw new UsageError(`${what} ${path} is ${Math.round(size / 1048576)} MB, more than the ${Math.round(maxBytes / 1048576)} MB this command reads`);
}

/** What `scan --format` writes: the machine-readable exports and the PDF report. */
const OUTPUT_FORMATS: readonly string[] = [...EXPORT_FORMATS, "pdf"];

/**
 * The result in the asked format, as pieces: a whole tenant's JSON or CSV can exceed the longest
 * string JavaScript allows, so those stream. A subscription filter applies to every format alike.
 */
async function renderOutput(
  format: string,
  result: ScanResult,
  snapshot: Snapshot,
  opts: { subscriptionId?: string; pretty: boolean },
): Promise<Iterable<string | Uint8Array>> {
  const { ReportScopeError } = await import("@/lib/report/scope");
  try {
    if (format === "pdf") {
      const { renderSubscriptionPdf, renderTenantPdf } = await import("@/lib/report/pdf");
      const input = { result, snapshot, generatedAt: new Date() };
      return [opts.subscriptionId ? await renderSubscriptionPdf(input, opts.subscriptionId) : await renderTenantPdf(input)];
    }
    if (format === "json" && !opts.subscriptionId) {
      if (opts.pretty) return [`${JSON.stringify(result, null, 2)}\n`];
      const { resultJsonChunks } = await import("@/lib/posture/result-json");
      return [...resultJsonChunks(result), "\n"];
    }
    if (format === "csv" && !opts.subscriptionId) {
      const { findingsToCsvLines } = await import("@/lib/report/csv");
      return findingsToCsvLines(result);
    }
    const { renderExport } = await import("@/lib/report/export");
    const { EmptyPoamError } = await import("@/lib/report/oscal/poam");
    try {
      return renderExport(format as ExportFormat, result, { subscriptionId: opts.subscriptionId }).chunks;
    } catch (error) {
      if (error instanceof EmptyPoamError) throw new UsageError(error.message);
      throw error;
    }
  } catch (error) {
    if (error instanceof ReportScopeError) throw new UsageError(error.message);
    throw error;
  }
}

/** Exit code for `--fail-on`: 1 when an unmuted failure at or above the severity exists. */
export function failOnExitCode(result: ScanResult, threshold: Severity | undefined): 0 | 1 {
  if (!threshold) return 0;
  const min = SEVERITY_RANK[threshold];
  return result.findings.some((f) => f.status === "fail" && !f.muted && SEVERITY_RANK[f.severity] >= min) ? 1 : 0;
}

async function readExceptions(path: string) {
  const text = readTextFile(path, "exceptions file", 16 * 1048576);
  const { parseExceptionsText } = await import("@/lib/posture/exceptions");
  try {
    return parseExceptionsText(text);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

function parseSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (value === "high" || value === "medium" || value === "low") return value;
  throw new UsageError(`--fail-on must be high, medium or low, got "${value}"`);
}

export function registerScanCommand(program: Command): void {
  const command = program
    .command("scan")
    .description("Evaluate a snapshot (or collect one first) and write the findings")
    .option("--snapshot <file>", "a snapshot file, an `az graph query -o json` export, a bare array or an ARM list")
    .option("--source <source>", "collect first from emulator or live (instead of --snapshot)")
    .option("--subscriptions <ids>", "with --source: comma-separated subscription IDs")
    .option("--format <format>", `${OUTPUT_FORMATS.join(", ")} (ocsf: JSON lines; oscal-ar, oscal-poam, oscal-ap: OSCAL 1.1.3 JSON)`, "json")
    .option("--subscription <id>", "limit the output (and the PDF report) to one subscription")
    .option("--out <file>", "where to write (default: stdout)")
    .option("--exceptions <file>", "a JSON file of exception rules that mute findings")
    .option("--pretty", "indent the JSON (larger and slower on big tenants)")
    .option("--fail-on <severity>", "exit 1 when an unmuted failure of this severity or higher exists (high, medium, low)")
    .option("--emulator-state <dir>", "state folder of a running emulator", "data/emulator");
  addTargetOptions(command).action(
    async (
      opts: TargetFlags & {
        snapshot?: string;
        source?: string;
        subscriptions?: string;
        format: string;
        out?: string;
        exceptions?: string;
        failOn?: string;
        emulatorState: string;
        pretty?: boolean;
        subscription?: string;
      },
    ) => {
      if (!OUTPUT_FORMATS.includes(opts.format)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}, got "${opts.format}"`);
      if (opts.format === "pdf" && !opts.out) throw new UsageError("--format pdf needs --out FILE (a PDF is not written to a terminal)");
      if (!!opts.snapshot === !!opts.source) throw new UsageError("give exactly one of --snapshot FILE or --source emulator|live");
      const targets = await targetsFromFlags(opts);
      if (targets && opts.snapshot) throw new UsageError("--targets and --tenant collect; they need --source emulator|live, not --snapshot");
      const threshold = parseSeverity(opts.failOn);
      const rules = opts.exceptions ? await readExceptions(opts.exceptions) : [];
      // Heavy modules load only when a scan runs, so `--help` and usage errors answer at once.
      const [{ parseSnapshotFile }, { evaluateSnapshot }, { buildResult }] = await Promise.all([
        import("@/lib/posture/parse"),
        import("@/lib/posture/evaluate"),
        import("@/lib/posture/result"),
      ]);
      const startedAt = new Date().toISOString();
      let snapshot: Snapshot;
      let source: "live" | "emulator" | "snapshot";
      if (opts.snapshot) {
        checkInputFile(opts.snapshot, "snapshot", MAX_SNAPSHOT_BYTES);
        try {
          // Streamed: the whole text of a large snapshot is never in memory next to its parsed form.
          snapshot = parseSnapshotFile(opts.snapshot);
        } catch (error) {
          throw new UsageError(`${opts.snapshot}: ${(error as Error).message}`);
        }
        source = "snapshot";
      } else {
        const collectSource = parseSource(opts.source, "emulator");
        const [{ collect }, { openTarget }] = await Promise.all([import("@/lib/azure/collect"), import("@/lib/scan/sources")]);
        const opened = targets ? undefined : await openTarget(collectSource, { stateDir: opts.emulatorState, startTemporary: startTemporaryEmulator });
        const bar = progressBar();
        try {
          const onProgress = (p: { phase: string; done: number; total: number }) => bar.update(p.phase, p.done, p.total);
          snapshot = (
            targets
              ? await collectFlaggedTargets(collectSource, targets, { stateDir: opts.emulatorState, onProgress })
              : await collect(opened!.target, { subscriptions: parseList(opts.subscriptions), onProgress })
          ).snapshot;
        } finally {
          bar.finish();
          await opened?.close();
        }
        source = collectSource;
      }
      const evaluation = evaluateSnapshot(snapshot);
      const now = new Date();
      const result = buildResult({
        snapshot,
        evaluation,
        scan: { id: randomUUID(), startedAt, finishedAt: now.toISOString(), source, tenantId: snapshot.tenantId ?? null },
        exceptions: rules,
        now,
      });
      const output = await renderOutput(opts.format, result, snapshot, { subscriptionId: opts.subscription, pretty: !!opts.pretty });
      if (opts.out) writeChunksAtomic(opts.out, output);
      else await writeChunksToStdout(output);
      process.exitCode = failOnExitCode(result, threshold);
    },
  );
}
