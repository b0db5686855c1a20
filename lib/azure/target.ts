/**
 * What the collector talks to: a cloud configuration, a credential and (for the emulator) the
 * certificate to trust. Missing live configuration is detected up front, never by a slow probe.
 */
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy, PipelineRetryOptions } from "@azure/core-rest-pipeline";
import {
  AzureCliCredential,
  ClientSecretCredential,
  ClientCertificateCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { CLOUDS, emulatorCloud, type CloudConfig } from "./clouds";

export type CollectionSource = "live" | "emulator";
/** Environment variables as read here (a plain record, so tests can pass their own). */
export type Env = Record<string, string | undefined>;

export interface AzureTarget {
  source: CollectionSource;
  cloud: CloudConfig;
  credential: TokenCredential;
  /** PEM of the certificate to trust for this target only (the emulator's self-signed one). */
  tlsCa?: string;
  retryOptions?: PipelineRetryOptions;
  tenantId?: string;
  /** Policies added to every client's pipeline (tests record the requests the collector sends). */
  policies?: PipelinePolicy[];
  /** The principal's Resource Graph quota when other jobs sign in as it too (queue workers share it through the store). */
  quotaGate?: QuotaGate;
}

/**
 * Resource Graph's quota is per principal, not per process: jobs that sign in as one principal take
 * each request from one shared window, and tell it what Azure reports.
 */
export interface QuotaGate {
  /** Resolves when one request may be sent (waits for the window to reset when it is spent). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** What Azure said remains of the window and when it resets. */
  note(remaining: number, resetsInMs: number | undefined): Promise<void>;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/**
 * The emulator accepts any bearer token; this one names the caller for its quota. With a tenant, it
 * is an unsigned JWT whose `tid` names the tenant that issued it (as Entra ID's tokens do), so the
 * emulator can refuse it on another tenant's subscriptions; the caller stays `emulator-<caller>`.
 */
export function emulatorCredential(caller = "speech-posture", tenantId?: string): TokenCredential {
  const token = tenantId ? emulatorToken(`emulator-${caller}`, tenantId) : `emulator-${caller}`;
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** An unsigned JWT for the emulator: `oid` names the caller, `tid` and `iss` the tenant. */
export function emulatorToken(oid: string, tenantId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ oid, tid: tenantId, iss: `https://sts.windows.net/${tenantId}/` })}.`;
}

export function emulatorTarget(opts: {
  url: string;
  ca: string;
  caller?: string;
  /** The tenant the token is issued by; none: the emulator's home tenant. */
  tenantId?: string;
  retryOptions?: PipelineRetryOptions;
  policies?: PipelinePolicy[];
}): AzureTarget {
  return {
    source: "emulator",
    cloud: emulatorCloud(opts.url),
    credential: emulatorCredential(opts.caller, opts.tenantId),
    tenantId: opts.tenantId,
    tlsCa: opts.ca,
    retryOptions: opts.retryOptions,
    policies: opts.policies,
  };
}

/** The options every Azure client of a target shares: trust, retries and extra policies. */
export function clientOptions(target: AzureTarget) {
  return {
    tlsOptions: target.tlsCa ? { ca: target.tlsCa } : undefined,
    retryOptions: target.retryOptions,
    additionalPolicies: (target.policies ?? []).map((policy) => ({ policy, position: "perCall" as const })),
  };
}

const AUTHORITY: Record<string, string> = {
  AzurePublicCloud: "https://login.microsoftonline.com",
  AzureUSGovernment: "https://login.microsoftonline.us",
  AzureChinaCloud: "https://login.chinacloudapi.cn",
};

export const LIVE_SETUP_HELP =
  "Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal, " +
  "or SPEECH_POSTURE_CREDENTIAL=cli after `az login`, or SPEECH_POSTURE_CREDENTIAL=managed-identity on an Azure host. " +
  "AZURE_CLOUD selects AzurePublicCloud (default), AzureUSGovernment or AzureChinaCloud.";

/** True when the environment names some way to reach a real tenant. */
export function hasLiveConfiguration(env: Env = process.env): boolean {
  return Boolean(env.SPEECH_POSTURE_CREDENTIAL || (env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID));
}

/** The cloud AZURE_CLOUD names and its sign-in authority. */
export function cloudFromEnv(env: Env = process.env): { cloud: CloudConfig; authorityHost: string } {
  const cloudName = env.AZURE_CLOUD || "AzurePublicCloud";
  const cloud = CLOUDS[cloudName];
  if (!cloud) throw new ConfigurationError(`AZURE_CLOUD=${cloudName} is not a known cloud; use AzurePublicCloud, AzureUSGovernment or AzureChinaCloud.`);
  return { cloud, authorityHost: AUTHORITY[cloudName] };
}

/** Build the live target from environment variables, or say exactly what is missing. */
export function liveTargetFromEnv(env: Env = process.env): AzureTarget {
  const { cloud, authorityHost } = cloudFromEnv(env);
  const kind = (env.SPEECH_POSTURE_CREDENTIAL || "").toLowerCase();
  const tenantId = env.AZURE_TENANT_ID;
  let credential: TokenCredential;
  if (kind === "cli") {
    credential = new AzureCliCredential({ tenantId });
  } else if (kind === "managed-identity") {
    credential = env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential();
  } else if (kind === "" || kind === "environment") {
    if (!tenantId || !env.AZURE_CLIENT_ID) throw new ConfigurationError(`No Azure configuration found. ${LIVE_SETUP_HELP}`);
    if (env.AZURE_CLIENT_SECRET) {
      credential = new ClientSecretCredential(tenantId, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, { authorityHost });
    } else if (env.AZURE_CLIENT_CERTIFICATE_PATH) {
      credential = new ClientCertificateCredential(tenantId, env.AZURE_CLIENT_ID, { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH }, { authorityHost });
    } else if (env.AZURE_FEDERATED_TOKEN_FILE) {
      credential = new WorkloadIdentityCredential({ tenantId, clientId: env.AZURE_CLIENT_ID, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE, authorityHost });
    } else {
      throw new ConfigurationError(`AZURE_TENANT_ID and AZURE_CLIENT_ID are set but no secret, certificate or federated token file. ${LIVE_SETUP_HELP}`);
    }
  } else {
    throw new ConfigurationError(`SPEECH_POSTURE_CREDENTIAL=${env.SPEECH_POSTURE_CREDENTIAL} is not known; use environment, cli or managed-identity.`);
  }
  return { source: "live", cloud, credential, tenantId };
}
