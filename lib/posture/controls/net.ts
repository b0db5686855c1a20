/**
 * NET family: public network access to the resource and its storage (their own settings, or an
 * enforced network security perimeter), private endpoints and outbound restriction.
 */
import { lastSegment } from "@/lib/posture/ids";
import type { PerimeterAssociation, SnapshotIndex } from "@/lib/posture/indexes";
import { child, eqCi, list, obj, shown, text, type Json } from "@/lib/posture/read";
import type { Control, Evidence } from "@/lib/posture/types";
import { ev, exact, fail, joinNames, pass, unknown } from "./common";
import { evaluateLinkedStorage, unseen, type StorageRule } from "./storage-check";

const MCSB_NET = ["NS-2"];
const NIST_NET = ["SC-7", "AC-4"];

interface NetworkView {
  /** `publicNetworkAccess` is Disabled or `networkAcls.defaultAction` is Deny. */
  readonly restricted: boolean;
  readonly publicDisabled: boolean;
  readonly publicNetworkAccess: unknown;
  readonly defaultAction: unknown;
  readonly ipRules: readonly string[];
  readonly vnetRules: readonly string[];
  /** `publicNetworkAccess` is SecuredByPerimeter: a perimeter association decides public access. */
  readonly securedByPerimeter: boolean;
  /** The resource's perimeter associations in the snapshot (empty: none visible). */
  readonly associations: readonly PerimeterAssociation[];
  /** An association in Enforced mode, when there is one. */
  readonly enforced: PerimeterAssociation | undefined;
}

const NO_ASSOCIATIONS: readonly PerimeterAssociation[] = Object.freeze([]);

/**
 * Azure Policy semantics: restricted when public access is Disabled or the default action is Deny;
 * an Enforced network security perimeter association restricts it too (CONTROLS.md).
 */
function readNetwork(props: Json, key: string, ctx: SnapshotIndex | undefined): NetworkView {
  const acls = child(props, "networkAcls");
  const publicDisabled = eqCi(props.publicNetworkAccess, "disabled");
  const associations = (ctx !== undefined && ctx.perimeters.size > 0 && ctx.perimeters.get(key)) || NO_ASSOCIATIONS;
  let enforced: PerimeterAssociation | undefined;
  for (let i = 0; i < associations.length && enforced === undefined; i++) if (associations[i].enforced) enforced = associations[i];
  return {
    restricted: publicDisabled || eqCi(acls.defaultAction, "deny"),
    publicDisabled,
    publicNetworkAccess: props.publicNetworkAccess,
    defaultAction: acls.defaultAction,
    ipRules: ruleValues(acls.ipRules, "value"),
    vnetRules: ruleValues(acls.virtualNetworkRules, "id"),
    securedByPerimeter: eqCi(props.publicNetworkAccess, "securedbyperimeter"),
    associations,
    enforced,
  };
}

type NetworkVerdict = "pass" | "fail" | "not_visible";

/** Pass when restricted or in an enforced perimeter; not_visible on SecuredByPerimeter without a visible association. */
function verdictOf(net: NetworkView): NetworkVerdict {
  if (net.restricted || net.enforced !== undefined) return "pass";
  return net.securedByPerimeter && net.associations.length === 0 ? "not_visible" : "fail";
}

function ruleValues(rules: unknown, field: string): readonly string[] {
  const entries = list(rules);
  if (entries.length === 0) return entries as readonly string[];
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const value = text(obj(entries[i])?.[field]);
    if (value !== undefined) out.push(value);
  }
  return out;
}

const PROFILE_EXPECTED = "a profile whose access rules admit only what must reach it";

/**
 * Evidence for both settings, plus what stays open: the IP and virtual-network rules when public
 * access is not disabled, and the perimeter associations (their mode and profile) when there are any.
 */
function networkEvidence(ref: string, net: NetworkView, evidence: Evidence[]): void {
  evidence.push(
    ev(`${ref}properties.publicNetworkAccess`, shown(net.publicNetworkAccess), "Disabled"),
    ev(`${ref}properties.networkAcls.defaultAction`, shown(net.defaultAction), "Deny"),
  );
  if (net.securedByPerimeter && net.associations.length === 0) {
    evidence.push(ev(`${ref}networkSecurityPerimeter`, null, "a visible network security perimeter association in Enforced mode"));
  }
  for (let i = 0; i < net.associations.length; i++) {
    const a = net.associations[i];
    const at = `perimeter:${a.doc.id} properties.`;
    evidence.push(ev(`${at}accessMode`, a.accessMode ?? null, "Enforced"), ev(`${at}profile.id`, a.profileId ?? null, PROFILE_EXPECTED));
  }
  if (net.publicDisabled) return;
  if (net.ipRules.length > 0) evidence.push(ev(`${ref}properties.networkAcls.ipRules[*].value`, net.ipRules, "only networks that must reach it"));
  if (net.vnetRules.length > 0) {
    evidence.push(ev(`${ref}properties.networkAcls.virtualNetworkRules[*].id`, net.vnetRules, "only subnets that must reach it"));
  }
}

const DENY_TAIL = " denies public network traffic by default (networkAcls.defaultAction is Deny).";

/** `networkEvidence` as an exact-size list; the common no-rules case is built directly. */
function networkEvidenceOf(ref: string, net: NetworkView): readonly Evidence[] {
  if ((net.publicDisabled || (net.ipRules.length === 0 && net.vnetRules.length === 0)) && net.associations.length === 0 && !net.securedByPerimeter) {
    return [
      ev(`${ref}properties.publicNetworkAccess`, shown(net.publicNetworkAccess), "Disabled"),
      ev(`${ref}properties.networkAcls.defaultAction`, shown(net.defaultAction), "Deny"),
    ];
  }
  const built: Evidence[] = [];
  networkEvidence(ref, net, built);
  return exact(built);
}

/** "; still open to IP rules 1.2.3.4 and 10.0.0.0/24 and 1 virtual-network rule" or "". */
function openRules(net: NetworkView): string {
  const parts: string[] = [];
  if (net.ipRules.length > 0) parts.push(`IP ${net.ipRules.length === 1 ? "rule" : "rules"} ${joinNames(net.ipRules)}`);
  if (net.vnetRules.length > 0) {
    parts.push(`${net.vnetRules.length} virtual-network ${net.vnetRules.length === 1 ? "rule" : "rules"} (${joinNames(net.vnetRules.map(lastSegment))})`);
  }
  return parts.length === 0 ? "" : `; still open to ${parts.join(" and ")}`;
}

/** "perimeter profile p1 (Learning) and p2 (Audit)": the associations that only observe. */
function observingProfiles(net: NetworkView): string {
  const names = net.associations.map(
    (a) => `${a.profileId === undefined ? lastSegment(a.doc.id) : lastSegment(a.profileId)} (${a.accessMode ?? "no access mode"})`,
  );
  return `perimeter ${names.length === 1 ? "profile" : "profiles"} ${joinNames(names)}`;
}

const OPEN = "publicNetworkAccess is not Disabled and networkAcls.defaultAction is not Deny";
const OPEN_TAIL = ` accepts traffic from all public networks (${OPEN}; an absent publicNetworkAccess means Enabled).`;
const NEURAL_VOICE = "Custom neural voice needs the storage firewall open; if that is why, record an exception rather than leave it unexplained.";
const ENFORCED_TAIL = " is in a network security perimeter in Enforced mode, whose access rules decide which public traffic reaches it";
const NO_PERIMETER_TAIL =
  " is set to SecuredByPerimeter, but no network security perimeter association of it is in the snapshot, so it cannot be told which public traffic reaches it.";
const OBSERVING = "Learning and Audit modes only observe: the resource's own network settings still apply, and they let public traffic in";

/** NET-1's message for an account; `name` starts it. */
function accountNetworkMessage(name: string, net: NetworkView, verdict: NetworkVerdict): string {
  if (verdict === "not_visible") return name + NO_PERIMETER_TAIL;
  if (verdict === "fail") {
    if (net.associations.length === 0) return name + OPEN_TAIL;
    return `${name} accepts traffic from all public networks: it is associated only with ${observingProfiles(net)}. ${OBSERVING}.`;
  }
  if (net.publicDisabled) return name + " does not accept traffic from public networks (publicNetworkAccess is Disabled).";
  if (net.restricted) {
    const open = openRules(net);
    return name + (open === "" ? DENY_TAIL : `${DENY_TAIL.slice(0, -1)}${open}.`);
  }
  const profile = net.enforced?.profileId;
  return `${name}${ENFORCED_TAIL}${profile === undefined ? "" : ` (profile ${lastSegment(profile)})`}.`;
}

export const net1: Control = {
  id: "NET-1",
  title: "Resource restricts public network access",
  severity: "high",
  family: "net",
  rule:
    "Pass when `publicNetworkAccess` is Disabled or `networkAcls.defaultAction` is Deny (Azure Policy semantics), or " +
    "the resource is in a network security perimeter in Enforced mode; unknown (not_visible) when `publicNetworkAccess` " +
    "is SecuredByPerimeter and no perimeter association of it is visible; otherwise fail (absent `publicNetworkAccess` " +
    "means Enabled; a Learning or Audit association lets public traffic in). Evidence lists the IP and virtual-network " +
    "rules, or the perimeter profile, that remain open.",
  rationale:
    "A resource open to every network can be reached, and its keys or tokens used, from anywhere on the internet. " +
    "Denying public access by default limits use to chosen networks and private endpoints; an enforced network " +
    "security perimeter does the same through its profile's access rules.",
  remediation: {
    portal: [
      "Open the Speech resource > Resource Management > Networking.",
      "Choose Disabled (private endpoints only), or Selected Networks and Private Endpoints and list only the networks that need access.",
      "Or, when the resource is in a network security perimeter: open the perimeter > Associated resources, select the resource and switch its access mode from Learning (or Audit) to Enforced, after checking the profile's inbound access rules.",
      "Save, and check that clients still connect through the allowed networks.",
    ],
    cli:
      "az resource update --ids <speech-id> --set properties.publicNetworkAccess=Disabled\n" +
      "# or enforce its network security perimeter association:\n" +
      "az network perimeter association update --perimeter-name <perimeter> --resource-group <rg> --name <association> --access-mode Enforced",
    bicep:
      "properties: { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } }\n" +
      "// or, in a network security perimeter:\n" +
      "resource association 'Microsoft.Network/networkSecurityPerimeters/resourceAssociations@2024-07-01' = {\n" +
      "  parent: perimeter\n" +
      "  name: 'speech'\n" +
      "  properties: { privateLinkResource: { id: speech.id }, profile: { id: profile.id }, accessMode: 'Enforced' }\n" +
      "}",
  },
  references: {
    azurePolicy: { id: "037eea7a-bd0a-46c5-9a66-03aea78705d3", name: "Azure AI Services resources should restrict network access" },
    mcsb: MCSB_NET,
    nist: NIST_NET,
    defender: "Azure AI Services resources should restrict network access",
  },
  evaluate(account, ctx) {
    const net = readNetwork(account.props, account.key, ctx);
    const evidence = networkEvidenceOf(account.ref, net);
    const verdict = verdictOf(net);
    const message = accountNetworkMessage(account.name, net, verdict);
    if (verdict === "pass") return pass(message, evidence);
    if (verdict === "not_visible") return unknown("not_visible", message, evidence);
    return fail(message, evidence);
  },
};

export const net2: Control = {
  id: "NET-2",
  title: "Resource is reached through an approved private endpoint",
  severity: "medium",
  family: "net",
  rule: "Pass when some `privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status` is Approved; otherwise fail.",
  rationale:
    "A private endpoint keeps traffic to the resource on the customer's virtual network and Microsoft's backbone; " +
    "a pending or rejected connection carries no traffic.",
  remediation: {
    portal: [
      "Open the Speech resource > Networking > Private endpoint connections > + Private endpoint.",
      "Choose the virtual network and subnet, target sub-resource account, and integrate with a private DNS zone (privatelink.cognitiveservices.azure.com).",
      "If a connection is Pending, approve it on the same page.",
    ],
    cli:
      "az network private-endpoint create --name pe-<speech-name> --resource-group <rg> --vnet-name <vnet> --subnet <subnet> \\\n" +
      "  --private-connection-resource-id <speech-id> --group-id account --connection-name <speech-name>-pe",
    bicep: [
      "resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {",
      "  name: 'pe-${speechName}'",
      "  location: location",
      "  properties: {",
      "    subnet: { id: subnetId }",
      "    privateLinkServiceConnections: [ {",
      "      name: '${speechName}-pe'",
      "      properties: { privateLinkServiceId: speech.id, groupIds: [ 'account' ] }",
      "    } ]",
      "  }",
      "}",
    ].join("\n"),
  },
  references: {
    azurePolicy: { id: "d6759c02-b87f-42b7-892e-71b3f471d782", name: "Azure AI Services resources should use Azure Private Link" },
    mcsb: MCSB_NET,
    nist: NIST_NET,
  },
  evaluate(account) {
    const connections = list(account.props.privateEndpointConnections);
    const base = `${account.ref}properties.privateEndpointConnections`;
    if (connections.length === 0) {
      return fail(account.name + " has no private endpoint, so clients reach it over its public endpoint.", [
        ev(base, shown(account.props.privateEndpointConnections), "a connection with status Approved"),
      ]);
    }
    const evidence: Evidence[] = [];
    const approved: string[] = [];
    const others: string[] = [];
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      const props = child(obj(connection), "properties");
      const status = child(props, "privateLinkServiceConnectionState").status;
      const name = endpointName(connection, props, i);
      const at = i === 0 ? "[0]" : `[${i}]`;
      evidence.push(ev(base + at + ".properties.privateLinkServiceConnectionState.status", shown(status), "Approved"));
      if (eqCi(status, "approved")) approved.push(name);
      else others.push(`${name} is ${text(status) ?? "without a status"}`);
    }
    if (approved.length > 0) {
      return pass(
        `${account.name} is reached through approved private ${approved.length === 1 ? "endpoint" : "endpoints"} ${joinNames(approved)}.`,
        exact(evidence),
      );
    }
    return fail(`${account.name} has no approved private endpoint (${joinNames(others)}).`, exact(evidence));
  },
};

function endpointName(connection: unknown, props: Json, index: number): string {
  const endpointId = text(child(props, "privateEndpoint").id);
  if (endpointId !== undefined) return lastSegment(endpointId);
  return text(obj(connection)?.name) ?? `connection #${index + 1}`;
}

const storageNetworkRule: StorageRule = {
  judge(storage, evidence, ctx) {
    const net = readNetwork(storage.props, storage.key, ctx);
    networkEvidence(storage.ref, net, evidence);
    const verdict = verdictOf(net);
    return verdict === "not_visible" ? verdict : verdict === "pass";
  },
  passTail: [" does not accept traffic from all public networks.", " do not accept traffic from all public networks."],
  failTail: [
    ` accepts traffic from all public networks (${OPEN}, and no network security perimeter association is Enforced). ${NEURAL_VOICE}`,
    ` accept traffic from all public networks (${OPEN}, and no network security perimeter association is Enforced). ${NEURAL_VOICE}`,
  ],
  unseenTail: unseen("its network access"),
  undecidedTail: [
    " is set to SecuredByPerimeter, but no network security perimeter association of it is in the snapshot, so its network access cannot be checked.",
    " are set to SecuredByPerimeter, but no network security perimeter association of them is in the snapshot, so their network access cannot be checked.",
  ],
};

export const net3: Control = {
  id: "NET-3",
  title: "Linked storage restricts public network access",
  severity: "high",
  family: "net",
  rule:
    "Not applicable when BYOS-1 fails; unknown (not_visible) when a linked storage account is not in the snapshot. " +
    "Pass when the storage account's `publicNetworkAccess` is Disabled or `networkAcls.defaultAction` is Deny, or it " +
    "is in a network security perimeter in Enforced mode; unknown (not_visible) when it is SecuredByPerimeter with no " +
    "visible association; otherwise fail. Custom neural voice needs the storage firewall open: that is a reason to " +
    "record an exception, not a pass.",
  rationale:
    "The linked storage account holds the resource's audio, transcripts and models. Speech reaches it as a trusted " +
    "service through a resource-instance rule, so the account can deny all other networks.",
  remediation: {
    portal: [
      "Open the linked storage account > Security + networking > Networking.",
      "Choose Enabled from selected virtual networks and IP addresses (or Disabled), clear the exception check boxes.",
      "Under Resource instances add resource type Microsoft.CognitiveServices/accounts with the Speech resource as the instance, and save.",
      "Or, when the storage account is in a network security perimeter: open the perimeter > Associated resources and switch the storage account's access mode from Learning (or Audit) to Enforced, after checking the profile's access rules admit the Speech resource.",
    ],
    cli:
      "az storage account update --name <storage> --resource-group <rg> --default-action Deny\n" +
      "az storage account network-rule add --resource-group <rg> --account-name <storage> \\\n" +
      "  --resource-id <speech-id> --tenant-id <tenant-id>\n" +
      "# or enforce its network security perimeter association:\n" +
      "az network perimeter association update --perimeter-name <perimeter> --resource-group <rg> --name <association> --access-mode Enforced",
    bicep:
      "properties: { networkAcls: { defaultAction: 'Deny', bypass: 'None', resourceAccessRules: [ { tenantId: tenant().tenantId, resourceId: speech.id } ] } }\n" +
      "// or, in a network security perimeter:\n" +
      "resource association 'Microsoft.Network/networkSecurityPerimeters/resourceAssociations@2024-07-01' = {\n" +
      "  parent: perimeter\n" +
      "  name: 'byos-storage'\n" +
      "  properties: { privateLinkResource: { id: storage.id }, profile: { id: profile.id }, accessMode: 'Enforced' }\n" +
      "}",
  },
  references: { mcsb: MCSB_NET, nist: NIST_NET },
  evaluate: (account, ctx) => evaluateLinkedStorage(account, ctx, storageNetworkRule),
};

export const net4: Control = {
  id: "NET-4",
  title: "Outbound traffic is restricted",
  severity: "low",
  family: "net",
  rule: "Pass when `properties.restrictOutboundNetworkAccess` is true; otherwise fail.",
  rationale:
    "With outbound access restricted, the resource can send data only to the FQDNs in its allowed list, which limits " + "where data can be exfiltrated to.",
  remediation: {
    portal: [
      "Outbound restriction is not exposed in the portal for Speech resources; use the CLI or Bicep.",
      "List the FQDNs the resource must reach (for BYOS, the storage account's blob endpoint) in allowedFqdnList.",
    ],
    cli:
      "az resource update --ids <speech-id> --set properties.restrictOutboundNetworkAccess=true \\\n" +
      "  properties.allowedFqdnList='[\"<storage>.blob.core.windows.net\"]'",
    bicep: "properties: { restrictOutboundNetworkAccess: true, allowedFqdnList: [ '${storageName}.blob.${environment().suffixes.storage}' ] }",
  },
  references: { mcsb: MCSB_NET, nist: NIST_NET },
  evaluate(account) {
    const value = account.props.restrictOutboundNetworkAccess;
    const evidence = [ev(`${account.ref}properties.restrictOutboundNetworkAccess`, shown(value), true)];
    if (value === true) return pass(account.name + " may send data only to the destinations in its allowed list.", evidence);
    return fail(account.name + " can send data to any outbound destination (restrictOutboundNetworkAccess is not true).", evidence);
  },
};

export const NET_CONTROLS: readonly Control[] = [net1, net2, net3, net4];
