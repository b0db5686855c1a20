/**
 * Standalone entry: `tsx emulator/main.ts [emulator options]` runs only the emulator command,
 * without loading the rest of the CLI (handy for benchmarks and when debugging the emulator).
 */
import { Command } from "commander";
import { registerEmulatorCommand } from "./command";

const program = new Command("speech-posture-emulator").exitOverride();
registerEmulatorCommand(program);
try {
  await program.parseAsync(["node", "speech-posture", "emulator", ...process.argv.slice(2)]);
} catch (error) {
  // Commander already printed usage errors; --help exits 0.
  process.exitCode = (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
}
