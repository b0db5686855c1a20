/**
 * The limits on one snapshot upload, each from an environment setting (docs/security.md):
 *   SPEECH_POSTURE_MAX_UPLOAD_BYTES         body size (default 50 MB)
 *   SPEECH_POSTURE_MAX_UPLOAD_VALUES        JSON values in it (default 2,000,000)
 *   SPEECH_POSTURE_UPLOAD_PARSE_MEMORY_MB   heap of the worker that parses it (default 1024)
 * A real collection is about 29,000 values per MB, so the defaults fit each other.
 */
type Env = Record<string, string | undefined>;

/** A body over its limit (413). */
export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the limit of ${limit} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/** An upload whose Content-Encoding the server does not decode (415). */
export class UnsupportedEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`The Content-Encoding ${JSON.stringify(encoding)} is not accepted; send the snapshot as is (identity) or gzip`);
    this.name = "UnsupportedEncodingError";
  }
}

function positive(env: Env, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** The snapshot upload limit in bytes (the upload route enforces it while the body streams). */
export function uploadLimitBytes(env: Env = process.env): number {
  return positive(env, "SPEECH_POSTURE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024);
}

/** How many JSON values an upload may hold: counted before parsing, since tiny values cost far more memory than bytes. */
export function uploadValueLimit(env: Env = process.env): number {
  return positive(env, "SPEECH_POSTURE_MAX_UPLOAD_VALUES", 2_000_000);
}

/** The parse worker's old-generation heap, in MB: past it the worker dies, not the server. */
export function uploadParseMemoryMb(env: Env = process.env): number {
  return positive(env, "SPEECH_POSTURE_UPLOAD_PARSE_MEMORY_MB", 1024);
}

export const UPLOAD_PATH = "/api/snapshots";

/** Whether an upload declares a length over the limit (refused before any of the body is read). */
export function declaredTooLarge(headers: Headers, limit: number): boolean {
  const declared = headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit;
}
