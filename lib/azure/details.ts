/**
 * What Resource Graph cannot see, read per resource: diagnostic settings (ARM, through the Monitor
 * SDK) and custom-endpoint logging (Speech to text 2025-10-15 on the custom subdomain with an Entra
 * token; keys are never listed). The documents are kept exactly as Azure returned them.
 */
import { MonitorClient } from "@azure/arm-monitor";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { clientOptions, type AzureTarget } from "./target";
import { isValidCustomSubDomain } from "./clouds";

/** Speech to text REST, current GA (v3.0–v3.2 were retired on 2026-03-31). */
export const SPEECH_TO_TEXT_API_VERSION = "2025-10-15";

/**
 * An `@nextLink` is followed only on the origin (and under the path) of the account's own data
 * plane: a service answer must never send the bearer token to another host.
 */
export function checkedNextLink(next: string, base: string): string {
  let parsed: URL;
  try {
    parsed = new URL(next);
  } catch {
    throw new DetailError("InvalidNextLink", "The Speech data plane returned an @nextLink that is not a URL.");
  }
  const home = new URL(base);
  const prefix = home.pathname.replace(/\/+$/, "");
  if (parsed.origin !== home.origin || !(parsed.pathname === prefix || parsed.pathname.startsWith(`${prefix}/`))) {
    throw new DetailError(
      "ForeignNextLink",
      `The Speech data plane returned an @nextLink to ${parsed.host}${parsed.pathname}, not the account's own data plane (${home.host}); it was not followed.`,
    );
  }
  return parsed.toString();
}

/** Raised for a per-resource call that cannot be made or returned something unusable. */
export class DetailError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DetailError";
  }
}

/** The account cannot be called at all (no or invalid custom subdomain): recorded, but no call failed. */
export class NotCallableError extends DetailError {}

export class DetailReader {
  private readonly monitor: MonitorClient;
  private readonly speechPipeline: Pipeline;
  private readonly httpClient: HttpClient;
  calls = 0;

  constructor(private readonly target: AzureTarget) {
    const options = clientOptions(target);
    this.monitor = new MonitorClient(target.credential, { endpoint: target.cloud.armEndpoint, credentials: { scopes: [target.cloud.armScope] }, ...options });
    this.speechPipeline = createPipelineFromOptions({ tlsOptions: options.tlsOptions, retryOptions: options.retryOptions });
    this.speechPipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: target.credential, scopes: target.cloud.speechScope }));
    for (const { policy } of options.additionalPolicies) this.speechPipeline.addPolicy(policy);
    this.httpClient = createDefaultHttpClient();
  }

  /** ARM diagnostic settings of one resource, as the `value` entries Azure returned. */
  async diagnosticSettings(resourceId: string, signal?: AbortSignal): Promise<unknown[]> {
    const values: unknown[] = [];
    // arm-monitor expands `/{+resourceUri}`: an ID with its leading `/` would go out as `//subscriptions/…`.
    const iterator = this.monitor.diagnosticSettings.list(resourceId.replace(/^\/+/, ""), {
      abortSignal: signal,
      onResponse: (raw) => {
        this.calls++;
        const body = (raw as { parsedBody?: unknown }).parsedBody as { value?: unknown } | undefined;
        if (raw.status === 200 && body && Array.isArray(body.value)) values.push(...body.value);
      },
    });
    for await (const _ of iterator) {
      // The raw `value` entries are captured in onResponse; the deserialized models are not kept.
    }
    return values;
  }

  /** Speech-to-text custom endpoints of one account, following `@nextLink` only on the host that was called. */
  async speechEndpoints(account: { id: string; properties?: Record<string, unknown> | null }, signal?: AbortSignal): Promise<unknown[]> {
    const sub = account.properties?.customSubDomainName;
    if (typeof sub !== "string" || sub.trim() === "") {
      throw new NotCallableError(
        "NoCustomSubdomain",
        "The account has no custom subdomain, so its Speech data plane cannot be called with an Entra ID token (keys are never used).",
      );
    }
    if (!isValidCustomSubDomain(sub)) {
      throw new NotCallableError(
        "InvalidCustomSubdomain",
        `The account's customSubDomainName "${sub.slice(0, 80)}" is not a valid DNS label; it was not called.`,
      );
    }
    const endpoints: unknown[] = [];
    const base = this.target.cloud.speechBaseUrl(sub);
    let url: string | undefined = `${base}/speechtotext/endpoints?api-version=${SPEECH_TO_TEXT_API_VERSION}`;
    for (let page = 0; url; page++) {
      if (page >= 1000) throw new DetailError("TooManyPages", "The Speech data plane kept returning @nextLink after 1,000 pages.");
      const body = await this.getJson(url, signal);
      const values = (body as { values?: unknown }).values;
      if (!Array.isArray(values)) throw new DetailError("InvalidResponse", "The Speech data plane answered without a `values` array.");
      endpoints.push(...values);
      const next = (body as { "@nextLink"?: unknown })["@nextLink"];
      url = typeof next === "string" && next !== "" ? checkedNextLink(next, base) : undefined;
    }
    return endpoints;
  }

  private async getJson(url: string, signal?: AbortSignal): Promise<unknown> {
    this.calls++;
    const request = createPipelineRequest({ url, method: "GET", abortSignal: signal, headers: createHttpHeaders({ accept: "application/json" }) });
    const response = await this.speechPipeline.sendRequest(this.httpClient, request);
    let body: unknown;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status !== 200) {
      const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof err?.code === "string" ? err.code : `HTTP${response.status}`;
      const message = typeof err?.message === "string" ? err.message : `The Speech data plane answered HTTP ${response.status}.`;
      throw new DetailError(code, message, response.status, body);
    }
    if (!body || typeof body !== "object") throw new DetailError("InvalidResponse", "The Speech data plane answered 200 without a JSON object.");
    return body;
  }
}
