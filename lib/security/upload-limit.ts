/** The snapshot upload limit: SPEECH_POSTURE_MAX_UPLOAD_BYTES, default 100 MB (next.config.js reads the same setting). */
export function uploadLimitBytes(env: Record<string, string | undefined> = process.env): number {
  const v = Number(env.SPEECH_POSTURE_MAX_UPLOAD_BYTES);
  return Number.isFinite(v) && v > 0 ? v : 100 * 1024 * 1024;
}

export const UPLOAD_PATH = "/api/snapshots";

/**
 * For the proxy: whether an upload declares a length over the limit. (Next.js runs the proxy and
 * the route only once the whole body has arrived, cutting what it keeps at next.config.js's
 * proxyClientMaxBodySize; the route counts an undeclared body itself.)
 */
export function declaredTooLarge(headers: Headers, limit: number): boolean {
  const declared = headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit;
}
