/**
 * Resource Graph's per-caller quota: a fixed window per caller (the bearer token), reported in
 * `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (hh:mm:ss) on every response.
 */

export interface QuotaOptions {
  requests: number;
  windowMs: number;
}

export interface QuotaState {
  allowed: boolean;
  remaining: number;
  resetsAfterMs: number;
}

interface Window {
  start: number;
  used: number;
}

export class QuotaTracker {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: QuotaOptions) {}

  /** Spends one request of the caller's window (nothing is spent once it is exhausted). */
  take(caller: string, now = Date.now()): QuotaState {
    const w = this.window(caller, now);
    const allowed = w.used < this.options.requests;
    if (allowed) w.used++;
    return this.state(w, allowed, now);
  }

  /** The caller's state without spending anything (for responses that are not counted). */
  peek(caller: string, now = Date.now()): QuotaState {
    return this.state(this.window(caller, now), true, now);
  }

  private window(caller: string, now: number): Window {
    let w = this.windows.get(caller);
    if (!w || now - w.start >= this.options.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(caller, w);
      if (this.windows.size > 10_000) this.windows.delete(this.windows.keys().next().value!);
    }
    return w;
  }

  private state(w: Window, allowed: boolean, now: number): QuotaState {
    return {
      allowed,
      remaining: Math.max(0, this.options.requests - w.used),
      resetsAfterMs: Math.max(0, w.start + this.options.windowMs - now),
    };
  }
}

/** `hh:mm:ss`, rounded up so a caller that waits this long finds a fresh window. */
export function formatResetsAfter(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}:${two(total % 60)}`;
}

export function quotaHeaders(state: QuotaState): Record<string, string> {
  return {
    "x-ms-user-quota-remaining": String(state.remaining),
    "x-ms-user-quota-resets-after": formatResetsAfter(state.resetsAfterMs),
  };
}
