/**
 * `speech-posture doctor`: what the configured identity can read, and for each gap which controls
 * will come out unknown and which role to grant. Exit 1 when a gap exists (a pipeline can stop
 * before a scan full of unknowns), 0 when none, 2 on bad usage or configuration.
 */
import type { Command } from "commander";
import type { DoctorReport } from "@/lib/azure/doctor";
import { UsageError } from "@/lib/cli-util";
import { parseSource, startTemporaryEmulator } from "./snapshot";

const MARK: Record<string, string> = { ok: "ok     ", gap: "GAP    ", warning: "warning", skipped: "skipped" };

export function renderDoctorText(report: DoctorReport): string {
  const lines: string[] = [];
  lines.push(`Subscriptions visible: ${report.subscriptions.length}`);
  for (const s of report.subscriptions.slice(0, 20)) {
    const groups = s.managementGroupAncestors ? ` (under ${s.managementGroupAncestors.join(" > ") || "no management group"})` : "";
    lines.push(`  ${s.subscriptionId}  ${s.displayName ?? ""}${groups}`);
  }
  if (report.subscriptions.length > 20) lines.push(`  … and ${report.subscriptions.length - 20} more`);
  lines.push(`Management groups visible: ${report.managementGroups.length ? report.managementGroups.join(", ") : "none"}`, "");
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]}  ${c.title}: ${c.detail}`);
    if (c.unknownControls.length) lines.push(`         unknown until fixed: ${c.unknownControls.join(", ")}`);
    if (c.grant) lines.push(`         grant: ${c.grant}`);
  }
  lines.push("", report.gaps ? `${report.gaps} gap(s): a scan now would leave the controls above unknown.` : "No gaps: a scan can judge every control.");
  return `${lines.join("\n")}\n`;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("Check what the configured Azure identity can read before a first scan; exit 1 when something is missing")
    .option("--source <source>", "live (Azure settings from the environment) or emulator; default: live when Azure settings are present")
    .option("--format <format>", "text or json", "text")
    .option("--emulator-state <dir>", "state folder of a running emulator", "data/emulator")
    .action(async (opts: { source?: string; format: string; emulatorState: string }) => {
      if (opts.format !== "text" && opts.format !== "json") throw new UsageError(`--format must be text or json, got "${opts.format}"`);
      const [{ runDoctor }, { defaultSource, openTarget }] = await Promise.all([import("@/lib/azure/doctor"), import("@/lib/scan/sources")]);
      const source = parseSource(opts.source, defaultSource());
      const opened = await openTarget(source, { stateDir: opts.emulatorState, startTemporary: startTemporaryEmulator });
      let report: DoctorReport;
      try {
        report = await runDoctor(opened.target, { signal: AbortSignal.timeout(120_000) });
      } finally {
        await opened.close();
      }
      process.stdout.write(opts.format === "json" ? `${JSON.stringify({ source, ...report }, null, 2)}\n` : renderDoctorText(report));
      process.exitCode = report.gaps > 0 ? 1 : 0;
    });
}
