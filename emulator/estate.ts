/**
 * Several synthetic tenants served by one emulator: the home tenant (seed as given) and more, each
 * generated from its own seed with its own management-group tree, and one Lighthouse delegation:
 * the first visible subscription of the second tenant delegated to a service principal of the home
 * tenant (LIGHTHOUSE_CLIENT_ID). The demo's own scanner is not that principal, so a plain scan of
 * the home tenant is unchanged; a scan target with that client ID sees the delegation.
 */
import type { Delegation } from "./tenancy";
import { generateTenant, type Tenant, type TenantOptions } from "./tenant";

/** The home tenant's managing service principal (a target's client ID) that Lighthouse delegations name. */
export const LIGHTHOUSE_CLIENT_ID = "8d6f1c2a-5b3e-4c7d-9e0f-1a2b3c4d5e6f";
/** The emulator caller of that principal (emulator tokens name `emulator-<client ID>`). */
export const LIGHTHOUSE_PRINCIPAL = `emulator-${LIGHTHOUSE_CLIENT_ID}`;
/** Seeds of the other tenants step by this much from the home tenant's. */
const SEED_STEP = 1000;
/** Each tenant's range of name counters (a multiple of 90: see TenantOptions.nameOffset). */
const NAME_RANGE = 9_000_000;

export interface Estate {
  home: Tenant;
  others: Tenant[];
  delegations: Delegation[];
}

export function generateEstate(tenants: number, options: TenantOptions = {}): Estate {
  if (!Number.isInteger(tenants) || tenants < 1) throw new Error(`An estate needs at least one tenant, not ${tenants}.`);
  const seed = options.seed ?? 42;
  const home = generateTenant({ ...options, seed });
  const others = Array.from({ length: tenants - 1 }, (_, i) =>
    generateTenant({ ...options, seed: seed + SEED_STEP * (i + 1), nameOffset: NAME_RANGE * (i + 1) }),
  );
  const customer = others[0]?.subscriptions.find((s) => s.visible);
  const delegations: Delegation[] = customer
    ? [{ subscriptionId: customer.subscriptionId, managingTenantId: home.tenantId, principal: LIGHTHOUSE_PRINCIPAL }]
    : [];
  return { home, others, delegations };
}
