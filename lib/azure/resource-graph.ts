/**
 * Resource Graph reads: the caller's own paging loop (the SDK returns one page), and pacing driven
 * by the quota headers, because the SDK does not retry a 429 that carries only
 * `x-ms-user-quota-*` headers (azure-facts §10).
 */
import { ResourceGraphClient, type AuthorizationScopeFilter } from "@azure/arm-resourcegraph";
import { clientOptions, type AzureTarget, type QuotaGate } from "./target";
import { classifyError, isAbortError } from "./errors";
import { sleep, throwIfAborted } from "./sleep";

export interface ArgStats {
  requests: number;
  throttled: number;
}

interface HeaderBag {
  get(name: string): string | undefined;
}

/** `hh:mm:ss` (optionally with fractions or a day part `d.hh:mm:ss`) to milliseconds. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(?:(\d+)\.)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h)) * 3600 + Number(min) * 60 + Number(s)) * 1000;
}

const MAX_THROTTLE_RETRIES = 8;
const PAGE_SIZE = 1000;

/** Options of one query: which role assignments count as in scope (authorizationresources only). */
export interface QueryOptions {
  authorizationScopeFilter?: AuthorizationScopeFilter;
  /** Scope the query to these management groups (only without `subscriptions`). */
  managementGroups?: string[];
}

export interface QueryOutcome {
  rows: Record<string, unknown>[];
  /** `x-ms-tenant-subscription-limit-hit: true`: a tenant or management-group scope covered only its first subscriptions. */
  subscriptionLimitHit: boolean;
  /** `resultTruncated: "true"` with no `$skipToken`: rows are missing. */
  truncated: boolean;
}

/**
 * Resource Graph answered `resultTruncated: "true"` without a `$skipToken`: rows are missing and
 * cannot be paged to. The caller narrows the scope or records the gap; it is never silent.
 */
export class TruncatedResultError extends Error {
  readonly code = "ResultTruncated";
  constructor(count: number) {
    super(`Resource Graph truncated the result after ${count} rows and offered no $skipToken to page on.`);
    this.name = "TruncatedResultError";
  }
}

export class ResourceGraphReader {
  private readonly client: ResourceGraphClient;
  private readonly gate: QuotaGate | undefined;
  private quotaRemaining: number | undefined;
  private quotaResetAt = 0;
  readonly stats: ArgStats = { requests: 0, throttled: 0 };

  constructor(target: AzureTarget) {
    this.gate = target.quotaGate;
    this.client = new ResourceGraphClient(target.credential, {
      endpoint: target.cloud.armEndpoint,
      credentials: { scopes: [target.cloud.armScope] },
      ...clientOptions(target),
      userAgentOptions: { userAgentPrefix: "speech-posture" },
    });
  }

  /** Every row of a query over the given subscriptions (all visible ones when omitted). */
  async queryAll(
    query: string,
    subscriptions: string[] | undefined,
    signal?: AbortSignal,
    onPage?: (rows: Record<string, unknown>[]) => void,
    options: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    const outcome = await this.query(query, subscriptions, signal, onPage, options);
    if (outcome.truncated) throw new TruncatedResultError(outcome.rows.length);
    return outcome.rows;
  }

  /** As `queryAll`, but returning what came back with the flags that say it is not everything. */
  async query(
    query: string,
    subscriptions: string[] | undefined,
    signal?: AbortSignal,
    onPage?: (rows: Record<string, unknown>[]) => void,
    options: QueryOptions = {},
  ): Promise<QueryOutcome> {
    const rows: Record<string, unknown>[] = [];
    let skipToken: string | undefined;
    let subscriptionLimitHit = false;
    let truncated = false;
    do {
      const { page, limitHit } = await this.queryPage(query, subscriptions, skipToken, signal, options);
      subscriptionLimitHit ||= limitHit;
      if (!Array.isArray(page.data)) {
        throw Object.assign(new Error("Resource Graph returned a page whose data is not an array"), { code: "InvalidResponse" });
      }
      const data = page.data as Record<string, unknown>[];
      for (const row of data) rows.push(row);
      onPage?.(data);
      skipToken = page.skipToken || undefined;
      truncated = !skipToken && String(page.resultTruncated).toLowerCase() === "true";
    } while (skipToken);
    return { rows, subscriptionLimitHit, truncated };
  }

  private async queryPage(
    query: string,
    subscriptions: string[] | undefined,
    skipToken: string | undefined,
    signal: AbortSignal | undefined,
    options: QueryOptions,
  ) {
    for (let attempt = 0; ; attempt++) {
      await this.waitForQuota(signal);
      await this.gate?.acquire(signal);
      this.stats.requests++;
      let limitHit = false;
      try {
        const { managementGroups, ...requestOptions } = options;
        const page = await this.client.resources(
          { query, subscriptions, managementGroups, options: { top: PAGE_SIZE, skipToken, resultFormat: "objectArray", ...requestOptions } },
          {
            abortSignal: signal,
            onResponse: (raw) => {
              this.noteQuota(raw.headers);
              limitHit = raw.headers.get("x-ms-tenant-subscription-limit-hit")?.trim().toLowerCase() === "true";
            },
          },
        );
        return { page, limitHit };
      } catch (error) {
        if (isAbortError(error) || signal?.aborted) throw error;
        const status = classifyError(error).status;
        const headers = (error as { response?: { headers?: HeaderBag } }).response?.headers;
        if (headers) this.noteQuota(headers);
        if (status !== 429 || attempt >= MAX_THROTTLE_RETRIES) throw error;
        this.stats.throttled++;
        await sleep(this.backoffAfter429(headers, attempt), signal);
      }
    }
  }

  /** The quota Resource Graph last reported (`x-ms-user-quota-*`); undefined fields when it sent none. */
  get quota(): { remaining?: number; resetsInMs?: number } {
    return { remaining: this.quotaRemaining, resetsInMs: this.quotaRemaining === undefined ? undefined : Math.max(0, this.quotaResetAt - Date.now()) };
  }

  private noteQuota(headers: HeaderBag): void {
    const remaining = headers.get("x-ms-user-quota-remaining");
    const resetMs = parseResetsAfter(headers.get("x-ms-user-quota-resets-after"));
    if (remaining !== undefined && remaining !== "" && !Number.isNaN(Number(remaining))) {
      this.quotaRemaining = Number(remaining);
      if (resetMs !== undefined) this.quotaResetAt = Date.now() + resetMs;
      this.gate?.note(this.quotaRemaining, resetMs).catch(() => undefined); // a hint: a lost one costs at most a 429
    }
  }

  /** Spend the quota, then wait for the window to reset instead of collecting 429s. */
  private async waitForQuota(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.quotaRemaining !== undefined && this.quotaRemaining <= 0) {
      const wait = this.quotaResetAt - Date.now();
      if (wait > 0) await sleep(wait + 25, signal);
      this.quotaRemaining = undefined;
    }
  }

  private backoffAfter429(headers: HeaderBag | undefined, attempt: number): number {
    const retryAfter = Number(headers?.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
    // A spent quota: waitForQuota() sleeps until the window resets.
    if (this.quotaRemaining !== undefined && this.quotaRemaining <= 0) return 0;
    // No hint at all: exponential back-off with jitter, as the throttling guidance asks.
    return Math.min(10_000, 200 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
  }
}
