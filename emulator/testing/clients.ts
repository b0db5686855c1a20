/**
 * Test helpers: the real SDK clients and a bearer-token pipeline pointed at an emulator, trusting
 * its certificate per client. Used by the emulator's own tests.
 */
import { request as httpsRequest, Agent } from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import { MonitorClient } from "@azure/arm-monitor";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelineRetryOptions,
} from "@azure/core-rest-pipeline";
import type { RunningEmulator } from "@/emulator/server";

export function credential(token = "test-caller"): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }) };
}

const fast: PipelineRetryOptions = { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export function clients(emu: RunningEmulator, token = "test-caller", retryOptions: PipelineRetryOptions = fast) {
  const cred = credential(token);
  const common = { endpoint: emu.url, tlsOptions: { ca: emu.ca }, retryOptions };
  return {
    graph: new ResourceGraphClient(cred, common),
    monitor: new MonitorClient(cred, common),
    subscriptions: new SubscriptionClient(cred, common),
    cognitive: (subscriptionId: string) =>
      new CognitiveServicesManagementClient(cred, subscriptionId, { ...common, credentialScopes: ["https://management.azure.com/.default"] }),
  };
}

/** GET JSON from the Speech data plane through a core-rest-pipeline with the bearer policy. */
export function speechClient(emu: RunningEmulator, token: string | undefined = "test-caller", retryOptions: PipelineRetryOptions = fast) {
  const pipeline = createPipelineFromOptions({ tlsOptions: { ca: emu.ca }, retryOptions });
  if (token) pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: credential(token), scopes: "https://cognitiveservices.azure.com/.default" }));
  const http = createDefaultHttpClient();
  return async (url: string) => {
    const res = await pipeline.sendRequest(http, createPipelineRequest({ url, method: "GET", headers: createHttpHeaders({ accept: "application/json" }) }));
    return { status: res.status, headers: res.headers, body: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  reusedSocket: boolean;
}

/** A plain HTTPS request (no SDK), for wire-level checks. */
export function raw(url: string, opts: { ca: string; method?: string; headers?: Record<string, string>; body?: string; agent?: Agent }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: opts.method ?? "GET", headers: opts.headers, ca: opts.ca, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, reusedSocket: req.reusedSocket });
      });
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

export const ARG_PATH = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";

/** POST a Resource Graph request on the wire, as the SDK would serialize it. */
export function argRaw(emu: RunningEmulator, body: unknown, token = "raw-caller", path = ARG_PATH) {
  return raw(`${emu.url}${path}`, {
    ca: emu.ca,
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
