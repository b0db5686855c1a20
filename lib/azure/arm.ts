/**
 * ARM reads of single resources by ID: a Speech account for a re-check (fresher than Resource
 * Graph's index), and a linked storage account Resource Graph did not return (is it gone, or only
 * hidden from the caller?). Each ID must match its provider's path template before it becomes a
 * URL, so a document's value can never add a path or a host.
 */
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { DetailError } from "./details";
import { clientOptions, type AzureTarget } from "./target";

/** A resource type the collector reads by ID: its path template and the spec's api-version. */
export interface ArmResourceKind {
  label: string;
  /** `{namespace}/{type}` as the path template spells it. */
  provider: string;
  /** The name segment's rule from the spec. */
  name: string;
  apiVersion: string;
  /** The spec's name pattern is lower-case only (ARM itself ignores case). */
  lowerCaseName?: boolean;
}

/** specification/cognitiveservices/…/stable/2025-12-01/cognitiveservices.json, Accounts_Get. */
export const COGNITIVE_ACCOUNT: ArmResourceKind = {
  label: "Cognitive Services account",
  provider: "Microsoft.CognitiveServices/accounts",
  name: "[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}",
  apiVersion: "2025-12-01",
};

/** specification/storage/…/stable/2025-08-01/storage.json, StorageAccounts_GetProperties. */
export const STORAGE_ACCOUNT: ArmResourceKind = {
  label: "storage account",
  provider: "Microsoft.Storage/storageAccounts",
  name: "[a-z0-9]{3,24}",
  apiVersion: "2025-08-01",
  lowerCaseName: true,
};

const SUB = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// A resource group name may hold periods, but not end with one (so never "." or "..").
const RG = "[-\\w.()]{0,89}[-\\w()]";

function idPattern(kind: ArmResourceKind): RegExp {
  const provider = kind.provider.replace(/\./g, "\\.");
  return new RegExp(`^/subscriptions/(${SUB})/resourceGroups/(${RG})/providers/${provider}/(${kind.name})$`, "i");
}

export class InvalidResourceIdError extends Error {
  readonly code = "InvalidResourceId";
  constructor(id: string, kind: ArmResourceKind) {
    super(`"${id.slice(0, 200)}" is not a ${kind.label} ID (/subscriptions/{guid}/resourceGroups/{group}/providers/…/{name}).`);
    this.name = "InvalidResourceIdError";
  }
}

/** The ID's segments, checked against the kind's template; throws InvalidResourceIdError. */
export function parseResourceId(id: string, kind: ArmResourceKind): { subscriptionId: string; resourceGroup: string; name: string } {
  const m = idPattern(kind).exec(id.trim().replace(/\/+$/, ""));
  if (!m) throw new InvalidResourceIdError(id, kind);
  return { subscriptionId: m[1], resourceGroup: m[2], name: kind.lowerCaseName ? m[3].toLowerCase() : m[3] };
}

export class ArmReader {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  calls = 0;

  constructor(private readonly target: AzureTarget) {
    const options = clientOptions(target);
    this.pipeline = createPipelineFromOptions({ tlsOptions: options.tlsOptions, retryOptions: options.retryOptions });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: target.credential, scopes: target.cloud.armScope }));
    for (const { policy } of options.additionalPolicies) this.pipeline.addPolicy(policy);
  }

  /**
   * `GET {arm}{id}?api-version=…`: the document as ARM returned it. A non-200 answer throws a
   * DetailError carrying the status and ARM's `{ error: { code, message } }`.
   */
  async get(id: string, kind: ArmResourceKind, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const { subscriptionId, resourceGroup, name } = parseResourceId(id, kind);
    const path =
      `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}` +
      `/providers/${kind.provider}/${encodeURIComponent(name)}`;
    const url = `${this.target.cloud.armEndpoint}${path}?api-version=${kind.apiVersion}`;
    this.calls++;
    const response = await this.pipeline.sendRequest(
      this.httpClient,
      createPipelineRequest({ url, method: "GET", abortSignal: signal, headers: createHttpHeaders({ accept: "application/json" }) }),
    );
    let body: unknown;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status !== 200) {
      const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof err?.code === "string" ? err.code : `HTTP${response.status}`;
      const message = typeof err?.message === "string" ? err.message : `ARM answered HTTP ${response.status} for ${id}.`;
      throw new DetailError(code, message, response.status, body);
    }
    if (!body || typeof body !== "object" || typeof (body as { id?: unknown }).id !== "string") {
      throw new DetailError("InvalidResponse", `ARM answered 200 for ${id} without a resource document.`);
    }
    return body as Record<string, unknown>;
  }
}
