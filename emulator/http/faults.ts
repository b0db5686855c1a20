/**
 * Injected faults: extra latency, 429 storms, 500s and denied scopes. Counters live here so
 * `setFaults` can replace the whole set at runtime and start counting afresh.
 */

export type Surface = "arg" | "arm" | "speech";

export interface Faults {
  /** Added to every response, on top of the server's `latencyMs`. */
  latencyMs?: number;
  /** The next `count` requests of any kind get 429 (with `Retry-After` when given). */
  throttleStorm?: { count: number; retryAfterSeconds?: number };
  /** 500 `InternalServerError` on every Nth matching request, for at most `count` of them. */
  serverErrors?: { everyNth?: number; count?: number; match?: Surface };
  /** 403 `AuthorizationFailed` for these subscriptions (ARG scopes, ARM, data plane) and resources (ARM, data plane). */
  deny?: { subscriptions?: string[]; resources?: string[] };
}

export type Injected = { kind: "throttle"; retryAfterSeconds?: number } | { kind: "server-error" } | undefined;

export class FaultState {
  private stormLeft: number;
  private matching = 0;
  private errorsSent = 0;
  readonly deniedSubscriptions: ReadonlySet<string>;
  readonly deniedResources: ReadonlySet<string>;

  constructor(readonly faults: Faults = {}) {
    this.stormLeft = Math.max(0, Math.floor(faults.throttleStorm?.count ?? 0));
    this.deniedSubscriptions = new Set((faults.deny?.subscriptions ?? []).map((s) => s.toLowerCase()));
    this.deniedResources = new Set((faults.deny?.resources ?? []).map((s) => s.toLowerCase()));
  }

  get latencyMs(): number {
    return Math.max(0, this.faults.latencyMs ?? 0);
  }

  /** Decides whether this request is answered by a fault instead of the handler. */
  next(surface: Surface): Injected {
    if (this.stormLeft > 0) {
      this.stormLeft--;
      return { kind: "throttle", retryAfterSeconds: this.faults.throttleStorm?.retryAfterSeconds };
    }
    const se = this.faults.serverErrors;
    if (se && (!se.match || se.match === surface)) {
      if (se.count !== undefined && this.errorsSent >= se.count) return undefined;
      this.matching++;
      const every = Math.max(1, Math.floor(se.everyNth ?? 1));
      if (this.matching % every === 0) {
        this.errorsSent++;
        return { kind: "server-error" };
      }
    }
    return undefined;
  }

  isDeniedResource(resourceId: string, subscriptionId: string | undefined): boolean {
    return this.deniedResources.has(resourceId.toLowerCase()) || (!!subscriptionId && this.deniedSubscriptions.has(subscriptionId.toLowerCase()));
  }
}
