/** `speech-posture snapshot`: collect from the emulator or a live tenant and write a snapshot file. */
import type { Command } from "commander";
import { UsageError, parseList, parsePositiveInt, progressBar, writeFileAtomic } from "@/lib/cli-util";
import type { CollectionSource } from "@/lib/azure/target";
import type { OpenedTarget } from "@/lib/scan/sources";
import { addTargetOptions, collectFlaggedTargets, targetsFromFlags, type TargetFlags } from "./targets-option";

/** No emulator running: serve the demo tenant in this process for one collection. */
export async function startTemporaryEmulator(): Promise<OpenedTarget> {
  const [{ startEmulator }, { emulatorTarget }] = await Promise.all([import("@/emulator/server"), import("@/lib/azure/target")]);
  const emu = await startEmulator({ port: 0 });
  return { target: emulatorTarget({ url: emu.url, ca: emu.ca }), close: () => emu.close() };
}

export function parseSource(value: string | undefined, fallback: CollectionSource): CollectionSource {
  if (value === undefined) return fallback;
  if (value !== "emulator" && value !== "live") throw new UsageError(`--source must be emulator or live, got "${value}"`);
  return value;
}

export function registerSnapshotCommand(program: Command): void {
  const command = program
    .command("snapshot")
    .description("Collect Speech resources and everything they link to into a snapshot file")
    .option("--source <source>", "emulator (built-in demo tenant) or live (Azure settings from the environment)", "emulator")
    .option("--subscriptions <ids>", "comma-separated subscription IDs (default: every visible subscription)")
    .option("--out <file>", "where to write the snapshot JSON (default: stdout)")
    .option("--concurrency <n>", "per-resource calls in flight at once", "16")
    .option("--emulator-state <dir>", "state folder of a running emulator", "data/emulator");
  addTargetOptions(command).action(
    async (opts: { source: string; subscriptions?: string; out?: string; concurrency: string; emulatorState: string } & TargetFlags) => {
      const source = parseSource(opts.source, "emulator");
      const concurrency = parsePositiveInt("--concurrency", opts.concurrency, 16);
      const targets = await targetsFromFlags(opts);
      const [{ collect }, { openTarget }] = await Promise.all([import("@/lib/azure/collect"), import("@/lib/scan/sources")]);
      // With targets, each opens its own (a running emulator serves their tenants); else the environment's one credential.
      const opened = targets ? undefined : await openTarget(source, { stateDir: opts.emulatorState, startTemporary: startTemporaryEmulator });
      const bar = progressBar();
      try {
        const onProgress = (p: { phase: string; done: number; total: number }) => bar.update(p.phase, p.done, p.total);
        const { snapshot, stats } = targets
          ? await collectFlaggedTargets(source, targets, { stateDir: opts.emulatorState, concurrency, onProgress })
          : await collect(opened!.target, { subscriptions: parseList(opts.subscriptions), concurrency, onProgress });
        bar.finish();
        // Compact: a 100,000-account snapshot is close to the longest string JavaScript allows.
        const json = `${JSON.stringify(snapshot)}\n`;
        if (opts.out) {
          writeFileAtomic(opts.out, json);
          const accounts = snapshot.resources.filter(
            (r) => typeof r.type === "string" && r.type.toLowerCase() === "microsoft.cognitiveservices/accounts",
          ).length;
          process.stderr.write(
            `Wrote ${opts.out}: ${snapshot.subscriptions.length} subscriptions, ${accounts} Speech accounts, ${snapshot.errors.length} errors ` +
              `(${stats.argRequests} Resource Graph requests, ${stats.perResourceCalls} per-resource calls)\n`,
          );
        } else {
          process.stdout.write(json);
        }
      } finally {
        bar.finish();
        await opened?.close();
      }
    },
  );
}
