/**
 * Parses uploaded snapshots off the main thread, one at a time: each in its own worker thread
 * with a heap limit, so a snapshot that needs too much memory (or crashes the parser) ends that
 * worker, and the dashboard keeps serving. Uploads wait their turn before their body is read,
 * so waiting uploads hold no memory; past a short queue they are refused.
 */
import { Worker, type ResourceLimits } from "node:worker_threads";
import { SnapshotInputError } from "@/lib/posture/input-error";
import type { Snapshot } from "@/lib/posture/snapshot";
import type { ParseReply, ParseRequest } from "./upload-parse-worker";
import { parseUploadedFile } from "./snapshot-input";
import { uploadParseMemoryMb, uploadValueLimit } from "./upload-limit";

/** A snapshot the server refuses to parse because of its cost (413), or an upload refused while others wait (503). */
export class UploadRefusedError extends Error {
  constructor(
    readonly status: 413 | 503,
    readonly code: "too_complex" | "busy",
    message: string,
  ) {
    super(message);
    this.name = "UploadRefusedError";
  }
}

/** Uploads allowed to wait while one is read and parsed. */
export const MAX_WAITING_UPLOADS = 4;
/** A parse taking longer than this is stopped. */
const PARSE_TIMEOUT_MS = 120_000;

interface Turns {
  tail: Promise<void>;
  waiting: number;
}
// One queue per process: every server bundle that imports this module shares it.
const turns = ((globalThis as Record<symbol, unknown>)[Symbol.for("speech-posture.upload-turns")] ??= {
  tail: Promise.resolve(),
  waiting: 0,
}) as Turns;

/** Runs `fn` when no other upload is being read or parsed; UploadRefusedError (503) when too many wait. */
export async function oneUploadAtATime<T>(fn: () => Promise<T>): Promise<T> {
  if (turns.waiting >= MAX_WAITING_UPLOADS + 1) {
    throw new UploadRefusedError(503, "busy", "Other snapshot uploads are being processed; try again in a minute.");
  }
  turns.waiting++;
  const before = turns.tail;
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  turns.tail = before.then(() => mine);
  try {
    await before;
    return await fn();
  } finally {
    turns.waiting--;
    release();
  }
}

function startWorker(data: ParseRequest, resourceLimits: ResourceLimits): Worker {
  const options = { workerData: data, transferList: "bytes" in data ? [data.bytes] : [], resourceLimits };
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // In the Next.js server: Turbopack bundles the entry as its own worker chunk.
    return new Worker(new URL("./upload-parse-worker.ts", import.meta.url), options);
  }
  // Run from source (tests, tsx): load the TypeScript entry through tsx. (A string, not a URL
  // expression, so the bundler does not copy the source file as an asset.)
  const entry = import.meta.url.replace(/upload-parser\.ts$/, "upload-parse-worker.ts");
  return new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { ...options, eval: true });
}

/** A file the worker found valid, read here: the same reader, so the same Snapshot (or the same error). */
function readChecked(path: string, maxValues: number): Snapshot {
  return parseUploadedFile(path, maxValues);
}

/** An ArrayBuffer holding exactly `bytes`, to hand to the worker without another copy when possible. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? (bytes.buffer as ArrayBuffer) : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * The snapshot in `input` (UTF-8 JSON: bytes, or a file such as the one `spoolBody` wrote), parsed
 * in a worker. SnapshotInputError for invalid input (as parseUploadedSnapshot), UploadRefusedError
 * (413) when the worker ran out of memory or time. Bytes are handed over to the worker: do not use
 * their buffer afterwards. A file is read in slices and never held whole; once the worker (ended
 * by then) found it valid, this thread reads it again the same way, so the snapshot is never
 * held twice (the worker's heap and a copy posted from it); the caller removes the file.
 */
export function parseSnapshotInWorker(
  input: Uint8Array | { readonly path: string },
  limits: { maxValues?: number; memoryMb?: number; timeoutMs?: number } = {},
): Promise<Snapshot> {
  const memoryMb = limits.memoryMb ?? uploadParseMemoryMb();
  const maxValues = limits.maxValues ?? uploadValueLimit();
  const worker = startWorker(input instanceof Uint8Array ? { bytes: ownBuffer(input), maxValues } : { path: input.path, maxValues }, {
    maxOldGenerationSizeMb: memoryMb,
    maxYoungGenerationSizeMb: Math.min(64, memoryMb),
  });
  // Once the worker has exited its heap is gone: only then is a checked file read here.
  const exited = new Promise<void>((r) => worker.once("exit", () => r()));
  return new Promise<Snapshot>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() => reject(new UploadRefusedError(413, "too_complex", `The snapshot took longer than ${limits.timeoutMs ?? PARSE_TIMEOUT_MS} ms to read.`))),
      limits.timeoutMs ?? PARSE_TIMEOUT_MS,
    );
    worker.on("message", (reply: ParseReply) =>
      settle(() =>
        reply.ok
          ? resolve(input instanceof Uint8Array ? (reply.snapshot as Snapshot) : exited.then(() => readChecked(input.path, maxValues)))
          : reject(new SnapshotInputError(reply.path, reply.problem, reply.problems ? { problems: reply.problems, more: reply.more ?? 0 } : undefined)),
      ),
    );
    worker.on("error", (error: Error & { code?: string }) =>
      settle(() => {
        if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
          reject(
            new UploadRefusedError(
              413,
              "too_complex",
              `The snapshot needs more than ${memoryMb} MB of memory to read (SPEECH_POSTURE_UPLOAD_PARSE_MEMORY_MB); nothing was stored.`,
            ),
          );
        } else reject(error);
      }),
    );
    worker.on("exit", (code) => settle(() => reject(new Error(`the snapshot parser stopped (exit ${code}) without an answer`))));
  });
}
