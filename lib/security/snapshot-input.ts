/**
 * An uploaded snapshot's text → Snapshot, as lib/posture parses it, with two more refusals
 * first: more JSON values than the upload limit allows (counted before anything is allocated),
 * and keys that tamper with objects (see hostile-keys.ts) anywhere in the file. Throws
 * SnapshotInputError naming the JSON path. The server runs this in a worker (upload-parser.ts).
 */
import { SnapshotInputError, parseSnapshot } from "@/lib/posture/parse";
import { readJsonFile } from "@/lib/posture/json-file";
import { parseJsonText, type TextProblem } from "@/lib/posture/json-text";
import type { Snapshot } from "@/lib/posture/snapshot";
import { findForbiddenKey, forbiddenKeyProblem } from "./hostile-keys";
import { uploadValueLimit } from "./upload-limit";

export function parseUploadedSnapshot(text: string, maxValues = uploadValueLimit()): Snapshot {
  return fromParsed(parseJsonText(text, { maxValues }));
}

/**
 * The same for an upload spooled to a file, read in slices (lib/posture/json-file.ts) so that
 * the file's text is never one string; problems read as they do for text.
 */
export function parseUploadedFile(path: string, maxValues = uploadValueLimit()): Snapshot {
  return fromParsed(readJsonFile(path, { maxValues }));
}

function fromParsed(parsed: { value: unknown } | TextProblem): Snapshot {
  if ("problem" in parsed) {
    const hint = parsed.tooManyValues ? " (the limit is SPEECH_POSTURE_MAX_UPLOAD_VALUES)" : "";
    throw new SnapshotInputError(parsed.path, parsed.problem + hint);
  }
  const bad = findForbiddenKey(parsed.value);
  if (bad) throw new SnapshotInputError(bad.path, forbiddenKeyProblem(bad.key));
  return parseSnapshot(parsed.value);
}
