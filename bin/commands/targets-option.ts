/**
 * Scan targets for `snapshot` and `scan`: a config file (`--targets file.json`, `{ "targets": [...] }`
 * or a bare list) or one target from flags (`--tenant` with `--credential` and its references).
 * Validated by lib/posture/targets; a problem exits 2 naming the field.
 */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { UsageError, parseList } from "@/lib/cli-util";
import type { CollectProgress, CollectResult } from "@/lib/azure/collect";
import type { CollectionSource } from "@/lib/azure/target";
import type { ScanTarget } from "@/lib/posture/targets";
import type { OpenedTarget } from "@/lib/scan/sources";

export interface TargetFlags {
  targets?: string;
  tenant?: string;
  credential?: string;
  clientId?: string;
  secretEnv?: string;
  certificatePath?: string;
  tokenFile?: string;
  managementGroups?: string;
  exclude?: string;
  subscriptions?: string;
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option("--targets <file>", 'JSON { "targets": [ { tenantId, displayName, credential, scope, exclude } ] }: collect each tenant with its own credential')
    .option("--tenant <id>", "one target: the tenant to sign in to (with --credential)")
    .option("--credential <kind>", "with --tenant: client-secret, client-certificate, workload-identity, managed-identity or azure-cli")
    .option("--client-id <id>", "with --tenant: the application (client) ID")
    .option("--secret-env <name>", "with --credential client-secret: the environment variable holding the secret")
    .option("--certificate-path <file>", "with --credential client-certificate: the PEM file")
    .option("--token-file <file>", "with --credential workload-identity: the federated token file")
    .option("--management-groups <names>", "with --tenant: comma-separated management groups to scan instead of every subscription")
    .option("--exclude <ids>", "with --tenant: comma-separated subscriptions never scanned");
}

/** The targets the flags name, or undefined for a plain collection with the environment's credential. */
export async function targetsFromFlags(opts: TargetFlags): Promise<ScanTarget[] | undefined> {
  const { parseTarget, parseTargets, TargetInputError } = await import("@/lib/posture/targets");
  const single = opts.tenant !== undefined;
  const singleOnly = [opts.credential, opts.clientId, opts.secretEnv, opts.certificatePath, opts.tokenFile, opts.managementGroups, opts.exclude];
  if (opts.targets && single) throw new UsageError("give either --targets FILE or --tenant ID, not both");
  if (!single && singleOnly.some((v) => v !== undefined))
    throw new UsageError("--credential, --client-id, --secret-env, --certificate-path, --token-file, --management-groups and --exclude need --tenant ID");
  try {
    if (opts.targets) {
      if (opts.subscriptions) throw new UsageError("--subscriptions cannot be combined with --targets (give each target a subscriptions scope)");
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(opts.targets, "utf8"));
      } catch (error) {
        throw new UsageError(`cannot read ${opts.targets} as JSON: ${(error as Error).message}`);
      }
      const list = json && typeof json === "object" && !Array.isArray(json) ? (json as { targets?: unknown }).targets : json;
      return parseTargets(list);
    }
    if (!single) return undefined;
    if (opts.managementGroups && opts.subscriptions) throw new UsageError("give either --management-groups or --subscriptions, not both");
    const subscriptions = parseList(opts.subscriptions);
    const groups = parseList(opts.managementGroups);
    return [
      parseTarget(
        {
          tenantId: opts.tenant,
          displayName: opts.tenant,
          credential: {
            kind: opts.credential ?? "",
            clientId: opts.clientId,
            secretEnv: opts.secretEnv,
            certificatePath: opts.certificatePath,
            tokenFilePath: opts.tokenFile,
          },
          scope: groups
            ? { kind: "managementGroups", managementGroups: groups }
            : subscriptions
              ? { kind: "subscriptions", subscriptions }
              : { kind: "tenant" },
          exclude: parseList(opts.exclude) ?? [],
        },
        "flags",
      ),
    ];
  } catch (error) {
    if (error instanceof TargetInputError) throw new UsageError(error.message);
    throw error;
  }
}

/** Collects the targets (each with its own credential) into one snapshot, or throws a UsageError naming what is missing. */
export async function collectFlaggedTargets(
  source: CollectionSource,
  targets: ScanTarget[],
  opts: { stateDir: string; concurrency?: number; onProgress?: (p: CollectProgress) => void },
): Promise<CollectResult> {
  const [{ collectTargets }, { openTarget }, { ConfigurationError }] = await Promise.all([
    import("@/lib/scan/collect-scan"),
    import("@/lib/scan/sources"),
    import("@/lib/azure/target"),
  ]);
  const open = async (scanTarget: ScanTarget): Promise<OpenedTarget> => openTarget(source, { stateDir: opts.stateDir, scanTarget });
  try {
    return await collectTargets(
      targets.map((target) => ({ target })),
      open,
      { concurrency: opts.concurrency, onProgress: opts.onProgress },
    );
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
}
