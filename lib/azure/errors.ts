/**
 * Turning a failed Azure call into a snapshot error entry: the reason the controls read, and the
 * service's own error code kept as the service spelled it.
 */
import type { ErrorReason, ErrorSource, SnapshotError } from "@/lib/posture/snapshot";

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  response?: { status?: number; bodyAsText?: string | null; parsedBody?: unknown };
}

/** The ARM error body `{ error: { code, message } }`, wherever the SDK left it. */
function armErrorBody(err: ErrorLike): { code?: string; message?: string } | undefined {
  const candidates: unknown[] = [err.details, err.response?.parsedBody];
  const text = err.response?.bodyAsText;
  if (typeof text === "string" && text.startsWith("{")) {
    try {
      candidates.push(JSON.parse(text));
    } catch {
      /* not JSON: fall back to the message */
    }
  }
  for (const c of candidates) {
    if (c && typeof c === "object") {
      const inner = (c as { error?: unknown }).error ?? c;
      if (inner && typeof inner === "object" && typeof (inner as { code?: unknown }).code === "string") {
        return inner as { code?: string; message?: string };
      }
    }
  }
  return undefined;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

export interface ClassifiedError {
  reason: ErrorReason;
  code: string;
  message: string;
  status?: number;
}

export function classifyError(error: unknown): ClassifiedError {
  const err = (error ?? {}) as ErrorLike;
  const status = err.statusCode ?? err.response?.status;
  const body = armErrorBody(err);
  const code = body?.code ?? err.code ?? (status ? `HTTP${status}` : (err.name ?? "Error"));
  const message = oneLine(body?.message ?? err.message ?? String(error));
  if (status === 403 && /public access is disabled|firewall|virtual network/i.test(message)) {
    return { reason: "network_blocked", code, message, status };
  }
  if (status === 401 || status === 403) return { reason: "access_denied", code, message, status };
  if (!status && err.code && NETWORK_CODES.has(err.code)) return { reason: "network_blocked", code, message };
  return { reason: "collection_error", code, message, status };
}

export function toSnapshotError(scope: string, source: ErrorSource, error: unknown): SnapshotError {
  const c = classifyError(error);
  return { scope, source, reason: c.reason, code: c.code, message: c.message };
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 500 ? `${flat.slice(0, 497)}...` : flat;
}

export function isAbortError(error: unknown): boolean {
  return !!error && typeof error === "object" && (error as { name?: string }).name === "AbortError";
}

/** The error a cancelled collection rejects with. */
export class CollectionCancelledError extends Error {
  constructor() {
    super("Collection was cancelled");
    this.name = "AbortError";
  }
}
