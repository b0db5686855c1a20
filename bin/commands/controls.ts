/** `speech-posture controls`: print the control catalogue. */
import type { Command } from "commander";
import { CATALOG, CATALOG_VERSION } from "@/lib/posture/controls";
import { UsageError } from "@/lib/cli-util";

export function registerControlsCommand(program: Command): void {
  program
    .command("controls")
    .description("Print the control catalogue")
    .option("--format <format>", "text or json", "text")
    .action((opts: { format: string }) => {
      if (opts.format === "json") {
        const plain = CATALOG.map(({ evaluate: _evaluate, ...meta }) => meta);
        process.stdout.write(`${JSON.stringify({ catalogVersion: CATALOG_VERSION, controls: plain }, null, 2)}\n`);
        return;
      }
      if (opts.format !== "text") throw new UsageError(`--format must be text or json, got "${opts.format}"`);
      const lines = [`Speech Posture control catalogue, version ${CATALOG_VERSION}`, ""];
      for (const c of CATALOG) lines.push(`${c.id.padEnd(7)} ${c.severity.padEnd(7)} ${c.title}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
