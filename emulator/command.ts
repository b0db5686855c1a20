/**
 * `speech-posture emulator`: serve a synthetic tenant until SIGINT/SIGTERM, announcing itself in
 * one line and in `<state-dir>/emulator.json` (removed again on a clean stop).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { ReadableScopes } from "./access";
import type { Faults } from "./http/faults";
import type { QuotaOptions } from "./http/quota";
import { DEFAULT_STATE_DIR } from "./state";
import { DEFAULT_TENANT } from "./tenant";

interface EmulatorCommandOptions {
  port: string;
  host: string;
  seed: string;
  subscriptions: string;
  accounts: string;
  hiddenSubscriptions?: string;
  stateDir: string;
  latency?: string;
  quota?: string | boolean;
  privateNetwork?: boolean;
  denySubscriptions?: string;
  denyResources?: string;
  serverErrorsEvery?: string;
  throttleStorm?: string;
  principals?: string;
  tenantSubscriptionLimit?: string;
  tenants?: string;
}

/** A mistake in the command line, reported as one line. */
class OptionError extends Error {}

function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new OptionError(`${name} must be a whole number${min > 0 ? ` of at least ${min}` : ""}, got "${value}"`);
  }
  return n;
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function quota(value: string | boolean | undefined): QuotaOptions | false | undefined {
  if (value === false) return false;
  if (value === undefined || value === true) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new OptionError(`--quota must look like 15/5000 (requests per milliseconds), got "${value}"`);
  return { requests: Number(m[1]), windowMs: Number(m[2]) };
}

/** `--principals file.json`: `{ "<caller>": ["<scope>", …] }` (scopes are checked when the emulator starts). */
function principals(file: string | undefined): ReadableScopes | undefined {
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new OptionError(`--principals: cannot read "${file}" as JSON (${(error as Error).message})`);
  }
  const ok =
    !!parsed &&
    typeof parsed === "object" &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => Array.isArray(v) && v.every((s) => typeof s === "string"));
  if (!ok) throw new OptionError(`--principals: "${file}" must hold an object of caller → list of scopes`);
  return parsed as ReadableScopes;
}

export function parseEmulatorOptions(opts: EmulatorCommandOptions) {
  const faults: Faults = {};
  const denySubscriptions = list(opts.denySubscriptions);
  const denyResources = list(opts.denyResources);
  if (denySubscriptions || denyResources) faults.deny = { subscriptions: denySubscriptions, resources: denyResources };
  const every = wholeNumber("--server-errors-every", opts.serverErrorsEvery, 1);
  if (every) faults.serverErrors = { everyNth: every };
  const storm = wholeNumber("--throttle-storm", opts.throttleStorm, 1);
  if (storm) faults.throttleStorm = { count: storm };
  const port = wholeNumber("--port", opts.port, 0)!;
  if (port > 65535) throw new OptionError(`--port must be at most 65535, got "${opts.port}"`);
  return {
    port,
    host: opts.host,
    seed: wholeNumber("--seed", opts.seed, 0),
    subscriptions: wholeNumber("--subscriptions", opts.subscriptions, 1),
    accounts: wholeNumber("--accounts", opts.accounts, 0),
    hiddenSubscriptions: wholeNumber("--hidden-subscriptions", opts.hiddenSubscriptions, 0),
    stateDir: opts.stateDir,
    latencyMs: wholeNumber("--latency", opts.latency, 0),
    quota: quota(opts.quota),
    privateNetwork: opts.privateNetwork ?? false,
    principals: principals(opts.principals),
    tenantSubscriptionLimit: wholeNumber("--tenant-subscription-limit", opts.tenantSubscriptionLimit, 1),
    ...(opts.tenants === undefined ? {} : { tenants: wholeNumber("--tenants", opts.tenants, 1) }),
    faults,
    writeState: true,
  };
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("Serve a synthetic Azure tenant (Resource Graph, ARM, Speech data plane) over HTTPS on loopback")
    .option("--port <n>", "port to listen on (0 picks a free one)", "4443")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--seed <n>", "tenant seed (same seed, same tenant)", String(DEFAULT_TENANT.seed))
    .option("--subscriptions <n>", "subscriptions the caller can see", String(DEFAULT_TENANT.subscriptions))
    .option("--accounts <n>", "Speech accounts", String(DEFAULT_TENANT.accounts))
    .option("--hidden-subscriptions <n>", "subscriptions that exist but the caller cannot see")
    .option("--state-dir <dir>", "where emulator.json and cert.pem are written", DEFAULT_STATE_DIR)
    .option("--latency <ms>", "delay added before every response")
    .option("--quota <n/ms>", "Resource Graph quota per caller, e.g. 15/5000 (the default)")
    .option("--no-quota", "turn the Resource Graph quota off")
    .option("--private-network", "the scanner sits inside the private network (closed Speech endpoints answer)")
    .option("--deny-subscriptions <ids>", "comma-separated subscriptions that answer 403 AuthorizationFailed")
    .option("--deny-resources <ids>", "comma-separated resource IDs whose ARM and data-plane calls answer 403")
    .option("--server-errors-every <n>", "answer every nth request with 500 InternalServerError")
    .option("--throttle-storm <count>", "answer the next <count> requests with 429")
    .option("--principals <file>", 'JSON { "<token or oid>": ["<scope>", …] }: what each caller may read (others read every visible subscription)')
    .option("--tenant-subscription-limit <n>", "subscriptions a tenant-scope Resource Graph query covers (Azure: 10000)")
    .option("--tenants <n>", "serve n tenants (the home one, then seeds +1000, +2000, …), with one Lighthouse delegation (emulator/estate.ts)")
    .action(async (opts: EmulatorCommandOptions) => {
      let emulator;
      try {
        // Loaded on use, so the CLI's other commands and --help start fast.
        const { startEmulator } = await import("./server");
        emulator = await startEmulator(parseEmulatorOptions(opts));
      } catch (error) {
        // One line, no stack: a port in use or a bad option is the user's to fix, not a crash.
        process.stderr.write(`speech-posture: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 2;
        return;
      }
      const subs = emulator.tenant.subscriptions.filter((s) => s.visible).length;
      process.stdout.write(`Emulator: ${subs} subscriptions, seed ${emulator.tenant.seed}, at ${emulator.url} (trust ${emulator.caPath})\n`);
      for (const t of emulator.otherTenants) {
        process.stdout.write(`  and tenant ${t.tenantId}: ${t.subscriptions.filter((s) => s.visible).length} subscriptions, seed ${t.seed}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void emulator.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
