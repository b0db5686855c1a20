/**
 * The generic webhook's signature: HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * destination's secret, sent as `X-Speech-Posture-Signature: sha256=<hex>` beside
 * `X-Speech-Posture-Timestamp: <unix seconds>`. The timestamp is signed too, so a receiver that
 * refuses old timestamps cannot be sent a captured message again later.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-speech-posture-signature";
export const TIMESTAMP_HEADER = "x-speech-posture-timestamp";

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: recompute and compare in constant time; false for a stale timestamp. */
export function verifySignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
