/**
 * Worker-thread entry (started by upload-parser.ts): parses one uploaded snapshot, from the file
 * the upload was spooled to (read in slices, never as one string) or from bytes, so a snapshot
 * that needs more memory than allowed kills this worker (its own heap limit), never the server.
 * Posts back the Snapshot (for a file, only that it is valid), or the input problem with its JSON path.
 */
import { parentPort, workerData } from "node:worker_threads";
import { InputError, SnapshotInputError, type InputProblem } from "@/lib/posture/input-error";
import { parseUploadedFile, parseUploadedSnapshot } from "./snapshot-input";

export type ParseRequest = { path: string; maxValues: number } | { bytes: ArrayBuffer; maxValues: number };

export type ParseReply = { ok: true; snapshot: unknown } | { ok: false; path: string; problem: string; problems?: InputProblem[]; more?: number };

const request = workerData as ParseRequest;
let reply: ParseReply;
try {
  const snapshot =
    "path" in request
      ? parseUploadedFile(request.path, request.maxValues)
      : parseUploadedSnapshot(new TextDecoder("utf-8").decode(request.bytes), request.maxValues);
  // A file the server reads again itself once it is known to be good: posting a large snapshot
  // back would hold it three times at once (this heap, the serialized copy, the server's).
  reply = { ok: true, snapshot: "path" in request ? null : snapshot };
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
