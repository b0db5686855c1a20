/**
 * Lookups the server needs on every request, built once when it starts: documents by lower-cased
 * ID, accounts by custom subdomain, and Resource Graph rows partitioned by subscription so a
 * request's scope is a concatenation of partitions, not a scan of the tenant.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { Row } from "./kql";
import { subscriptionRow } from "./generate/documents";
import type { Tenant, TenantSubscription } from "./tenant";

interface Partition {
  resources: Row[];
  resourceGroups: Row[];
  authorization: Row[];
  subscription: Row;
}

export type ArgTable = "resources" | "resourcecontainers" | "authorizationresources";

export class TenantIndex {
  readonly subscriptions = new Map<string, TenantSubscription>();
  readonly visible: TenantSubscription[];
  private readonly partitions = new Map<string, Partition>();
  private readonly documents = new Map<string, AzureDocument>();
  private readonly groups = new Map<string, AzureDocument>();
  private readonly subdomains = new Map<string, AzureDocument>();

  constructor(readonly tenant: Tenant) {
    for (const s of tenant.subscriptions) {
      const key = s.subscriptionId.toLowerCase();
      this.subscriptions.set(key, s);
      this.partitions.set(key, { resources: [], resourceGroups: [], authorization: [], subscription: subscriptionRow(tenant.tenantId, s) });
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
    for (const doc of tenant.roleAssignments) this.partitionOf(doc)?.authorization.push(doc as Row);
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
      const part = table === "resources" ? p.resources : table === "resourcecontainers" ? p.resourceGroups : p.authorization;
      for (const r of part) out.push(r);
    }
    return out;
  }
}
