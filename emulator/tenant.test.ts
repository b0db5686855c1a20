/**
 * The generated tenant: deterministic, shaped like Resource Graph rows, a believable mix, and
 * every pitfall the collector and the controls must survive present in the default demo tenant.
 */
import { describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { ARG_COLUMNS } from "./kql";
import { generateTenant, type Tenant } from "./tenant";

type Props = Record<string, any>;
const lower = (s: unknown) => String(s ?? "").toLowerCase();
const props = (d: AzureDocument): Props => (d.properties ?? {}) as Props;
/** The subscription an ID is in; none for a management group's role assignment. */
const subOf = (id: string) => (/^\/subscriptions\//i.test(id) ? lower(id.split("/")[2]) : "");
const CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

function view(t: Tenant) {
  const byId = new Map(t.resources.map((r) => [lower(r.id), r]));
  const visible = new Set(t.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId)));
  const hidden = new Set(t.subscriptions.filter((s) => !s.visible).map((s) => lower(s.subscriptionId)));
  const speech = t.resources.filter(isSpeechAccount);
  const storage = t.resources.filter((r) => r.type === "microsoft.storage/storageaccounts");
  const vaults = t.resources.filter((r) => r.type === "microsoft.keyvault/vaults");
  const links = speech.flatMap((a) =>
    ((props(a).userOwnedStorage ?? []) as { resourceId: string }[]).filter((u) => u.resourceId).map((u) => ({ a, id: u.resourceId })),
  );
  const contributor = t.roleAssignments.filter((r) => lower(props(r).roleDefinitionId).endsWith(CONTRIBUTOR));
  const storageKv = storage.map((s) => props(s).encryption?.keyvaultproperties).filter(Boolean);
  const accountKv = speech.map((a) => props(a).encryption?.keyVaultProperties).filter(Boolean);
  const vaultUris = [...storageKv.map((k) => k.keyvaulturi), ...accountKv.map((k) => k.keyVaultUri)].filter((u) => typeof u === "string");
  const vaultByHost = new Map(vaults.map((v) => [new URL(props(v).vaultUri).host.toLowerCase(), v]));
  const isAncestorScope = (scope: string, id: string) => lower(id) === lower(scope) || lower(id).startsWith(`${lower(scope)}/`);
  return { byId, visible, hidden, speech, storage, vaults, links, contributor, storageKv, accountKv, vaultUris, vaultByHost, isAncestorScope };
}

const ASSOCIATION = "microsoft.network/networksecurityperimeters/resourceassociations";

/** A `SecuredByPerimeter` account or storage account with a visible association in this access mode. */
function perimeter(t: Tenant, what: "account" | "storage", mode: string): boolean {
  const visible = new Set(t.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId)));
  const type = what === "account" ? "microsoft.cognitiveservices/accounts" : "microsoft.storage/storageaccounts";
  return t.resources.some(
    (r) =>
      r.type === type &&
      props(r).publicNetworkAccess === "SecuredByPerimeter" &&
      t.resources.some(
        (x) =>
          x.type === ASSOCIATION &&
          visible.has(subOf(x.id)) &&
          lower(props(x).privateLinkResource.id) === lower(r.id) &&
          props(x).accessMode === mode &&
          lower(props(x).profile.id).startsWith(lower(x.id.replace(/\/resourceAssociations\/[^/]+$/, "/profiles/"))),
      ),
  );
}

/** Every pitfall, each a check over the documents (not over how they were generated). */
function pitfalls(t: Tenant): Record<string, boolean> {
  const v = view(t);
  const { speech, storage, links, byId } = v;
  const has = <T>(items: T[], f: (x: T) => boolean) => items.some(f);
  const principal = (a: AzureDocument) => lower((a.identity as Props | null)?.principalId);
  const linkedExisting = links.filter((l) => byId.has(lower(l.id)) && v.visible.has(subOf(l.id)));
  const assignmentsOf = (a: AzureDocument) => v.contributor.filter((r) => lower(props(r).principalId) === principal(a));
  const endpointsOf = (a: AzureDocument) => (t.speechEndpoints.get(lower(a.id)) ?? []) as Props[];
  const byos = (a: AzureDocument) => ((props(a).userOwnedStorage ?? []) as Props[]).some((u) => u.resourceId);
  const diag = [...t.diagnosticSettings.values()].flat() as Props[];
  const dest = (s: Props) => ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"].some((k) => s.properties[k]);
  const ipDeny = (d: AzureDocument) => lower(props(d).networkAcls?.defaultAction) === "deny" && (props(d).networkAcls?.ipRules ?? []).length > 0;
  return {
    "link cased differently from the storage id": has(links, (l) => byId.has(lower(l.id)) && byId.get(lower(l.id))!.id !== l.id),
    "ARG type lower-case everywhere": t.resources.every((r) => r.type === lower(r.type)) && t.roleAssignments.every((r) => r.type === lower(r.type)),
    "resourceGroup column lower-case while the ID keeps upper case": has(
      t.resources,
      (r) => r.resourceGroup === lower(r.resourceGroup) && /resourceGroups\/[^/]*[A-Z]/.test(r.id),
    ),
    "storage keySource Microsoft.Keyvault": has(storage, (s) => props(s).encryption.keySource === "Microsoft.Keyvault"),
    "storage keySource Microsoft.KeyVault": has(storage, (s) => props(s).encryption.keySource === "Microsoft.KeyVault"),
    "storage keySource in another casing": has(
      storage,
      (s) =>
        lower(props(s).encryption.keySource) === "microsoft.keyvault" && !["Microsoft.Keyvault", "Microsoft.KeyVault"].includes(props(s).encryption.keySource),
    ),
    "storage keySource Microsoft.Storage": has(storage, (s) => props(s).encryption.keySource === "Microsoft.Storage"),
    "account keySource Microsoft.KeyVault": has(speech, (a) => props(a).encryption?.keySource === "Microsoft.KeyVault"),
    "account keySource Microsoft.CognitiveServices": has(speech, (a) => props(a).encryption?.keySource === "Microsoft.CognitiveServices"),
    "account CMK without a key name": has(v.accountKv, (k) => k.keyName === ""),
    "dangling storage link": has(links, (l) => !byId.has(lower(l.id)) && v.visible.has(subOf(l.id))),
    "link into a hidden subscription": has(links, (l) => byId.has(lower(l.id)) && v.hidden.has(subOf(l.id))),
    "link into another visible subscription": has(links, (l) => v.visible.has(subOf(l.id)) && subOf(l.id) !== subOf(l.a.id) && byId.has(lower(l.id))),
    "two storage accounts linked": has(speech, (a) => ((props(a).userOwnedStorage ?? []) as Props[]).length === 2),
    "userOwnedStorage empty array": has(speech, (a) => Array.isArray(props(a).userOwnedStorage) && props(a).userOwnedStorage.length === 0),
    "userOwnedStorage entry with empty resourceId": has(speech, (a) => ((props(a).userOwnedStorage ?? []) as Props[]).some((u) => u.resourceId === "")),
    "storage key version pinned": has(v.storageKv, (k) => typeof k.keyversion === "string" && k.keyversion !== ""),
    "storage key version empty": has(v.storageKv, (k) => k.keyversion === ""),
    "storage key version absent": has(v.storageKv, (k) => !("keyversion" in k)),
    "storage CMK without keyvaulturi": has(v.storageKv, (k) => !("keyvaulturi" in k)),
    "account key version pinned": has(v.accountKv, (k) => typeof k.keyVersion === "string" && k.keyVersion !== ""),
    "account key version empty": has(v.accountKv, (k) => k.keyVersion === ""),
    "vault without purge protection": has(v.vaults, (x) => props(x).enablePurgeProtection !== true && props(x).enableSoftDelete !== false),
    "vault with soft delete false": has(v.vaults, (x) => props(x).enableSoftDelete === false),
    "vault fully protected": has(v.vaults, (x) => props(x).enablePurgeProtection === true && props(x).enableSoftDelete === true),
    "vault URI reference with trailing slash": has(v.vaultUris, (u) => u.endsWith("/")),
    "vault URI reference without trailing slash": has(v.vaultUris, (u) => !u.endsWith("/")),
    "vault URI reference in upper case": has(v.vaultUris, (u) => /[A-Z]/.test(new URL(u).host) || /VAULT/.test(u)),
    "vault in use that lives in a hidden subscription": has(v.vaultUris, (u) => {
      const vault = v.vaultByHost.get(new URL(u).host.toLowerCase());
      return !!vault && v.hidden.has(subOf(vault.id));
    }),
    "private endpoint Approved": has(speech, (a) =>
      has(props(a).privateEndpointConnections, (p: Props) => p.properties.privateLinkServiceConnectionState.status === "Approved"),
    ),
    "private endpoint Pending": has(speech, (a) =>
      has(props(a).privateEndpointConnections, (p: Props) => p.properties.privateLinkServiceConnectionState.status === "Pending"),
    ),
    "private endpoint Rejected": has(speech, (a) =>
      has(props(a).privateEndpointConnections, (p: Props) => p.properties.privateLinkServiceConnectionState.status === "Rejected"),
    ),
    "publicNetworkAccess Disabled": has(speech, (a) => props(a).publicNetworkAccess === "Disabled"),
    "publicNetworkAccess Enabled": has(speech, (a) => props(a).publicNetworkAccess === "Enabled"),
    "publicNetworkAccess absent": has(speech, (a) => !("publicNetworkAccess" in props(a))),
    "networkAcls Deny with ipRules while public access is Enabled": has(speech, (a) => ipDeny(a) && props(a).publicNetworkAccess !== "Disabled"),
    "disableLocalAuth true": has(speech, (a) => props(a).disableLocalAuth === true),
    "disableLocalAuth false": has(speech, (a) => props(a).disableLocalAuth === false),
    "disableLocalAuth absent": has(speech, (a) => !("disableLocalAuth" in props(a))),
    "identity None": has(speech, (a) => (a.identity as Props | null)?.type === "None"),
    "identity SystemAssigned": has(speech, (a) => (a.identity as Props | null)?.type === "SystemAssigned"),
    "identity SystemAssigned, UserAssigned": has(speech, (a) => (a.identity as Props | null)?.type === "SystemAssigned, UserAssigned"),
    "identity UserAssigned only": has(speech, (a) => (a.identity as Props | null)?.type === "UserAssigned"),
    "identity absent": has(speech, (a) => a.identity === null),
    "restrictOutboundNetworkAccess true": has(speech, (a) => props(a).restrictOutboundNetworkAccess === true),
    "restrictOutboundNetworkAccess false": has(speech, (a) => props(a).restrictOutboundNetworkAccess === false),
    "restrictOutboundNetworkAccess absent": has(speech, (a) => !("restrictOutboundNetworkAccess" in props(a))),
    "storage allowSharedKeyAccess false": has(storage, (s) => props(s).allowSharedKeyAccess === false),
    "storage allowSharedKeyAccess true": has(storage, (s) => props(s).allowSharedKeyAccess === true),
    "storage allowSharedKeyAccess absent (null)": has(storage, (s) => !("allowSharedKeyAccess" in props(s))),
    "storage requireInfrastructureEncryption true": has(storage, (s) => props(s).encryption.requireInfrastructureEncryption === true),
    "storage requireInfrastructureEncryption false": has(storage, (s) => props(s).encryption.requireInfrastructureEncryption === false),
    "storage requireInfrastructureEncryption absent": has(storage, (s) => !("requireInfrastructureEncryption" in props(s).encryption)),
    "storage publicNetworkAccess Disabled": has(storage, (s) => props(s).publicNetworkAccess === "Disabled"),
    "storage firewall Deny with a resource instance rule": has(
      storage,
      (s) => props(s).networkAcls.defaultAction === "Deny" && (props(s).networkAcls.resourceAccessRules ?? []).length > 0,
    ),
    "contributor role at storage scope": has(linkedExisting, (l) => has(assignmentsOf(l.a), (r) => lower(props(r).scope) === lower(l.id))),
    "contributor role at resource-group scope": has(linkedExisting, (l) =>
      has(assignmentsOf(l.a), (r) => /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/i.test(props(r).scope) && v.isAncestorScope(props(r).scope, l.id)),
    ),
    "contributor role at subscription scope": has(linkedExisting, (l) =>
      has(assignmentsOf(l.a), (r) => /^\/subscriptions\/[^/]+$/i.test(props(r).scope) && v.isAncestorScope(props(r).scope, l.id)),
    ),
    "contributor role missing": has(linkedExisting, (l) => principal(l.a) !== "" && !has(assignmentsOf(l.a), (r) => v.isAncestorScope(props(r).scope, l.id))),
    "contributor role at a sibling scope (string prefix, not ancestor)": has(linkedExisting, (l) =>
      has(assignmentsOf(l.a), (r) => lower(l.id).startsWith(lower(props(r).scope)) && !v.isAncestorScope(props(r).scope, l.id)),
    ),
    "other roles that the role filter must drop": has(t.roleAssignments, (r) => !lower(props(r).roleDefinitionId).endsWith(CONTRIBUTOR)),
    "endpoint logging on with BYOS": has(speech, (a) => byos(a) && has(endpointsOf(a), (e) => e.properties.loggingEnabled === true)),
    "endpoint logging on without BYOS": has(speech, (a) => !byos(a) && has(endpointsOf(a), (e) => e.properties.loggingEnabled === true)),
    "endpoint logging off with BYOS": has(speech, (a) => byos(a) && has(endpointsOf(a), (e) => e.properties.loggingEnabled === false)),
    "endpoint logging off without BYOS": has(speech, (a) => !byos(a) && has(endpointsOf(a), (e) => e.properties.loggingEnabled === false)),
    "endpoint without loggingEnabled": has(speech, (a) => has(endpointsOf(a), (e) => !("loggingEnabled" in e.properties))),
    "subdomain with no custom endpoints": has(speech, (a) => props(a).customSubDomainName && endpointsOf(a).length === 0),
    "account without customSubDomainName": has(speech, (a) => !("customSubDomainName" in props(a))),
    "diagnostic setting with Audit and a destination": has(diag, (s) => dest(s) && has(s.properties.logs, (l: Props) => l.category === "Audit" && l.enabled)),
    "diagnostic setting with allLogs": has(diag, (s) => has(s.properties.logs, (l: Props) => l.categoryGroup === "allLogs" && l.enabled)),
    "diagnostic setting with categoryGroup audit": has(diag, (s) => has(s.properties.logs, (l: Props) => l.categoryGroup === "audit" && l.enabled)),
    "diagnostic setting without a destination": has(diag, (s) => !dest(s) && s.properties.logs.length > 0),
    "diagnostic setting with logs disabled": has(diag, (s) => dest(s) && s.properties.logs.length > 0 && s.properties.logs.every((l: Props) => !l.enabled)),
    "account without diagnostic settings": has(speech, (a) => (t.diagnosticSettings.get(lower(a.id)) ?? []).length === 0),
    "non-Speech kinds TextAnalytics, OpenAI, ComputerVision": ["TextAnalytics", "OpenAI", "ComputerVision"].every((k) =>
      has(t.resources, (r) => r.type === "microsoft.cognitiveservices/accounts" && r.kind === k),
    ),
    "Storage Blob Data Contributor granted only at a management group": has(speech, (a) =>
      has(assignmentsOf(a), (r) => /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(props(r).scope)),
    ),
    "account SecuredByPerimeter with an Enforced association": perimeter(t, "account", "Enforced"),
    "account SecuredByPerimeter with a Learning association": perimeter(t, "account", "Learning"),
    "account SecuredByPerimeter with an Audit association": perimeter(t, "account", "Audit"),
    "storage SecuredByPerimeter with an association": perimeter(t, "storage", "Enforced") && perimeter(t, "storage", "Learning"),
    "account SecuredByPerimeter without a visible association": has(
      speech,
      (a) =>
        props(a).publicNetworkAccess === "SecuredByPerimeter" &&
        !t.resources.some((r) => r.type === ASSOCIATION && lower(props(r).privateLinkResource.id) === lower(a.id) && v.visible.has(subOf(r.id))),
    ),
    "near-perfect account": has(speech, (a) => {
      const p = props(a);
      const linked = ((p.userOwnedStorage ?? []) as Props[]).map((u) => byId.get(lower(u.resourceId)));
      return (
        p.publicNetworkAccess === "Disabled" &&
        p.disableLocalAuth === true &&
        p.restrictOutboundNetworkAccess === true &&
        (a.identity as Props | null)?.type === "SystemAssigned" &&
        linked.length === 1 &&
        !!linked[0] &&
        props(linked[0]).allowSharedKeyAccess === false &&
        lower(props(linked[0]).encryption.keySource) === "microsoft.keyvault" &&
        props(linked[0]).encryption.requireInfrastructureEncryption === true &&
        has(assignmentsOf(a), (r) => lower(props(r).scope) === lower(linked[0]!.id))
      );
    }),
  };
}

describe("generateTenant", () => {
  it("is deterministic: the same seed gives the identical tenant, another seed a different one", () => {
    const a = generateTenant({ seed: 7, subscriptions: 9, accounts: 60 });
    const b = generateTenant({ seed: 7, subscriptions: 9, accounts: 60 });
    const c = generateTenant({ seed: 8, subscriptions: 9, accounts: 60 });
    const dump = (t: Tenant) => JSON.stringify({ ...t, diagnosticSettings: [...t.diagnosticSettings], speechEndpoints: [...t.speechEndpoints] });
    expect(dump(a)).toBe(dump(b));
    expect(a.tenantId).not.toBe(c.tenantId);
    expect(dump(a)).not.toBe(dump(c));
  });

  it("builds the default demo tenant: seed 42, 6 visible subscriptions with real names, 40 Speech accounts", () => {
    const t = generateTenant();
    expect(t.seed).toBe(42);
    const visible = t.subscriptions.filter((s) => s.visible);
    expect(visible.map((s) => s.displayName)).toEqual([
      "contoso-speech-prod",
      "contoso-speech-dev",
      "contoso-contactcenter-prod",
      "contoso-aiplatform-prod",
      "contoso-research-sandbox",
      "contoso-voice-staging",
    ]);
    expect(t.subscriptions.filter((s) => !s.visible)).toHaveLength(1);
    expect(t.resources.filter(isSpeechAccount)).toHaveLength(40);
    for (const s of t.subscriptions) expect(s.subscriptionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Every visible subscription holds Speech accounts.
    const subsWithAccounts = new Set(t.resources.filter(isSpeechAccount).map((a) => lower(a.subscriptionId)));
    for (const s of visible) expect(subsWithAccounts.has(lower(s.subscriptionId))).toBe(true);
  });

  it("puts every subscription in a management-group tree below the tenant root group", () => {
    const t = generateTenant();
    const groups = new Map((t.managementGroups ?? []).map((g) => [g.name, g]));
    expect(groups.size).toBeGreaterThan(3);
    for (const g of groups.values()) if (g.parent) expect(groups.has(g.parent)).toBe(true);
    for (const s of t.subscriptions) expect(groups.has(s.managementGroup!)).toBe(true);
    // Production and non-production subscriptions sit in different groups of the demo tenant.
    expect(new Set(t.subscriptions.map((s) => s.managementGroup)).size).toBeGreaterThan(2);
  });

  it("shapes every row like Resource Graph: the standard columns in order, IDs unique", () => {
    const t = generateTenant();
    const columns = ARG_COLUMNS.map((c) => c.name);
    for (const r of [...t.resources, ...t.roleAssignments, ...t.resourceGroups]) {
      expect(Object.keys(r), r.id).toEqual(columns);
      expect(lower(r.subscriptionId)).toBe(subOf(r.id));
      expect(r.tenantId).toBe(t.tenantId);
    }
    const ids = t.resources.map((r) => lower(r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of t.roleAssignments) {
      expect(r.id).toBe(`${props(r).scope}/providers/Microsoft.Authorization/roleAssignments/${r.name}`);
      expect(props(r).principalType === "ServicePrincipal" || ["User", "Group"].includes(props(r).principalType)).toBe(true);
      // A management group's assignment names its role definition at tenant level (no subscription).
      expect(props(r).roleDefinitionId).toMatch(/^(\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/);
    }
    for (const v of t.resources.filter((r) => r.type === "microsoft.keyvault/vaults")) {
      expect(props(v).vaultUri).toBe(`https://${v.name}.vault.azure.net/`);
    }
    for (const [id, endpoints] of t.speechEndpoints) {
      const account = t.resources.find((r) => lower(r.id) === id)!;
      expect(props(account).customSubDomainName).toMatch(/^[a-z0-9][a-z0-9-]*$/i);
      for (const e of endpoints as Props[]) {
        // Speech to text 2025-10-15 (v3.x retired): `self` on the custom subdomain, api-version in the query.
        expect(e.self).toMatch(
          new RegExp(
            `^https://${props(account).customSubDomainName}\\.cognitiveservices\\.azure\\.com/speechtotext/endpoints/[0-9a-f-]{36}\\?api-version=2025-10-15$`,
          ),
        );
        expect(Object.keys(e.links)).toEqual(["webSocket"]);
        expect(e.model.self).toMatch(/\/models\//);
        expect(typeof e.createdDateTime).toBe("string");
      }
    }
  });

  const demo = pitfalls(generateTenant());
  it.each(Object.keys(demo))("the demo tenant contains: %s", (name) => {
    expect(demo[name]).toBe(true);
  });

  it("keeps a realistic mix: some accounts pass the key controls, many fail them", () => {
    const t = generateTenant({ seed: 3, subscriptions: 20, accounts: 400 });
    const speech = t.resources.filter(isSpeechAccount);
    const share = (f: (a: AzureDocument) => boolean) => speech.filter(f).length / speech.length;
    const byos = share((a) => ((props(a).userOwnedStorage ?? []) as Props[]).some((u) => u.resourceId));
    const closed = share((a) => props(a).publicNetworkAccess === "Disabled" || props(a).networkAcls?.defaultAction === "Deny");
    const keyless = share((a) => props(a).disableLocalAuth === true);
    for (const s of [byos, closed, keyless]) {
      expect(s).toBeGreaterThan(0.15);
      expect(s).toBeLessThan(0.7);
    }
    // All pitfalls still present at another seed and size.
    expect(
      Object.entries(pitfalls(t))
        .filter(([, ok]) => !ok)
        .map(([k]) => k),
    ).toEqual([]);
  });

  // The 100,000-account tenant itself is generated, and timed, by the benchmarks (npm run bench).
  it("generates exactly the accounts asked for across 2,000 subscriptions, each subscription and account named once", () => {
    const t = generateTenant({ seed: 100, subscriptions: 2000, accounts: 20_000 });
    const speech = t.resources.filter(isSpeechAccount);
    expect(speech).toHaveLength(20_000);
    expect(new Set(speech.map((r) => r.id.toLowerCase())).size).toBe(20_000);
    expect(t.subscriptions.filter((s) => s.visible)).toHaveLength(2000);
    expect(new Set(t.subscriptions.map((s) => s.displayName)).size).toBe(t.subscriptions.length);
  });
});
