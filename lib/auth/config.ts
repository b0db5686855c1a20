/**
 * Sign-in settings, read once from the environment and checked: which mode (`entra` or `none`),
 * the Entra tenant, app registration and API scope, and where tokens are verified. `none` (no
 * sign-in, the local demo) is refused unless the server listens on loopback only: by its options
 * (every `-H`/`--hostname` given, which must agree with each other and with
 * SPEECH_POSTURE_LISTEN_HOST) and by the addresses it actually bound (lib/auth/listening.ts).
 */
import { boundAddresses } from "./listening";
export type AuthMode = "entra" | "none";

export interface EntraSettings {
  tenantId: string;
  clientId: string;
  /** The delegated scope the browser asks for, e.g. `api://<client-id>/Posture.Read`. */
  apiScope: string;
  /** The scope's name as it appears in the token's `scp` claim, e.g. `Posture.Read`. */
  scopeName: string;
  /** MSAL's authority (https). */
  authority: string;
  /** The `iss` every accepted token must carry. */
  issuer: string;
  /** Accepted `aud` values: the client ID (v2 tokens) and the Application ID URI (v1 tokens). */
  audiences: string[];
  /** Where the signing keys are published; discovered from the issuer when not set. */
  jwksUri: string | null;
  /** Tests only: MSAL talks plain OpenID Connect to a local provider (`AUTH_TEST_OIDC=1`). */
  testOidc: boolean;
}

export interface AuthConfig {
  mode: AuthMode;
  /** The address the server listens on, as far as it is known ("" = every interface). */
  listenHost: string;
  entra: EntraSettings | null;
}

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LOGIN_HOSTS: Record<string, string> = {
  AzurePublicCloud: "https://login.microsoftonline.com",
  AzureUSGovernment: "https://login.microsoftonline.us",
  AzureChinaCloud: "https://login.chinacloudapi.cn",
};

/** True for addresses only this machine can reach. An empty host means every interface. */
export function isLoopbackHost(host: string | undefined | null): boolean {
  if (!host) return false;
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1") return true;
  if (h.startsWith("::ffff:")) h = h.slice(7);
  return /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(h);
}

/**
 * Every `-H`/`--hostname` that `next start` was given, in order, in each form its option parser
 * takes (`-H h`, `-Hh`, `--hostname h`, `--hostname=h`). Next binds to the last one.
 */
export function hostsFromArgv(argv: readonly string[]): string[] {
  const hosts: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a === "-H" || a === "--hostname") hosts.push(argv[++i] ?? "");
    else if (a.startsWith("--hostname=")) hosts.push(a.slice("--hostname=".length));
    else if (a.startsWith("-H")) hosts.push(a.slice(2));
  }
  return hosts;
}

/** The host `next start` listens on (the last option), or undefined (every interface). */
export function hostFromArgv(argv: readonly string[]): string | undefined {
  return hostsFromArgv(argv).at(-1);
}

/** The one host the options name; AuthConfigError when they name different ones. */
function optionHost(env: Record<string, string | undefined>, argv: readonly string[]): string {
  const named = hostsFromArgv(argv).map((h) => h.trim());
  const setting = env.SPEECH_POSTURE_LISTEN_HOST?.trim();
  if (setting) named.push(setting);
  const distinct = [...new Set(named.map((h) => h.toLowerCase()))];
  if (distinct.length > 1) {
    throw new AuthConfigError(
      `the listening address is given more than once, differently (${distinct.map((h) => JSON.stringify(h)).join(", ")} from -H/--hostname and SPEECH_POSTURE_LISTEN_HOST); give it once`,
    );
  }
  return named[0] ?? "";
}

function httpsUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthConfigError(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:") throw new AuthConfigError(`${name} must be an https URL (got ${url.protocol}//…)`);
  return value.replace(/\/+$/, "");
}

/**
 * Reads and checks the settings. Throws AuthConfigError with what to change. `bound` is where the
 * server's sockets actually listen (empty when not known: then the options alone decide).
 */
export function resolveAuthConfig(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = process.argv,
  bound: readonly string[] = boundAddresses(),
): AuthConfig {
  const optionsHost = optionHost(env, argv);
  const exposed = bound.find((a) => !isLoopbackHost(a) && !a.startsWith("/"));
  const listenHost = exposed ?? optionsHost;
  const loopback = isLoopbackHost(listenHost);
  const raw = (env.AUTH_MODE ?? "").trim().toLowerCase();
  if (raw !== "" && raw !== "entra" && raw !== "none") throw new AuthConfigError(`AUTH_MODE must be "entra" or "none" (got ${JSON.stringify(env.AUTH_MODE)})`);
  const mode: AuthMode = raw === "" ? (loopback ? "none" : "entra") : (raw as AuthMode);
  if (mode === "none") {
    if (!loopback) {
      throw new AuthConfigError(
        `AUTH_MODE=none (no sign-in) is only allowed when the server listens on loopback (127.0.0.1, ::1 or localhost), but it listens on ${listenHost || "every interface"}. ` +
          "Configure Entra ID sign-in (AUTH_MODE=entra with ENTRA_TENANT_ID and ENTRA_CLIENT_ID; see docs/security.md) or listen on 127.0.0.1.",
      );
    }
    return { mode, listenHost, entra: null };
  }

  const missing = ["ENTRA_TENANT_ID", "ENTRA_CLIENT_ID"].filter((k) => !env[k]?.trim());
  if (missing.length)
    throw new AuthConfigError(`AUTH_MODE=entra needs ${missing.join(" and ")} (the Entra tenant and the app registration; see docs/security.md)`);
  const tenantId = env.ENTRA_TENANT_ID!.trim();
  const clientId = env.ENTRA_CLIENT_ID!.trim();
  if (!GUID.test(tenantId)) throw new AuthConfigError(`ENTRA_TENANT_ID must be the tenant's ID (a GUID), got ${JSON.stringify(tenantId)}`);
  if (!GUID.test(clientId))
    throw new AuthConfigError(`ENTRA_CLIENT_ID must be the app registration's Application (client) ID (a GUID), got ${JSON.stringify(clientId)}`);

  const apiScope = (env.ENTRA_API_SCOPE?.trim() || `api://${clientId}/Posture.Read`).replace(/\s+/g, "");
  const slash = apiScope.lastIndexOf("/");
  if (slash <= 0 || slash === apiScope.length - 1)
    throw new AuthConfigError(`ENTRA_API_SCOPE must look like api://<client-id>/Posture.Read, got ${JSON.stringify(apiScope)}`);
  const resource = apiScope.slice(0, slash);
  const scopeName = apiScope.slice(slash + 1);

  const testOidc = env.AUTH_TEST_OIDC === "1";
  const cloud = env.AZURE_CLOUD?.trim() || "AzurePublicCloud";
  const loginHost = LOGIN_HOSTS[cloud];
  if (!loginHost && !env.ENTRA_AUTHORITY) throw new AuthConfigError(`AZURE_CLOUD ${JSON.stringify(cloud)} is unknown; set ENTRA_AUTHORITY and ENTRA_ISSUER`);
  const authority = httpsUrl("ENTRA_AUTHORITY", env.ENTRA_AUTHORITY?.trim() || `${loginHost}/${tenantId}`);
  const issuerDefault = testOidc ? authority : `${loginHost ?? new URL(authority).origin}/${tenantId}/v2.0`;
  const issuer = httpsUrl("ENTRA_ISSUER", env.ENTRA_ISSUER?.trim() || issuerDefault);
  const jwksUri = env.ENTRA_JWKS_URI?.trim() ? httpsUrl("ENTRA_JWKS_URI", env.ENTRA_JWKS_URI.trim()) : null;
  const audiences = env.ENTRA_AUDIENCE?.trim()
    ? env.ENTRA_AUDIENCE.split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [...new Set([clientId, resource])];

  return { mode, listenHost, entra: { tenantId, clientId, apiScope, scopeName, authority, issuer, audiences, jwksUri, testOidc } };
}

let cached: { config?: AuthConfig; error?: AuthConfigError } | undefined;

/** The process's settings (read once). Throws the same AuthConfigError on every call when they are wrong. */
export function authConfig(): AuthConfig {
  if (!cached) {
    try {
      cached = { config: resolveAuthConfig() };
    } catch (error) {
      if (!(error instanceof AuthConfigError)) throw error;
      cached = { error };
    }
  }
  if (cached.error) throw cached.error;
  return cached.config!;
}

/** Tests: forget the settings read so far. */
export function resetAuthConfigForTests(): void {
  cached = undefined;
}
