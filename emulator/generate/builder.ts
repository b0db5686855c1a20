/**
 * Turns plans into documents: subscriptions and their groups, then per account the linked
 * storage, the vaults its keys live in, the role assignments, diagnostic settings and endpoints.
 * All randomness comes from one seeded stream, consumed in a fixed order.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";
import { createRandom, type Random } from "@/emulator/random";
import type { Tenant, TenantManagementGroup, TenantSubscription } from "@/emulator/tenant-model";
import { accountRow } from "./account";
import { diagnosticSettings, speechEndpoints, type Destinations } from "./dataplane";
import {
  BLOB_DATA_CONTRIBUTOR,
  BLOB_DATA_READER,
  OWNER,
  perimeterAssociationRow,
  perimeterRow,
  READER,
  resourceGroupRow,
  resourceId,
  roleAssignmentRow,
  vaultRow,
  workspaceRow,
  type Place,
} from "./documents";
import { accountName, hiddenSubscriptionProfile, REGIONS, storageName, subscriptionProfile, vaultName, type SubscriptionProfile } from "./naming";
import {
  randomPlan,
  showcasePlan,
  SHOWCASE,
  type AccountPlan,
  type PerimeterMode,
  type RoleMode,
  type StoragePlan,
  type UriStyle,
  type VaultChoice,
} from "./plan";
import { storageRow } from "./storage";
import { azureVerdictTables } from "./verdicts";

interface SubscriptionContext {
  sub: TenantSubscription;
  profile: SubscriptionProfile;
  vaults: Map<VaultChoice, string>;
  /** The subscription's network security perimeter, created on first use. */
  perimeter?: AzureDocument;
  destinations: Destinations;
}

/** Contoso's management-group tree below the tenant root group (an enterprise-scale layout). */
const MANAGEMENT_GROUPS: readonly TenantManagementGroup[] = [
  { name: "mg-contoso", displayName: "Contoso" },
  { name: "mg-platform", displayName: "Platform", parent: "mg-contoso" },
  { name: "mg-landingzones", displayName: "Landing zones", parent: "mg-contoso" },
  { name: "mg-corp", displayName: "Corp", parent: "mg-landingzones" },
  { name: "mg-nonprod", displayName: "Non-production", parent: "mg-landingzones" },
  { name: "mg-sandbox", displayName: "Sandbox", parent: "mg-contoso" },
];
const GROUP_BY_ENV: Record<string, string> = {
  prod: "mg-corp",
  shared: "mg-platform",
  dev: "mg-nonprod",
  test: "mg-nonprod",
  staging: "mg-nonprod",
  sandbox: "mg-sandbox",
  restricted: "mg-platform",
};
const MANAGEMENT_GROUP_SCOPE = "/providers/Microsoft.Management/managementGroups/";

const SPEECH_PREFIX: Record<string, string> = { SpeechServices: "spch", AIServices: "ais", CognitiveServices: "cog" };
const OTHER_KINDS = [
  ["TextAnalytics", "lang"],
  ["OpenAI", "oai"],
  ["ComputerVision", "cv"],
  ["FormRecognizer", "di"],
  ["Face", "face"],
  ["ContentSafety", "cs"],
] as const;

const START = Date.UTC(2021, 0, 1);
const DAYS = Math.floor((Date.UTC(2026, 9, 31) - START) / 86_400_000);
const DAY_CACHE: string[] = [];
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

export class TenantBuilder {
  private readonly rng: Random;
  private readonly tenantId: string;
  private readonly visible: SubscriptionContext[] = [];
  private readonly hidden: SubscriptionContext[] = [];
  private readonly cumulativeWeights: number[] = [];
  private readonly resources: AzureDocument[] = [];
  private readonly resourceGroups: AzureDocument[] = [];
  private readonly roleAssignments: AzureDocument[] = [];
  private readonly diagnostics = new Map<string, object[]>();
  private readonly endpoints = new Map<string, object[]>();
  /** Storage accounts created `SecuredByPerimeter`, waiting for the account that links them to associate them. */
  private unassociated: AzureDocument[] = [];
  private counter = 0;

  constructor(
    private readonly seed: number,
    visibleCount: number,
    hiddenCount: number,
    /** Where the name counter starts: tenants served together need globally unique account, storage and vault names. */
    nameOffset = 0,
  ) {
    this.counter = nameOffset;
    this.rng = createRandom(seed);
    this.tenantId = this.rng.guid();
    let total = 0;
    for (let i = 0; i < visibleCount; i++) {
      const ctx = this.addSubscription(subscriptionProfile(i, this.rng), true, i % 50 === 49 ? "Warned" : "Enabled");
      this.visible.push(ctx);
      total += ctx.profile.weight;
      this.cumulativeWeights.push(total);
    }
    for (let i = 0; i < hiddenCount; i++) {
      this.hidden.push(this.addSubscription(hiddenSubscriptionProfile(i, this.rng), false, "Enabled"));
    }
    // Platform teams grant read high up: inherited by every subscription, seen only with an "above" scope filter.
    this.role(`${MANAGEMENT_GROUP_SCOPE}mg-contoso`, "", this.rng.guid(), "Group", READER);
  }

  finish(): Tenant {
    const subscriptions = [...this.visible, ...this.hidden].map((c) => c.sub);
    const managementGroups = MANAGEMENT_GROUPS.map((g) => ({ ...g }));
    // Azure's own verdicts are derived from the finished documents, after every seeded choice.
    const verdicts = azureVerdictTables({
      tenantId: this.tenantId,
      subscriptions,
      managementGroups,
      resources: this.resources,
      diagnosticSettings: this.diagnostics,
    });
    return {
      tenantId: this.tenantId,
      seed: this.seed,
      subscriptions,
      managementGroups,
      resourceGroups: this.resourceGroups,
      resources: this.resources,
      roleAssignments: this.roleAssignments,
      policyResources: verdicts.policyResources,
      securityResources: verdicts.securityResources,
      diagnosticSettings: this.diagnostics,
      speechEndpoints: this.endpoints,
    };
  }

  addSpeechAccount(index: number): void {
    const plan = showcasePlan(index) ?? randomPlan(this.rng);
    const ctx = index < SHOWCASE.length ? this.visible[index % this.visible.length] : this.weightedSubscription();
    this.addAccount(ctx, plan, plan.kind, SPEECH_PREFIX[plan.kind]);
  }

  addOtherAccount(index: number): void {
    const [kind, prefix] = OTHER_KINDS[index % OTHER_KINDS.length];
    const plan = { ...randomPlan(this.rng), link: "none" as const };
    this.addAccount(this.weightedSubscription(), plan, kind, prefix);
  }

  private addSubscription(profile: SubscriptionProfile, visible: boolean, state: string): SubscriptionContext {
    const sub: TenantSubscription = {
      subscriptionId: this.rng.guid(),
      displayName: profile.displayName,
      state,
      visible,
      managementGroup: GROUP_BY_ENV[profile.env] ?? "mg-corp",
    };
    const place = (rg: string): Place => ({ tenantId: this.tenantId, subscriptionId: sub.subscriptionId, resourceGroup: rg, location: profile.region });
    const tags = { env: profile.env, team: profile.team };
    for (const rg of Object.values(profile.groups)) this.resourceGroups.push(resourceGroupRow(place(rg), tags));
    const monitoring = place(profile.groups.monitoring);
    const workspace = workspaceRow(monitoring, `law-${profile.team}-${profile.env}`, this.rng.guid());
    const diagStorage = this.storage(
      place(profile.groups.monitoring),
      storageName("diag", this.counter++),
      {
        keySource: "Microsoft.Storage",
        keyVersion: "absent",
        vault: "protected",
        uriStyle: "slash",
        sharedKey: this.rng.chance(0.5) ? null : false,
        infrastructureEncryption: null,
        network: "allow",
      },
      undefined,
      this.rng.guid(),
    );
    this.resources.push(workspace);
    const ctx: SubscriptionContext = {
      sub,
      profile,
      vaults: new Map(),
      destinations: {
        workspaceId: workspace.id,
        storageAccountId: diagStorage.id,
        eventHubAuthorizationRuleId: `/subscriptions/${sub.subscriptionId}/resourceGroups/${profile.groups.monitoring}/providers/Microsoft.EventHub/namespaces/evhns-${profile.team}-${profile.env}/authorizationrules/RootManageSharedAccessKey`,
        marketplacePartnerId: `/subscriptions/${sub.subscriptionId}/resourceGroups/${profile.groups.monitoring}/providers/Microsoft.Datadog/monitors/dd-${profile.team}`,
      },
    };
    // Noise every real subscription has: people with Owner/Reader, and a human data contributor.
    const subScope = `/subscriptions/${sub.subscriptionId}`;
    this.role(subScope, sub.subscriptionId, this.rng.guid(), "User", OWNER);
    this.role(subScope, sub.subscriptionId, this.rng.guid(), "Group", READER);
    this.role(`${subScope}/resourceGroups/${profile.groups.data}`, sub.subscriptionId, this.rng.guid(), "User", BLOB_DATA_CONTRIBUTOR);
    return ctx;
  }

  private weightedSubscription(): SubscriptionContext {
    const weights = this.cumulativeWeights;
    const r = this.rng.next() * weights[weights.length - 1];
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (weights[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.visible[lo];
  }

  private otherVisible(ctx: SubscriptionContext): SubscriptionContext {
    if (this.visible.length < 2) return ctx;
    const i = this.visible.indexOf(ctx);
    return this.visible[(i + 1 + this.rng.int(0, this.visible.length - 2)) % this.visible.length];
  }

  private addAccount(ctx: SubscriptionContext, plan: AccountPlan, kind: string, prefix: string): void {
    const rng = this.rng;
    const { profile, sub } = ctx;
    const name = accountName(prefix, profile.team, profile.env, this.counter++);
    const location = rng.chance(0.15) ? rng.pick(REGIONS) : profile.region;
    const place: Place = { tenantId: this.tenantId, subscriptionId: sub.subscriptionId, resourceGroup: profile.groups.speech, location };
    const id = resourceId(place, "Microsoft.CognitiveServices", "accounts", name);
    const principalId = rng.guid();
    const uai = {
      id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${profile.groups.security}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${name}`,
      principalId: rng.guid(),
      clientId: rng.guid(),
    };
    const rolePrincipal = plan.identity === "UserAssigned" ? uai.principalId : plan.identity.startsWith("SystemAssigned") ? principalId : undefined;
    const userOwnedStorage = this.linkStorage(ctx, plan, id, rolePrincipal);
    const createdOn = this.date();
    const doc = accountRow(place, {
      name,
      kind,
      plan,
      principalId,
      userAssigned: uai,
      userOwnedStorage,
      cmkVaultUri: styleUri(
        this.vault(
          plan.cmkVault === "hidden" ? this.hiddenOr(ctx) : ctx,
          plan.cmkVault === "hidden" || plan.cmkVault === "missing-uri" ? "protected" : plan.cmkVault,
        ),
        plan.cmkUriStyle,
      ),
      cmkKeyName: `cmk-${prefix}-${this.counter.toString(36)}`,
      cmkKeyVersion: rng.hex(32),
      privateEndpointNames: plan.privateEndpoints.map((_, i) => `pe-${name}-${i + 1}`),
      networkResourceGroup: profile.groups.network,
      ipRules: Array.from({ length: plan.ipRules }, () => `${rng.int(20, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`),
      createdOn,
      internalId: rng.hex(32),
      tags: { env: profile.env, team: profile.team, costCenter: `cc-${1000 + (this.counter % 90) * 10}` },
    });
    this.resources.push(doc);
    this.associate(ctx, plan.perimeter, id, userOwnedStorage);
    this.diagnostics.set(id.toLowerCase(), diagnosticSettings(id, plan.diagnostics, ctx.destinations));
    if (plan.subdomain && kind in SPEECH_PREFIX) {
      this.endpoints.set(
        id.toLowerCase(),
        speechEndpoints(name.toLowerCase(), location, plan.endpoints, rng, () => this.datePair()),
      );
    }
  }

  /** Creates the storage the plan links (and the role assignments on it); returns `userOwnedStorage`. */
  private linkStorage(ctx: SubscriptionContext, plan: AccountPlan, accountId: string, principal: string | undefined) {
    switch (plan.link) {
      case "none":
        return undefined;
      case "empty-array":
        return [];
      case "empty-resourceid":
        return [{ resourceId: "" }];
      case "dangling": {
        const place = this.place(ctx, ctx.profile.groups.data);
        return [{ resourceId: resourceId(place, "Microsoft.Storage", "storageAccounts", storageName(ctx.profile.team, this.counter++)) }];
      }
    }
    const home = plan.link === "other-subscription" ? this.otherVisible(ctx) : plan.link === "hidden-subscription" ? this.hiddenOr(ctx) : ctx;
    const first = this.linkedStorage(home, plan.storage, plan.role, accountId, principal);
    if (plan.link === "cased-id") {
      // Same account, different spelling: upper-case subscription and group, lower-case provider.
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Storage\/storageAccounts\/(.+)$/.exec(first);
      return [
        {
          resourceId: m
            ? `/subscriptions/${m[1].toUpperCase()}/resourcegroups/${m[2].toUpperCase()}/providers/microsoft.storage/storageAccounts/${m[3]}`
            : first,
        },
      ];
    }
    if (plan.link === "two-linked") {
      const second = this.linkedStorage(home, { ...plan.storage, ...plan.secondStorage }, plan.role, accountId, principal);
      return [{ resourceId: first }, { resourceId: second }];
    }
    return [{ resourceId: first }];
  }

  private linkedStorage(ctx: SubscriptionContext, plan: StoragePlan, role: RoleMode, accountId: string, principal: string | undefined): string {
    const place = this.place(ctx, ctx.profile.groups.data);
    const n = this.counter++;
    let name = storageName(ctx.profile.team, n);
    let sibling: AzureDocument | undefined;
    if (role === "sibling") {
      // `…/stsibX0` is a string prefix of `…/stsibX01` but not an ancestor scope.
      const base = `stsib${n.toString(36)}`;
      name = `${base}01`;
      sibling = this.storage(place, `${base}0`, plan, undefined, this.rng.guid());
    }
    const vaultCtx = plan.vault === "hidden" ? this.hiddenOr(ctx) : ctx;
    const uri = plan.vault === "missing-uri" ? undefined : styleUri(this.vault(vaultCtx, plan.vault === "hidden" ? "protected" : plan.vault), plan.uriStyle);
    const doc = this.storage(place, name, plan, uri, this.rng.guid(), accountId);
    if (principal) {
      const sub = ctx.sub.subscriptionId;
      const scope =
        role === "storage" || role === "other-principal" || role === "wrong-role"
          ? doc.id
          : role === "resource-group"
            ? `/subscriptions/${sub}/resourcegroups/${place.resourceGroup.toLowerCase()}`
            : role === "subscription"
              ? `/subscriptions/${sub}`
              : role === "management-group"
                ? `${MANAGEMENT_GROUP_SCOPE}${ctx.sub.managementGroup}`
                : role === "sibling"
                  ? sibling!.id
                  : undefined;
      if (scope) {
        const who = role === "other-principal" ? this.rng.guid() : principal;
        this.role(scope, role === "management-group" ? "" : sub, who, "ServicePrincipal", role === "wrong-role" ? BLOB_DATA_READER : BLOB_DATA_CONTRIBUTOR);
      }
    }
    return doc.id;
  }

  private storage(
    place: Place,
    name: string,
    plan: StoragePlan,
    keyVaultUri: string | undefined,
    principalId: string,
    speechAccountId?: string,
  ): AzureDocument {
    const doc = storageRow(place, {
      name,
      plan,
      keyVaultUri,
      keyName: `cmk-${name}`,
      keyVersion: this.rng.hex(32),
      principalId,
      createdOn: this.date(),
      speechAccountId,
      tags: { purpose: speechAccountId ? "speech-byos" : "diagnostics" },
    });
    this.resources.push(doc);
    if (plan.network === "perimeter") this.unassociated.push(doc);
    return doc;
  }

  /** The vault of a kind in a subscription, created on first use. Returns its name. */
  private vault(ctx: SubscriptionContext, choice: VaultChoice): string {
    const existing = ctx.vaults.get(choice);
    if (existing) return existing;
    const name = vaultName(ctx.profile.team, this.counter++);
    this.resources.push(
      vaultRow(this.place(ctx, ctx.profile.groups.security), {
        name,
        softDelete: choice !== "soft-delete-off",
        purgeProtection: choice === "protected",
        createdOn: this.date(),
      }),
    );
    ctx.vaults.set(choice, name);
    return name;
  }

  private role(scope: string, subscriptionId: string, principalId: string, type: "ServicePrincipal" | "User" | "Group", roleGuid: string): void {
    this.roleAssignments.push(
      roleAssignmentRow(this.tenantId, {
        guid: this.rng.guid(),
        scope,
        subscriptionId,
        principalId,
        principalType: type,
        roleGuid,
        createdOn: this.date(),
      }),
    );
  }

  /**
   * Associates a `SecuredByPerimeter` account and the perimeter storage it links with a perimeter:
   * the subscription's own, or (mode `hidden`) one in a subscription the caller cannot see.
   */
  private associate(ctx: SubscriptionContext, mode: PerimeterMode | undefined, accountId: string, linked: { resourceId: string }[] | undefined): void {
    const storage = this.unassociated.filter((d) => linked?.some((l) => l.resourceId.toLowerCase() === d.id.toLowerCase()));
    this.unassociated = [];
    if (!mode && !storage.length) return;
    const home = mode === "hidden" ? this.hiddenOr(ctx) : ctx;
    const access = mode === undefined || mode === "hidden" ? "Enforced" : mode;
    const perimeter = this.perimeter(home);
    const place = this.place(home, home.profile.groups.network);
    if (mode) this.resources.push(perimeterAssociationRow(place, perimeter.id, accountId, access));
    for (const doc of storage) this.resources.push(perimeterAssociationRow(place, perimeter.id, doc.id, access));
  }

  private perimeter(ctx: SubscriptionContext): AzureDocument {
    if (!ctx.perimeter) {
      ctx.perimeter = perimeterRow(this.place(ctx, ctx.profile.groups.network), `nsp-${ctx.profile.team}-${ctx.profile.env}`, this.rng.guid());
      this.resources.push(ctx.perimeter);
    }
    return ctx.perimeter;
  }

  private hiddenOr(ctx: SubscriptionContext): SubscriptionContext {
    return this.hidden.length ? this.hidden[this.rng.int(0, this.hidden.length - 1)] : ctx;
  }

  private place(ctx: SubscriptionContext, rg: string): Place {
    return { tenantId: this.tenantId, subscriptionId: ctx.sub.subscriptionId, resourceGroup: rg, location: ctx.profile.region };
  }

  /** An ISO timestamp between 2021 and late 2026 (day strings are cached: Date formatting is slow). */
  private date(): string {
    const day = Math.floor(this.rng.next() * DAYS);
    let text = DAY_CACHE[day];
    if (text === undefined) text = DAY_CACHE[day] = new Date(START + day * 86_400_000).toISOString().slice(0, 10);
    const s = this.rng.int(0, 86_399);
    return `${text}T${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}Z`;
  }

  private datePair(): [string, string] {
    const a = this.date();
    const b = this.date();
    return a < b ? [a, b] : [b, a];
  }
}

function styleUri(vault: string, style: UriStyle): string {
  if (style === "no-slash") return `https://${vault}.vault.azure.net`;
  if (style === "upper") return `https://${vault.toUpperCase()}.VAULT.AZURE.NET/`;
  return `https://${vault}.vault.azure.net/`;
}
