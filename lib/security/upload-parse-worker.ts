/**
 * Worker-thread entry (started by upload-parser.ts): parses one uploaded snapshot's bytes, so a
 * snapshot that needs more memory than allowed kills this worker (its own heap limit), never
 * the server. Posts back the Snapshot, or the input problem with its JSON path.
 */
import { parentPort, workerData } from "node:worker_threads";
import { InputError, SnapshotInputError, type InputProblem } from "@/lib/posture/input-error";
import { parseUploadedSnapshot } from "./snapshot-input";

export interface ParseRequest {
  bytes: ArrayBuffer;
  maxValues: number;
}

export type ParseReply = { ok: true; snapshot: unknown } | { ok: false; path: string; problem: string; problems?: InputProblem[]; more?: number };

const { bytes, maxValues } = workerData as ParseRequest;
let reply: ParseReply;
try {
  const text = new TextDecoder("utf-8").decode(bytes);
  reply = { ok: true, snapshot: parseUploadedSnapshot(text, maxValues) };
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  reply = {
    ok: false,
    path: error.path,
    problem: error.problem,
    ...(error instanceof SnapshotInputError ? { problems: error.problems, more: error.more } : {}),
  };
}
parentPort!.postMessage(reply);
