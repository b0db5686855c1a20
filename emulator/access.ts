/**
 * Readable scopes per principal. Azure decides what a caller may read from its role assignments at
 * the tenant root, management groups, subscriptions, resource groups and resources; the emulator
 * takes that as a list of scopes per principal. Principals not configured read every visible
 * subscription (the demo's scanner is a tenant-wide Reader).
 */
import type { TenantIndex } from "./tenant-index";

/** Caller (the token, or a JWT's oid) → the scopes it may read: `/`, a management group, a subscription, a group or a resource. */
export type ReadableScopes = Record<string, string[]>;

export type SubscriptionAccess = "all" | "some" | "none";

const GROUP_SCOPE = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/;
const GROUP_PREFIX = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)/;
const ARM_SCOPE = /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+(\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*)?)?$/;

export class AccessModel {
  private principals = new Map<string, string[]>();

  constructor(
    private readonly index: TenantIndex,
    principals: ReadableScopes = {},
  ) {
    this.set(principals);
  }

  /** Replaces the configuration; throws naming the first scope that is not an Azure scope. */
  set(principals: ReadableScopes): void {
    const next = new Map<string, string[]>();
    if (!principals || typeof principals !== "object" || Array.isArray(principals))
      throw new Error("Readable scopes must be an object of caller → scope list.");
    for (const [caller, scopes] of Object.entries(principals)) {
      if (!Array.isArray(scopes)) throw new Error(`The scopes of '${caller}' must be a list.`);
      next.set(
        caller,
        scopes.map((s) => {
          const scope = typeof s === "string" ? (s === "/" ? "/" : s.toLowerCase().replace(/\/+$/, "")) : "";
          if (scope !== "/" && !GROUP_SCOPE.test(scope) && !ARM_SCOPE.test(scope)) throw new Error(`'${String(s)}' (for '${caller}') is not a readable scope.`);
          return scope;
        }),
      );
    }
    this.principals = next;
  }

  config(): ReadableScopes {
    return Object.fromEntries(this.principals);
  }

  /** Whether the caller reads less than every visible subscription. */
  restricted(caller: string): boolean {
    return this.principals.has(caller);
  }

  /** A key naming what the caller sees, for caches and skip tokens. */
  viewKey(caller: string): string {
    return this.principals.has(caller) ? `principal:${caller}` : "*";
  }

  /** May the caller read this ID (a resource, group, subscription, role assignment or management group)? */
  canRead(caller: string, id: string): boolean {
    const scopes = this.principals.get(caller);
    if (!scopes) return true;
    const target = id.toLowerCase().replace(/\/+$/, "");
    const sub = /^\/subscriptions\/([^/]+)/.exec(target)?.[1];
    const group = GROUP_PREFIX.exec(target)?.[1];
    const ancestors = sub ? this.index.subscriptionChain(sub) : group ? (this.index.groupChain(group) ?? []) : [];
    return scopes.some((s) => {
      if (s === "/") return true;
      const g = GROUP_SCOPE.exec(s)?.[1];
      if (g) return ancestors.some((a) => a.name.toLowerCase() === g);
      return target === s || target.startsWith(`${s}/`);
    });
  }

  /** Whether the caller may read the whole subscription, something inside it, or nothing. */
  subscriptionAccess(caller: string, subscription: string): SubscriptionAccess {
    const key = subscription.toLowerCase();
    if (this.canRead(caller, `/subscriptions/${key}`)) return "all";
    const prefix = `/subscriptions/${key}/`;
    return this.principals.get(caller)!.some((s) => s.startsWith(prefix)) ? "some" : "none";
  }

  /**
   * A role assignment is readable where its scope is, and also where it is inherited: an assignment
   * above a scope the caller reads (as ARM lists inherited assignments).
   */
  canReadAssignment(caller: string, assignmentScope: string): boolean {
    const scopes = this.principals.get(caller);
    if (!scopes || this.canRead(caller, assignmentScope)) return true;
    const scope = assignmentScope.toLowerCase().replace(/\/+$/, "");
    const group = GROUP_SCOPE.exec(scope)?.[1];
    return scopes.some((s) => (group ? this.below(s, group) : s.startsWith(`${scope}/`)));
  }

  /** Whether a readable scope sits below a management group (through its subscription or its own group). */
  private below(scope: string, group: string): boolean {
    const sub = /^\/subscriptions\/([^/]+)/.exec(scope)?.[1];
    const own = GROUP_SCOPE.exec(scope)?.[1];
    const chain = sub ? this.index.subscriptionChain(sub) : own ? (this.index.groupChain(own) ?? []) : [];
    return chain.some((g) => g.name.toLowerCase() === group);
  }
}
