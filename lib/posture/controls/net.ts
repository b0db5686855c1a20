/**
 * NET family: public network access to the resource and its storage, private endpoints and
 * outbound restriction.
 */
import { lastSegment } from "@/lib/posture/ids";
import { child, eqCi, list, obj, shown, text, type Json } from "@/lib/posture/read";
import type { Control, Evidence } from "@/lib/posture/types";
import { ev, exact, fail, joinNames, pass } from "./common";
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
}

/** Azure Policy semantics: restricted when public access is Disabled or the default action is Deny. */
function readNetwork(props: Json): NetworkView {
  const acls = child(props, "networkAcls");
  const publicDisabled = eqCi(props.publicNetworkAccess, "disabled");
  return {
    restricted: publicDisabled || eqCi(acls.defaultAction, "deny"),
    publicDisabled,
    publicNetworkAccess: props.publicNetworkAccess,
    defaultAction: acls.defaultAction,
    ipRules: ruleValues(acls.ipRules, "value"),
    vnetRules: ruleValues(acls.virtualNetworkRules, "id"),
  };
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

/** Evidence for both settings, plus the rules that stay open when public access is not disabled. */
function networkEvidence(ref: string, net: NetworkView, evidence: Evidence[]): void {
  evidence.push(
    ev(`${ref}properties.publicNetworkAccess`, shown(net.publicNetworkAccess), "Disabled"),
    ev(`${ref}properties.networkAcls.defaultAction`, shown(net.defaultAction), "Deny"),
  );
  if (net.publicDisabled) return;
  if (net.ipRules.length > 0) evidence.push(ev(`${ref}properties.networkAcls.ipRules[*].value`, net.ipRules, "only networks that must reach it"));
  if (net.vnetRules.length > 0) {
    evidence.push(ev(`${ref}properties.networkAcls.virtualNetworkRules[*].id`, net.vnetRules, "only subnets that must reach it"));
  }
}

const DENY_TAIL = " denies public network traffic by default (networkAcls.defaultAction is Deny).";

/** `networkEvidence` as an exact-size list; the common no-rules case is built directly. */
function networkEvidenceOf(ref: string, net: NetworkView): readonly Evidence[] {
  if (net.publicDisabled || (net.ipRules.length === 0 && net.vnetRules.length === 0)) {
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

const OPEN = "publicNetworkAccess is not Disabled and networkAcls.defaultAction is not Deny";
const OPEN_TAIL = ` accepts traffic from all public networks (${OPEN}; an absent publicNetworkAccess means Enabled).`;
const NEURAL_VOICE = "Custom neural voice needs the storage firewall open; if that is why, record an exception rather than leave it unexplained.";

export const net1: Control = {
  id: "NET-1",
  title: "Resource restricts public network access",
  severity: "high",
  family: "net",
  rule:
    "Pass when `publicNetworkAccess` is Disabled or `networkAcls.defaultAction` is Deny (Azure Policy semantics); " +
    "otherwise fail (absent `publicNetworkAccess` means Enabled). Evidence lists the IP and virtual-network rules that remain open.",
  rationale:
    "A resource open to every network can be reached, and its keys or tokens used, from anywhere on the internet. " +
    "Denying public access by default limits use to chosen networks and private endpoints.",
  remediation: {
    portal: [
      "Open the Speech resource > Resource Management > Networking.",
      "Choose Disabled (private endpoints only), or Selected Networks and Private Endpoints and list only the networks that need access.",
      "Save, and check that clients still connect through the allowed networks.",
    ],
    cli: "az resource update --ids <speech-id> --set properties.publicNetworkAccess=Disabled",
    bicep: "properties: { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } }",
  },
  references: {
    azurePolicy: { id: "037eea7a-bd0a-46c5-9a66-03aea78705d3", name: "Azure AI Services resources should restrict network access" },
    mcsb: MCSB_NET,
    nist: NIST_NET,
    defender: "Azure AI Services resources should restrict network access",
  },
  evaluate(account) {
    const net = readNetwork(account.props);
    const evidence = networkEvidenceOf(account.ref, net);
    if (net.publicDisabled) {
      return pass(account.name + " does not accept traffic from public networks (publicNetworkAccess is Disabled).", evidence);
    }
    if (net.restricted) {
      const open = openRules(net);
      return pass(account.name + (open === "" ? DENY_TAIL : `${DENY_TAIL.slice(0, -1)}${open}.`), evidence);
    }
    return fail(account.name + OPEN_TAIL, evidence);
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
  judge(storage, evidence) {
    const net = readNetwork(storage.props);
    networkEvidence(storage.ref, net, evidence);
    return net.restricted;
  },
  passTail: [" does not accept traffic from all public networks.", " do not accept traffic from all public networks."],
  failTail: [` accepts traffic from all public networks (${OPEN}). ${NEURAL_VOICE}`, ` accept traffic from all public networks (${OPEN}). ${NEURAL_VOICE}`],
  unseenTail: unseen("its network access"),
};

export const net3: Control = {
  id: "NET-3",
  title: "Linked storage restricts public network access",
  severity: "high",
  family: "net",
  rule:
    "Not applicable when BYOS-1 fails; unknown (not_visible) when a linked storage account is not in the snapshot. " +
    "Pass when the storage account's `publicNetworkAccess` is Disabled or `networkAcls.defaultAction` is Deny; " +
    "otherwise fail. Custom neural voice needs the storage firewall open: that is a reason to record an exception, not a pass.",
  rationale:
    "The linked storage account holds the resource's audio, transcripts and models. Speech reaches it as a trusted " +
    "service through a resource-instance rule, so the account can deny all other networks.",
  remediation: {
    portal: [
      "Open the linked storage account > Security + networking > Networking.",
      "Choose Enabled from selected virtual networks and IP addresses (or Disabled), clear the exception check boxes.",
      "Under Resource instances add resource type Microsoft.CognitiveServices/accounts with the Speech resource as the instance, and save.",
    ],
    cli:
      "az storage account update --name <storage> --resource-group <rg> --default-action Deny\n" +
      "az storage account network-rule add --resource-group <rg> --account-name <storage> \\\n" +
      "  --resource-id <speech-id> --tenant-id <tenant-id>",
    bicep:
      "properties: { networkAcls: { defaultAction: 'Deny', bypass: 'None', resourceAccessRules: [ { tenantId: tenant().tenantId, resourceId: speech.id } ] } }",
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
