/**
 * Delivering one message to one destination: attempts with exponential backoff (and jitter) on
 * time-outs, network errors, 408, 429 and 5xx, honouring Retry-After up to the longest wait; no
 * retry after a refusal by policy, a redirect or another 4xx. Each attempt is reported as it ends,
 * so the delivery log holds every one.
 */
import { randomUUID } from "node:crypto";
import { postOnce, type PostOptions, type PostResult } from "./post";
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature";

export interface RetryPolicy {
  maxAttempts: number;
  /** The first wait; each next one doubles. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 60_000 };
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export interface Message {
  url: string;
  body: string;
  /** The generic webhook's HMAC secret; Teams and Slack URLs carry their own token instead. */
  hmacSecret?: string | null;
  /** The alert's key, sent as X-Speech-Posture-Event. */
  eventKey: string;
}

export interface AttemptReport extends PostResult {
  attempt: number;
  deliveryId: string;
  startedAt: Date;
  durationMs: number;
  /** Another attempt follows. */
  willRetry: boolean;
}

export interface DeliverOptions extends Omit<PostOptions, "timeoutMs" | "maxResponseBytes"> {
  timeoutMs?: number;
  maxResponseBytes?: number;
  retry?: RetryPolicy;
  /** The clock of the attempts' `startedAt` (the store's, so the log sorts with everything else). */
  now?: () => Date;
  onAttempt?: (report: AttemptReport) => Promise<void> | void;
  /** Waits between attempts (tests may shorten it; it stops early on abort). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const retryable = (r: PostResult) =>
  r.outcome === "timeout" || (r.outcome === "failed" && (r.httpStatus === null || r.httpStatus === 408 || r.httpStatus === 429 || r.httpStatus >= 500));

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** The wait before attempt `next` (2, 3, …): base × 2^(next-2) with ±20 % jitter, or Retry-After; capped. */
export function backoffMs(next: number, policy: RetryPolicy, retryAfterSeconds: number | null, random = Math.random): number {
  const planned = policy.baseDelayMs * 2 ** (next - 2) * (0.8 + 0.4 * random());
  const asked = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return Math.min(policy.maxDelayMs, Math.max(planned, asked));
}

/** Sends until delivered, refused, out of attempts or aborted; returns the last attempt. */
export async function deliver(message: Message, options: DeliverOptions): Promise<AttemptReport> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const now = options.now ?? (() => new Date());
  const wait = options.sleep ?? sleep;
  const deliveryId = randomUUID(); // the same on every attempt: receivers can drop repeats
  for (let attempt = 1; ; attempt++) {
    const startedAt = now();
    // The receiver compares the signed timestamp with its own clock: the real time, whatever clock the log uses.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "speech-posture-alerts/1",
      "x-speech-posture-event": message.eventKey,
      "x-speech-posture-delivery": deliveryId,
    };
    if (message.hmacSecret) {
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = signBody(message.hmacSecret, timestamp, message.body);
    }
    const t0 = performance.now();
    const r = await postOnce(message.url, message.body, headers, {
      gate: options.gate,
      ca: options.ca,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    });
    const willRetry = retryable(r) && attempt < retry.maxAttempts && !options.signal?.aborted;
    const report: AttemptReport = { ...r, attempt, deliveryId, startedAt, durationMs: Math.round(performance.now() - t0), willRetry };
    await options.onAttempt?.(report);
    if (!willRetry) return report;
    await wait(backoffMs(attempt + 1, retry, r.retryAfterSeconds), options.signal);
  }
}
