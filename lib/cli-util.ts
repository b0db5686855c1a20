/** Small helpers shared by CLI commands: one-line errors, atomic file output and a TTY progress bar. */
import { closeSync, mkdirSync, openSync, renameSync, writeSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";

/** An error whose message is fit to print as the CLI's one line (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Write the whole file or nothing: a temp file renamed into place, so a failure leaves no half file. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeChunksAtomic(path, [data]);
}

/** The same for output produced in pieces (a whole tenant's JSON exceeds the longest string). */
export function writeChunksAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
  mkdirSync(dirname(path) || ".", { recursive: true });
  const tmp = join(dirname(path) || ".", `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    for (const chunk of chunks) {
      if (typeof chunk === "string") writeSync(fd, chunk);
      else writeSync(fd, chunk);
    }
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Writes pieces to stdout, waiting when the pipe is full. */
export async function writeChunksToStdout(chunks: Iterable<string | Uint8Array>): Promise<void> {
  for (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
}

export function parseList(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (pipelines, CI). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  return {
    update(label: string, done: number, total: number) {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 30;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      stream.write(`\r${label.padEnd(16)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}  `);
    },
    finish() {
      if (stream.isTTY) stream.write("\r\x1b[2K");
    },
  };
}
