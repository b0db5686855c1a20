/**
 * The emulator: one HTTPS server on loopback speaking Azure's wire formats for Resource Graph,
 * the ARM GETs the collector makes and the Speech data plane, so the real SDK clients run
 * against it unchanged. Requests are cheap lookups over an index built once at start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { AccessModel, type ReadableScopes } from "./access";
import { generateCertificate, writeCertificate } from "./certificate";
import type { RequestContext, ServerState } from "./http/context";
import { armError, internalServerError } from "./http/errors";
import { FaultState, type Faults, type Surface } from "./http/faults";
import { QuotaTracker, quotaHeaders, type QuotaOptions } from "./http/quota";
import { readBody, sendJson, type Reply } from "./http/respond";
import { ResultCache } from "./http/result-cache";
import { copyStats, countCaller, countRequest, emptyStats, type EmulatorStats } from "./http/stats";
import { handleArm } from "./routes/arm";
import { handleResourceGraph } from "./routes/resource-graph";
import { handleSpeech } from "./routes/speech";
import { DEFAULT_STATE_DIR, removeEmulatorState, writeEmulatorState } from "./state";
import { TenantIndex } from "./tenant-index";
import { Tenancy, type Delegation } from "./tenancy";
import { generateTenant, type Tenant } from "./tenant";
import { generateEstate } from "./estate";

export type { ReadableScopes } from "./access";
export type { Delegation } from "./tenancy";
export type { Faults } from "./http/faults";
export type { EmulatorStats } from "./http/stats";
export type { EmulatorState } from "./state";
export { readEmulatorState } from "./state";

export interface EmulatorOptions {
  /** 0 picks a free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve this tenant (indexed at start; mutate it before, not after). Else one is generated. */
  tenant?: Tenant;
  /** More tenants served beside the home one (tokens name theirs in the `tid` claim; see `emulatorToken`). */
  otherTenants?: Tenant[];
  /** Azure Lighthouse: subscriptions of one served tenant delegated to a principal of another. */
  delegations?: Delegation[];
  /** Without `tenant`: serve this many generated tenants (emulator/estate.ts), the home one first. */
  tenants?: number;
  seed?: number;
  subscriptions?: number;
  accounts?: number;
  hiddenSubscriptions?: number;
  /** Where cert.pem (and emulator.json with writeState) go. Default data/emulator when writeState is
   *  set; otherwise a private temporary folder, so test emulators never replace a running one's certificate. */
  stateDir?: string;
  /** Write `<stateDir>/emulator.json` (removed again on close). */
  writeState?: boolean;
  /** Added before every response. */
  latencyMs?: number;
  /** Resource Graph quota per caller; default 15 requests per 5,000 ms; false turns it off. */
  quota?: QuotaOptions | false;
  /** The scanner runs inside the private network: Speech endpoints behind closed networks answer. */
  privateNetwork?: boolean;
  faults?: Faults;
  /** What each principal may read (caller → scopes); callers not listed read every visible subscription. */
  principals?: ReadableScopes;
  /** A tenant-scope Resource Graph query covers at most this many subscriptions (default 10,000, as Azure). */
  tenantSubscriptionLimit?: number;
}

export interface RunningEmulator {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The certificate to trust, as PEM. */
  ca: string;
  caPath: string;
  tenant: Tenant;
  /** The tenants served beside the home one. */
  otherTenants: Tenant[];
  stats(): EmulatorStats;
  resetStats(): void;
  /** Replaces the fault set (counters start again). */
  setFaults(faults: Faults): void;
  /** Replaces what each principal may read; throws naming a scope that is not an Azure scope. */
  setPrincipals(principals: ReadableScopes): void;
  close(): Promise<void>;
}

export class EmulatorStartError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "EmulatorStartError";
  }
}

export const DEFAULT_QUOTA: QuotaOptions = { requests: 15, windowMs: 5000 };
export const TENANT_SUBSCRIPTION_LIMIT = 10_000;
const MAX_BODY = 8 * 1024 * 1024;
const ARG_PATH = /^\/providers\/microsoft\.resourcegraph\/resources$/i;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const generated = { seed: options.seed, subscriptions: options.subscriptions, accounts: options.accounts, hiddenSubscriptions: options.hiddenSubscriptions };
  const estate = !options.tenant && (options.tenants ?? 1) > 1 ? generateEstate(options.tenants!, generated) : undefined;
  const tenant = options.tenant ?? estate?.home ?? generateTenant(generated);
  const otherTenants = options.otherTenants ?? estate?.others ?? [];
  const delegations = options.delegations ?? estate?.delegations;
  const index = new TenantIndex(tenant, otherTenants);
  const state: ServerState = {
    index,
    faults: new FaultState(options.faults),
    quota: options.quota === false ? undefined : new QuotaTracker(options.quota ?? DEFAULT_QUOTA),
    stats: emptyStats(),
    cache: new ResultCache(),
    privateNetwork: options.privateNetwork ?? false,
    access: new AccessModel(index, options.principals),
    tenancy: new Tenancy(index, delegations),
    tenantSubscriptionLimit: Math.max(1, Math.floor(options.tenantSubscriptionLimit ?? TENANT_SUBSCRIPTION_LIMIT)),
  };
  const stateDir = options.stateDir ?? (options.writeState ? DEFAULT_STATE_DIR : undefined);
  const certificate = await generateCertificate();
  const latencyMs = Math.max(0, options.latencyMs ?? 0);

  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    void handle(req, res, state, latencyMs).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  // Only once listening: a second emulator that fails to start must not replace a running one's files.
  const tempDir = stateDir ? undefined : mkdtempSync(join(tmpdir(), "speech-posture-emulator-"));
  const caPath = writeCertificate(stateDir ?? tempDir!, certificate.cert);
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `https://${urlHost}:${port}`;
  if (options.writeState) {
    writeEmulatorState(stateDir!, {
      url,
      port,
      caPath,
      pid: process.pid,
      seed: tenant.seed,
      subscriptions: state.index.visible.length,
      accounts: tenant.resources.filter(isSpeechAccount).length,
    });
  }
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    ca: certificate.cert,
    caPath,
    tenant,
    otherTenants,
    stats: () => copyStats(state.stats),
    resetStats: () => {
      const inFlight = state.stats.inFlight;
      state.stats = emptyStats();
      state.stats.inFlight = inFlight;
    },
    setFaults: (faults) => {
      state.faults = new FaultState(faults);
      state.cache.clear();
    },
    setPrincipals: (principals) => {
      state.access.set(principals);
      state.cache.clear();
    },
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (options.writeState) removeEmulatorState(stateDir!, { pid: process.pid, port });
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => {
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      })),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE"
          ? `port ${port} on ${host} is already in use`
          : error.code === "EACCES"
            ? `no permission to listen on port ${port} on ${host}`
            : error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND"
              ? `${host} is not an address of this machine`
              : error.message;
      reject(new EmulatorStartError(`Cannot start the emulator: ${why}.`, error.code ?? "EUNKNOWN"));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}

function surfaceOf(path: string): Surface | "control" {
  if (ARG_PATH.test(path)) return "arg";
  if (/^\/speech\//i.test(path)) return "speech";
  if (path.startsWith("/.emulator/")) return "control";
  return "arm";
}

/**
 * The caller a quota and the stats are kept for (a JWT's oid/sub, else the token itself) and the
 * tenant that issued the token (a JWT's `tid`; none for a plain token).
 */
function identityOf(token: string): { caller: string; tenantId?: string } {
  const parts = token.split(".");
  if (parts.length === 3) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
      const id = claims.oid ?? claims.sub ?? claims.appid;
      const tid = typeof claims.tid === "string" && claims.tid ? claims.tid : undefined;
      if (typeof id === "string" && id) return { caller: id, tenantId: tid };
    } catch {
      /* not a JWT: the token names the caller */
    }
  }
  return { caller: token.length > 200 ? token.slice(0, 200) : token };
}

async function handle(req: IncomingMessage, res: ServerResponse, state: ServerState, latencyMs: number): Promise<void> {
  // Always `state.stats`, never a local copy: resetStats() may swap it mid-request.
  state.stats.inFlight++;
  state.stats.maxInFlight = Math.max(state.stats.maxInFlight, state.stats.inFlight);
  try {
    // Concatenate rather than resolve: `//subscriptions/…` would parse as a host. It is kept, not repaired: ARM refuses it.
    const url = new URL(`https://emulator.invalid${(req.url ?? "/").startsWith("/") ? "" : "/"}${req.url ?? ""}`);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      /* keep it encoded */
    }
    const surface = surfaceOf(path);
    const body = await readBody(req, MAX_BODY);
    if (surface === "control") return sendJson(res, undefined, control(req.method ?? "GET", path, body, state));
    countRequest(state.stats, surface);
    const delay = latencyMs + state.faults.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (body === undefined)
      return sendJson(res, state.stats, { status: 413, body: armError("RequestEntityTooLarge", "The request body is larger than the emulator accepts.") });
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!auth) {
      const message = req.headers.authorization
        ? "Authentication failed. The 'Authorization' header is provided in an invalid format."
        : "Authentication failed. The 'Authorization' header is missing.";
      return sendJson(res, state.stats, {
        status: 401,
        body: armError("AuthenticationFailed", message),
        headers: {
          "www-authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${state.index.tenant.tenantId}", error="invalid_token", error_description="${message}"`,
        },
      });
    }
    const identity = identityOf(auth[1]);
    const ctx: RequestContext = {
      method: req.method ?? "GET",
      url,
      path,
      caller: identity.caller,
      tenantId: state.tenancy.tokenTenant(identity.tenantId),
      origin: `https://${req.headers.host ?? "127.0.0.1"}`,
      body,
    };
    const injected = state.faults.next(surface);
    if (injected) {
      if (surface !== "arg") countCaller(state.stats, ctx.caller, surface);
      return sendJson(res, state.stats, faultReply(injected, surface, ctx, state));
    }
    const reply = surface === "arg" ? handleResourceGraph(ctx, state) : surface === "speech" ? handleSpeech(ctx, state) : handleArm(ctx, state);
    if (surface !== "arg") countCaller(state.stats, ctx.caller, surface);
    sendJson(res, state.stats, reply);
  } catch (error) {
    if (!res.headersSent) sendJson(res, state.stats, { status: 500, body: internalServerError() });
    else res.destroy();
    if (process.env.SPEECH_POSTURE_EMULATOR_DEBUG) console.error(error);
  } finally {
    state.stats.inFlight--;
  }
}

function faultReply(injected: NonNullable<ReturnType<FaultState["next"]>>, surface: Surface, ctx: RequestContext, state: ServerState): Reply {
  const headers: Record<string, string> = surface === "arg" && state.quota ? quotaHeaders(state.quota.peek(ctx.caller)) : {};
  if (injected.kind === "server-error") return { status: 500, headers, body: internalServerError() };
  if (injected.retryAfterSeconds !== undefined) headers["retry-after"] = String(injected.retryAfterSeconds);
  const body =
    surface === "speech"
      ? armError("429", "Rate limit is exceeded. Try again later.")
      : armError(
          "TooManyRequests",
          "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, refer to - https://aka.ms/srpthrottlinglimits",
        );
  return { status: 429, headers, body };
}

/** `/.emulator/*`: health, stats and faults for out-of-process tests and benchmarks (no auth; loopback). */
function control(method: string, path: string, body: string | undefined, state: ServerState): Reply {
  if (method === "GET" && path === "/.emulator/health") return { status: 200, body: { status: "ok", tenantId: state.index.tenant.tenantId } };
  if (method === "GET" && path === "/.emulator/stats") return { status: 200, body: state.stats };
  if (method === "GET" && path === "/.emulator/principals") return { status: 200, body: state.access.config() };
  if (method === "POST" && path === "/.emulator/principals") {
    try {
      state.access.set(JSON.parse(body || "{}") as ReadableScopes);
      state.cache.clear();
      return { status: 200, body: state.access.config() };
    } catch (error) {
      return {
        status: 400,
        body: armError("InvalidRequestContent", error instanceof SyntaxError ? "The principals body is not JSON." : (error as Error).message),
      };
    }
  }
  if (method === "POST" && path === "/.emulator/faults") {
    try {
      state.faults = new FaultState(JSON.parse(body || "{}") as Faults);
      state.cache.clear();
      return { status: 200, body: state.faults.faults };
    } catch {
      return { status: 400, body: armError("InvalidRequestContent", "The faults body is not JSON.") };
    }
  }
  return { status: 404, body: armError("NotFound", `No emulator control endpoint '${method} ${path}'.`) };
}
