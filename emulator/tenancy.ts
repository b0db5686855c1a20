/**
 * Which tenant a token belongs to, and which subscriptions it may reach at all. ARM accepts a token
 * only for subscriptions of the tenant that issued it (else 401 `InvalidAuthenticationTokenTenant`),
 * except where Azure Lighthouse delegated a customer's subscription to a principal of the managing
 * tenant: that principal reaches it with its own tenant's token, and Azure still reports the
 * subscription under the customer's tenant. Readable scopes (access.ts) then narrow what is reachable.
 */
import type { ErrorBody } from "./http/errors";
import { armError } from "./http/errors";
import type { TenantIndex } from "./tenant-index";

/** Azure Lighthouse: a customer's subscription delegated to a principal (the caller) of the managing tenant. */
export interface Delegation {
  subscriptionId: string;
  managingTenantId: string;
  /** The caller the delegation's authorization names (the token, or a JWT's oid). */
  principal: string;
}

export class Tenancy {
  /** Lower-cased subscription → its delegations. */
  private readonly bySubscription = new Map<string, Delegation[]>();

  constructor(
    private readonly index: TenantIndex,
    delegations: readonly Delegation[] = [],
  ) {
    for (const d of delegations) {
      const owner = index.tenantOf(d.subscriptionId);
      if (!owner) throw new Error(`Delegation of subscription '${d.subscriptionId}': no served tenant holds that subscription.`);
      if (!index.hasTenant(d.managingTenantId))
        throw new Error(`Delegation of subscription '${d.subscriptionId}': managing tenant '${d.managingTenantId}' is not served.`);
      if (owner.tenantId.toLowerCase() === d.managingTenantId.toLowerCase())
        throw new Error(`Delegation of subscription '${d.subscriptionId}': the managing tenant is its own tenant.`);
      if (typeof d.principal !== "string" || d.principal === "") throw new Error(`Delegation of subscription '${d.subscriptionId}' names no principal.`);
      const key = d.subscriptionId.toLowerCase();
      if (!this.bySubscription.has(key)) this.bySubscription.set(key, []);
      this.bySubscription.get(key)!.push(d);
    }
  }

  /** The tenant a token names in its `tid` claim; a token without one belongs to the home tenant. */
  tokenTenant(claimed: string | undefined): string {
    return claimed ?? this.index.tenant.tenantId;
  }

  /** Whether a token of `tokenTenant` held by `caller` reaches the subscription (own tenant, or delegated to the caller). */
  reaches(caller: string, tokenTenant: string, subscription: string): boolean {
    const owner = this.index.tenantOf(subscription);
    if (!owner) return false;
    if (owner.tenantId.toLowerCase() === tokenTenant.toLowerCase()) return true;
    return this.delegated(caller, tokenTenant, subscription);
  }

  /** Whether the subscription reaches this caller through Lighthouse (not through its own tenant). */
  delegated(caller: string, tokenTenant: string, subscription: string): boolean {
    const t = tokenTenant.toLowerCase();
    return (this.bySubscription.get(subscription.toLowerCase()) ?? []).some((d) => d.principal === caller && d.managingTenantId.toLowerCase() === t);
  }

  /** The managing tenants of a subscription (ARM's `managedByTenants`). */
  managedBy(subscription: string): string[] {
    return [...new Set((this.bySubscription.get(subscription.toLowerCase()) ?? []).map((d) => d.managingTenantId))];
  }

  /** Whether anything is delegated to this caller: its view then differs from its tenant's. */
  hasDelegations(caller: string): boolean {
    for (const list of this.bySubscription.values()) if (list.some((d) => d.principal === caller)) return true;
    return false;
  }
}

/**
 * ARM's answer to a token of another tenant on a subscription (the message as ARM writes it).
 * Returned with status 401.
 */
export function wrongTenant(tokenTenant: string, subscriptionTenant: string): ErrorBody {
  return armError(
    "InvalidAuthenticationTokenTenant",
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
  );
}
