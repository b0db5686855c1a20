/**
 * Lookups the server needs on every request, built once when it starts: documents by lower-cased
 * ID, accounts by custom subdomain, the management-group tree, and Resource Graph rows partitioned
 * by subscription so a request's scope is a concatenation of partitions, not a scan of the tenant.
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

export class TenantIndex {
  readonly subscriptions = new Map<string, TenantSubscription>();
  readonly visible: TenantSubscription[];
  /** Role assignments at a management group, by lower-cased group name. */
  readonly groupAssignments = new Map<string, Row[]>();
  /** Policy assignments at a management group, by lower-cased group name. */
  readonly groupPolicyAssignments = new Map<string, Row[]>();
  private readonly partitions = new Map<string, Partition>();
  private readonly documents = new Map<string, AzureDocument>();
  private readonly groups = new Map<string, AzureDocument>();
  private readonly subdomains = new Map<string, AzureDocument>();
  /** Lower-cased group name → the group and its ancestors, nearest first, the root group last. */
  private readonly groupChains = new Map<string, GroupRef[]>();
  /** Lower-cased subscription ID → its management-group ancestors, nearest first. */
  private readonly subscriptionChains = new Map<string, GroupRef[]>();

  constructor(readonly tenant: Tenant) {
    this.indexGroups(tenant);
    for (const s of tenant.subscriptions) {
      const key = s.subscriptionId.toLowerCase();
      this.subscriptions.set(key, s);
      const chain = this.groupChains.get((s.managementGroup ?? tenant.tenantId).toLowerCase()) ?? this.groupChains.get(tenant.tenantId.toLowerCase())!;
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
    this.visible = tenant.subscriptions.filter((s) => s.visible);
    for (const doc of tenant.resources) {
      this.documents.set(doc.id.toLowerCase(), doc);
      this.partitionOf(doc)?.resources.push(doc as Row);
      const sub = (doc.properties as { customSubDomainName?: unknown } | null | undefined)?.customSubDomainName;
      if (typeof sub === "string" && sub) this.subdomains.set(sub.toLowerCase(), doc);
    }
    for (const doc of tenant.resourceGroups) {
      this.groups.set(doc.id.toLowerCase(), doc);
      this.partitionOf(doc)?.resourceGroups.push(doc as Row);
    }
    for (const doc of tenant.roleAssignments) {
      const group = GROUP_SCOPE.exec(doc.id)?.[1]?.toLowerCase();
      if (group) {
        if (!this.groupAssignments.has(group)) this.groupAssignments.set(group, []);
        this.groupAssignments.get(group)!.push(doc as Row);
      } else this.partitionOf(doc)?.authorization.push(doc as Row);
    }
    for (const doc of tenant.policyResources ?? []) {
      const group = GROUP_SCOPE.exec(doc.id)?.[1]?.toLowerCase();
      if (group) {
        if (!this.groupPolicyAssignments.has(group)) this.groupPolicyAssignments.set(group, []);
        this.groupPolicyAssignments.get(group)!.push(doc as Row);
      } else this.partitionOf(doc)?.policy.push(doc as Row);
    }
    for (const doc of tenant.securityResources ?? []) this.partitionOf(doc)?.security.push(doc as Row);
  }

  private indexGroups(tenant: Tenant): void {
    const root: GroupRef = { name: tenant.tenantId, displayName: ROOT_GROUP_DISPLAY_NAME };
    this.groupChains.set(root.name.toLowerCase(), [root]);
    const byName = new Map((tenant.managementGroups ?? []).map((g) => [g.name.toLowerCase(), g]));
    const chainOf = (name: string, seen: Set<string>): GroupRef[] => {
      const key = name.toLowerCase();
      const known = this.groupChains.get(key);
      if (known) return known;
      const g = byName.get(key);
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

  /** A management group (the root group's name is the tenant ID) and its ancestors; undefined when unknown. */
  groupChain(name: string): readonly GroupRef[] | undefined {
    return this.groupChains.get(name.toLowerCase());
  }

  /** A subscription's management-group ancestors, nearest first (lower-cased ID). */
  subscriptionChain(subscription: string): readonly GroupRef[] {
    return this.subscriptionChains.get(subscription) ?? [];
  }

  /** Subscriptions (lower-cased) below a management group, directly or through other groups. */
  subscriptionsUnder(group: string): string[] {
    const key = group.toLowerCase();
    return [...this.subscriptionChains].filter(([, chain]) => chain.some((g) => g.name.toLowerCase() === key)).map(([s]) => s);
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
