/**
 * `speech-posture`: collect snapshots, evaluate them, print the catalogue, run the emulator.
 * Every failure is one line on stderr and exit code 2 (a stack trace only with --verbose).
 */
import { Command, CommanderError } from "commander";
import { registerSnapshotCommand } from "./commands/snapshot";
import { registerScanCommand } from "./commands/scan";
import { registerControlsCommand } from "./commands/controls";
import { registerDoctorCommand } from "./commands/doctor";
import { registerWorkerCommand } from "./commands/worker";
import { registerEmulatorCommand } from "@/emulator/command";

export async function main(argv: string[]): Promise<void> {
  const program = new Command("speech-posture")
    .description("Audit how Azure AI Speech resources protect the customer data they store.")
    .option("--verbose", "print stack traces on errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerSnapshotCommand(program);
  registerScanCommand(program);
  registerControlsCommand(program);
  registerDoctorCommand(program);
  registerWorkerCommand(program);
  registerEmulatorCommand(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes exit 2 (commander already printed the message).
      process.exit(error.exitCode === 0 ? 0 : 2);
    }
    const verbose = argv.includes("--verbose");
    const message = error instanceof Error ? error.message : String(error);
    // One line, plus the indented list of an input file's problems (never a stack or other detail).
    const [first, ...rest] = message.split("\n");
    const listed = rest.length > 0 && rest.every((l) => l.startsWith("  ")) ? rest : [];
    process.stderr.write(`speech-posture: ${[first, ...listed].join("\n")}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(2);
  }
}
