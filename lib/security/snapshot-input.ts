/**
 * An uploaded snapshot's text → Snapshot, as lib/posture parses it, with one more refusal first:
 * keys that tamper with objects (see hostile-keys.ts) anywhere in the file. Throws
 * SnapshotInputError naming the JSON path.
 */
import { SnapshotInputError, parseSnapshot } from "@/lib/posture/parse";
import { parseJsonText } from "@/lib/posture/json-text";
import type { Snapshot } from "@/lib/posture/snapshot";
import { findForbiddenKey, forbiddenKeyProblem } from "./hostile-keys";

export function parseUploadedSnapshot(text: string): Snapshot {
  const parsed = parseJsonText(text);
  if ("problem" in parsed) throw new SnapshotInputError(parsed.path, parsed.problem);
  const bad = findForbiddenKey(parsed.value);
  if (bad) throw new SnapshotInputError(bad.path, forbiddenKeyProblem(bad.key));
  return parseSnapshot(parsed.value);
}
