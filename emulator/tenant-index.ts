/**
 * Lookups the server needs on every request, built once when it starts: documents by lower-cased
 * ID, accounts by custom subdomain, the management-group tree, and Resource Graph rows partitioned
 * by subscription so a request's scope is a concatenation of partitions, not a scan of the tenant.
 * Several tenants may be served at once: the first is the home tenant (tokens that name no tenant
 * belong to it); management-group names are unique per tenant only, so group lookups take a tenant.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { Row } from "./kql";
import { subscriptionRow, type GroupRef } from "./generate/documents";
import { ROOT_GROUP_DISPLAY_NAME, type Tenant, type TenantSubscription } from "./tenant-model";

interface Partition {
  resources: Row[];
  resourceGroups: Row[];
  authorization: Row[];
  policy: Row[];
  security: Row[];
  subscription: Row;
}

export type ArgTable = "resources" | "resourcecontainers" | "authorizationresources" | "policyresources" | "securityresources";

const PART: Record<ArgTable, (p: Partition) => Row[]> = {
  resources: (p) => p.resources,
  resourcecontainers: (p) => p.resourceGroups,
  authorizationresources: (p) => p.authorization,
  policyresources: (p) => p.policy,
  securityresources: (p) => p.security,
};

const GROUP_SCOPE = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)/i;

/** The key of a management group: names are unique within a tenant, not across tenants. */
export const groupKey = (tenantId: string, name: string) => `${tenantId.toLowerCase()}/${name.toLowerCase()}`;

export class TenantIndex {
  readonly subscriptions = new Map<string, TenantSubscription>();
  readonly visible: TenantSubscription[];
  /** Every tenant served, the home tenant first. */
  readonly tenants: readonly Tenant[];
  /** Role assignments at a management group, by `groupKey(tenant, name)`. */
  readonly groupAssignments = new Map<string, Row[]>();
  /** Policy assignments at a management group, by `groupKey(tenant, name)`. */
  readonly groupPolicyAssignments = new Map<string, Row[]>();
  /** Lower-cased subscription ID → the tenant it belongs to. */
  private readonly subscriptionTenants = new Map<string, Tenant>();
  private readonly diagnostics = new Map<string, object[]>();
  private readonly endpoints = new Map<string, object[]>();
  private readonly partitions = new Map<string, Partition>();
  private readonly documents = new Map<string, AzureDocument>();
  private readonly groups = new Map<string, AzureDocument>();
  private readonly subdomains = new Map<string, AzureDocument>();
  /** `groupKey(tenant, name)` → the group and its ancestors, nearest first, the root group last. */
  private readonly groupChains = new Map<string, GroupRef[]>();
  /** Lower-cased subscription ID → its management-group ancestors, nearest first. */
  private readonly subscriptionChains = new Map<string, GroupRef[]>();

  constructor(
    readonly tenant: Tenant,
    others: readonly Tenant[] = [],
  ) {
    this.tenants = [tenant, ...others];
    const ids = new Set<string>();
    for (const t of this.tenants) {
      if (ids.has(t.tenantId.toLowerCase())) throw new Error(`Tenant ${t.tenantId} is served twice.`);
      ids.add(t.tenantId.toLowerCase());
      this.indexTenant(t);
    }
    this.visible = this.tenants.flatMap((t) => t.subscriptions.filter((s) => s.visible));
  }

  private indexTenant(tenant: Tenant): void {
    this.indexGroups(tenant);
    const root = this.groupChains.get(groupKey(tenant.tenantId, tenant.tenantId))!;
    for (const s of tenant.subscriptions) {
      const key = s.subscriptionId.toLowerCase();
      if (this.subscriptions.has(key)) throw new Error(`Subscription ${s.subscriptionId} belongs to two tenants.`);
      this.subscriptions.set(key, s);
      this.subscriptionTenants.set(key, tenant);
      const chain = s.managementGroup ? (this.groupChains.get(groupKey(tenant.tenantId, s.managementGroup)) ?? root) : root;
      this.subscriptionChains.set(key, chain);
      this.partitions.set(key, {
        resources: [],
        resourceGroups: [],
        authorization: [],
        policy: [],
        security: [],
        subscription: subscriptionRow(tenant.tenantId, s, chain),
      });
    }
    for (const doc of tenant.resources) {
      this.documents.set(doc.id.toLowerCase(), doc);
      this.partitionOf(doc)?.resources.push(doc as Row);
      const sub = (doc.properties as { customSubDomainName?: unknown } | null | undefined)?.customSubDomainName;
      if (typeof sub === "string" && sub) {
        // A custom subdomain is a DNS name: tenants served together must not share one (within a
        // tenant, a test's copy of an account may reuse it: the last one answers).
        const taken = this.subdomains.get(sub.toLowerCase());
        const takenBy = taken ? this.tenantOf(TenantIndex.subscriptionOf(taken)) : undefined;
        if (takenBy && takenBy !== tenant) throw new Error(`Custom subdomain '${sub}' is used in tenants ${takenBy.tenantId} and ${tenant.tenantId}.`);
        this.subdomains.set(sub.toLowerCase(), doc);
      }
    }
    for (const doc of tenant.resourceGroups) {
      this.groups.set(doc.id.toLowerCase(), doc);
      this.partitionOf(doc)?.resourceGroups.push(doc as Row);
    }
    for (const doc of tenant.roleAssignments) {
      const group = GROUP_SCOPE.exec(doc.id)?.[1];
      if (group) {
        const k = groupKey(tenant.tenantId, group);
        if (!this.groupAssignments.has(k)) this.groupAssignments.set(k, []);
        this.groupAssignments.get(k)!.push(doc as Row);
      } else this.partitionOf(doc)?.authorization.push(doc as Row);
    }
    for (const doc of tenant.policyResources ?? []) {
      const group = GROUP_SCOPE.exec(doc.id)?.[1];
      if (group) {
        const k = groupKey(tenant.tenantId, group);
        if (!this.groupPolicyAssignments.has(k)) this.groupPolicyAssignments.set(k, []);
        this.groupPolicyAssignments.get(k)!.push(doc as Row);
      } else this.partitionOf(doc)?.policy.push(doc as Row);
    }
    for (const doc of tenant.securityResources ?? []) this.partitionOf(doc)?.security.push(doc as Row);
    for (const [id, v] of tenant.diagnosticSettings) this.diagnostics.set(id, v);
    for (const [id, v] of tenant.speechEndpoints) this.endpoints.set(id, v);
  }

  private indexGroups(tenant: Tenant): void {
    const root: GroupRef = { name: tenant.tenantId, displayName: ROOT_GROUP_DISPLAY_NAME };
    this.groupChains.set(groupKey(tenant.tenantId, root.name), [root]);
    const byName = new Map((tenant.managementGroups ?? []).map((g) => [g.name.toLowerCase(), g]));
    const chainOf = (name: string, seen: Set<string>): GroupRef[] => {
      const key = groupKey(tenant.tenantId, name);
      const known = this.groupChains.get(key);
      if (known) return known;
      const g = byName.get(name.toLowerCase());
      if (!g || seen.has(key)) throw new Error(`Management group '${name}' is unknown or its parents form a cycle.`);
      seen.add(key);
      const chain = [{ name: g.name, displayName: g.displayName }, ...chainOf(g.parent ?? root.name, seen)];
      this.groupChains.set(key, chain);
      return chain;
    };
    for (const g of tenant.managementGroups ?? []) chainOf(g.name, new Set());
  }

  /** The subscription ID of a document: its column, else the `/subscriptions/{id}` prefix of its ID. */
  static subscriptionOf(doc: { id: string; subscriptionId?: unknown }): string {
    if (typeof doc.subscriptionId === "string" && doc.subscriptionId) return doc.subscriptionId.toLowerCase();
    return (/^\/subscriptions\/([^/]+)/i.exec(doc.id)?.[1] ?? "").toLowerCase();
  }

  private partitionOf(doc: AzureDocument): Partition | undefined {
    return this.partitions.get(TenantIndex.subscriptionOf(doc));
  }

  document(id: string): AzureDocument | undefined {
    return this.documents.get(id.toLowerCase());
  }

  resourceGroup(id: string): AzureDocument | undefined {
    return this.groups.get(id.toLowerCase());
  }

  accountBySubdomain(subdomain: string): AzureDocument | undefined {
    return this.subdomains.get(subdomain.toLowerCase());
  }

  /** A management group of a tenant (default: the home tenant; the root group's name is the tenant ID) and its ancestors; undefined when unknown. */
  groupChain(name: string, tenantId = this.tenant.tenantId): readonly GroupRef[] | undefined {
    return this.groupChains.get(groupKey(tenantId, name));
  }

  /** The tenant a subscription (any casing) belongs to. */
  tenantOf(subscription: string): Tenant | undefined {
    return this.subscriptionTenants.get(subscription.toLowerCase());
  }

  /** Whether this emulator serves a tenant with this ID. */
  hasTenant(tenantId: string): boolean {
    return this.tenants.some((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase());
  }

  /** ARM `diagnosticSettings` of a resource, whichever tenant it sits in. */
  diagnosticSettings(resourceId: string): object[] | undefined {
    return this.diagnostics.get(resourceId.toLowerCase());
  }

  /** Speech-to-text custom endpoints of an account, whichever tenant it sits in. */
  speechEndpoints(accountId: string): object[] | undefined {
    return this.endpoints.get(accountId.toLowerCase());
  }

  /** A subscription's management-group ancestors, nearest first (lower-cased ID). */
  subscriptionChain(subscription: string): readonly GroupRef[] {
    return this.subscriptionChains.get(subscription) ?? [];
  }

  /** Subscriptions (lower-cased) of a tenant below its management group, directly or through other groups. */
  subscriptionsUnder(group: string, tenantId = this.tenant.tenantId): string[] {
    const key = group.toLowerCase();
    const tenant = tenantId.toLowerCase();
    return [...this.subscriptionChains]
      .filter(([s, chain]) => this.subscriptionTenants.get(s)?.tenantId.toLowerCase() === tenant && chain.some((g) => g.name.toLowerCase() === key))
      .map(([s]) => s);
  }

  /**
   * Rows of a table over subscriptions (lower-cased, visible). `listOnly` subscriptions contribute
   * their subscription row and nothing else (denied ones at tenant scope).
   */
  rows(table: ArgTable, subscriptions: readonly string[], listOnly: ReadonlySet<string> = new Set()): Row[] {
    const out: Row[] = [];
    for (const s of subscriptions) {
      const p = this.partitions.get(s);
      if (!p) continue;
      if (table === "resourcecontainers") out.push(p.subscription);
      if (listOnly.has(s)) continue;
      const part = PART[table](p);
      for (const r of part) out.push(r);
    }
    return out;
  }
}
