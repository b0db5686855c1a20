/**
 * Names and places for the synthetic enterprise ("Contoso"): subscriptions, resource groups,
 * regions. Kept apart so the shape builders stay free of word lists.
 */
import type { Random } from "@/emulator/random";

export const REGIONS = [
  "eastus",
  "eastus2",
  "westus2",
  "westeurope",
  "northeurope",
  "uksouth",
  "swedencentral",
  "francecentral",
  "germanywestcentral",
  "centralus",
  "canadacentral",
  "australiaeast",
] as const;

const TEAMS = [
  "speech",
  "contactcenter",
  "voice",
  "aiplatform",
  "research",
  "media",
  "support",
  "claims",
  "retail",
  "health",
  "finance",
  "legal",
  "hr",
  "marketing",
  "devex",
] as const;
const ENVS = ["prod", "dev", "test", "staging", "sandbox", "shared"] as const;

/** What a subscription is for; drives names, regions and how much it holds. */
export interface SubscriptionProfile {
  team: string;
  env: string;
  displayName: string;
  region: string;
  /** Relative share of accounts placed here (production subscriptions hold more). */
  weight: number;
  /** Resource group names styled as their creators typed them (ARG lower-cases `resourceGroup`). */
  groups: { speech: string; data: string; security: string; network: string; monitoring: string };
}

/** The first subscriptions of every tenant: a believable small enterprise. */
const CURATED: ReadonlyArray<{ team: string; env: string; region: string }> = [
  { team: "speech", env: "prod", region: "westeurope" },
  { team: "speech", env: "dev", region: "westeurope" },
  { team: "contactcenter", env: "prod", region: "eastus" },
  { team: "aiplatform", env: "prod", region: "swedencentral" },
  { team: "research", env: "sandbox", region: "eastus2" },
  { team: "voice", env: "staging", region: "uksouth" },
];

const ENV_WEIGHT: Record<string, number> = { prod: 5, staging: 2, shared: 2, dev: 2, test: 1, sandbox: 1 };

export function subscriptionProfile(index: number, rng: Random): SubscriptionProfile {
  const curated = CURATED[index];
  const team = curated?.team ?? rng.pick(TEAMS);
  const env = curated?.env ?? rng.pick(ENVS);
  const region = curated?.region ?? rng.pick(REGIONS);
  const suffix = curated ? "" : `-${String(index).padStart(4, "0")}`;
  return {
    team,
    env,
    region,
    displayName: `contoso-${team}-${env}${suffix}`,
    weight: ENV_WEIGHT[env] ?? 1,
    groups: resourceGroups(team, env, rng.chance(0.35)),
  };
}

/** A subscription the scanning identity has no role on (another business unit's). */
export function hiddenSubscriptionProfile(index: number, rng: Random): SubscriptionProfile {
  const region = rng.pick(REGIONS);
  return {
    team: "finance",
    env: "restricted",
    region,
    displayName: index === 0 ? "contoso-finance-restricted" : `contoso-finance-restricted-${index}`,
    weight: 0,
    groups: resourceGroups("finance", "restricted", false),
  };
}

function resourceGroups(team: string, env: string, shouting: boolean): SubscriptionProfile["groups"] {
  // Some teams create groups in upper/mixed case; IDs keep that casing, ARG's column does not.
  const style = (s: string) => (shouting ? s.toUpperCase() : s);
  return {
    speech: style(`rg-${team}-${env}`),
    data: style(`rg-${team}-data-${env}`),
    security: style(`rg-${team}-keys-${env}`),
    network: style(`rg-network-${env}`),
    monitoring: `rg-monitoring-${env}`,
  };
}

/** Account name: `spch-<team>-<env>-<n>` style, unique through the counter. */
export function accountName(kindPrefix: string, team: string, env: string, n: number): string {
  return `${kindPrefix}-${team}-${env}-${n.toString(36).padStart(3, "0")}`;
}

/** Storage names are 3–24 lower-case letters and digits, globally unique. */
export function storageName(team: string, n: number): string {
  return `st${team.slice(0, 8)}${n.toString(36)}`.slice(0, 24);
}

export function vaultName(team: string, n: number): string {
  return `kv-${team.slice(0, 10)}-${n.toString(36)}`.slice(0, 24);
}
