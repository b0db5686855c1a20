/**
 * What every API route shares: JSON answers, the one error shape `{ error: { code, message } }`
 * with the right status, and request bodies read with a size limit enforced while streaming.
 */
import { AuthError, actorOfRequest } from "@/lib/auth/principal";
import { InputError } from "@/lib/posture/input-error";
import { findForbiddenKey, forbiddenKeyProblem } from "@/lib/security/hostile-keys";
import { UploadRefusedError } from "@/lib/security/upload-parser";
import { TooManyStreamsError } from "@/lib/scan/jobs-events";
import { ScanCapacityError } from "@/lib/scan/jobs";
import { PayloadTooLargeError, UnsupportedEncodingError, uploadLimitBytes } from "@/lib/security/upload-limit";
import { readBodyBytes } from "@/lib/security/upload-body";
import { InvalidInputError, NotFoundError, ScanConflictError, StateConflictError } from "@/lib/store/errors";

export { PayloadTooLargeError };

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorBody(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ error: { code, message, ...extra } }, status);
}

/** Maps what the store and parsers throw to HTTP; anything unexpected is a 500 without internals. */
export function errorResponse(error: unknown): Response {
  // The store's and the scan jobs' errors may come from another bundle's copy of their module; their
  // classes answer `instanceof` for every copy (lib/store/errors.ts). The others are thrown in the route's own bundle.
  if (error instanceof AuthError) return errorBody(error.status, error.code, error.message);
  if (error instanceof InvalidInputError) return errorBody(400, "invalid_input", error.message, { field: error.field });
  // Snapshot and exception-file errors can also arrive from the upload worker's or the jobs' module copy.
  if (error instanceof InputError || (error instanceof Error && /^(Snapshot|Exceptions)InputError$/.test(error.name))) {
    const { path, problems, more } = error as { path?: unknown; problems?: unknown; more?: unknown };
    // Every problem found (a snapshot's), each with its path once and the resource it is in.
    const all = Array.isArray(problems) ? { problems, more: typeof more === "number" ? more : 0 } : {};
    return errorBody(400, "invalid_input", error.message, { ...(path === undefined ? {} : { path }), ...all });
  }
  if (error instanceof PayloadTooLargeError) return errorBody(413, "payload_too_large", error.message, { limit: error.limit });
  if (error instanceof UnsupportedEncodingError) return errorBody(415, "unsupported_encoding", error.message);
  if (error instanceof UploadRefusedError) return errorBody(error.status, error.code, error.message);
  if (error instanceof TooManyStreamsError) return errorBody(429, "too_many_streams", error.message);
  if (error instanceof ScanCapacityError) return errorBody(503, "too_many_scans", error.message);
  if (error instanceof NotFoundError) return errorBody(404, "not_found", error.message);
  if (error instanceof ScanConflictError) return errorBody(409, "scan_running", error.message, { id: error.runningScanId });
  if (error instanceof StateConflictError) return errorBody(409, "conflict", error.message);
  console.error("speech-posture API error:", error);
  return errorBody(500, "internal", "The server could not complete the request; see the server log.");
}

export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(error);
  }
}

/** The body as text, refusing (413) as soon as more than `limit` bytes have arrived. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readBodyBytes(request, limit));
}

/** A small JSON body (settings, exceptions, scan requests); empty means `{}`. */
export async function readJsonBody(request: Request, limit = 1024 * 1024): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError("body", `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bad = findForbiddenKey(value);
  if (bad) throw new InvalidInputError(bad.path || "body", forbiddenKeyProblem(bad.key));
  return value;
}

/** Who is acting, for the audit trail: the signed-in user (sign-in name and object ID) that requireRole let through, or `local` without sign-in. */
export function actorOf(request: Request): string {
  return actorOfRequest(request);
}

/** Upload limit for snapshots: SPEECH_POSTURE_MAX_UPLOAD_BYTES, default 50 MB. */
export function uploadLimit(env: NodeJS.ProcessEnv = process.env): number {
  return uploadLimitBytes(env);
}

export function intParam(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = params.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw new InvalidInputError(name, `expected a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new InvalidInputError(name, `must be between ${min} and ${max}`);
  return n;
}

/** Refuses query parameters a route does not know, so typos are not silently ignored. */
export function onlyParams(params: URLSearchParams, known: readonly string[]): void {
  for (const name of params.keys()) if (!known.includes(name)) throw new InvalidInputError(name, `unknown parameter; expected ${known.join(", ") || "none"}`);
}
