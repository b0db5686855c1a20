/** Filled-in CLI and Bicep for the controls that change the Speech resource itself. */
import type { Evidence } from "@/lib/posture/types";
import { bicepString, commentText, sh } from "./quote";
import { accountPrincipal, args, grantKeyUse, inTemplateOf, newVault, type FilledScripts } from "./steps";
import { namedResource, vaultFor, type RemediationTarget } from "./target";

type Scripts = Omit<FilledScripts, "portal">;

export function iam1(t: RemediationTarget): Scripts {
  const cli: string[] = [];
  if (!t.customSubDomain) {
    cli.push(
      `# ${commentText(t.name)} has no custom subdomain: Microsoft Entra tokens need one, and it can be set only once.`,
      `az cognitiveservices account update ${args(t)} --custom-domain ${sh(t.name.toLowerCase())}`,
    );
  }
  cli.push(
    "# Clients still using keys stop working: move them to Microsoft Entra ID first.",
    `az resource update --ids ${sh(t.id)} --set properties.disableLocalAuth=true`,
  );
  return {
    cli: cli.join("\n"),
    bicep: `${inTemplateOf(t)}\nproperties: { customSubDomainName: ${bicepString(t.customSubDomain ?? t.name.toLowerCase())}, disableLocalAuth: true }`,
  };
}

export function iam3(t: RemediationTarget): Scripts {
  return {
    cli: `az cognitiveservices account identity assign ${args(t)}`,
    bicep: `${inTemplateOf(t)}\nidentity: { type: 'SystemAssigned' }`,
  };
}

/** Non-enforced perimeter associations named in a finding's evidence (`perimeter:<id> properties.accessMode`). */
export function openAssociations(
  evidence: readonly Evidence[],
): { id: string; perimeter: string; name: string; resourceGroup: string; subscriptionId: string; profileId?: string }[] {
  const out = new Map<string, { id: string; perimeter: string; name: string; resourceGroup: string; subscriptionId: string; profileId?: string }>();
  for (const e of evidence) {
    const m = /^perimeter:(\S+) properties\.(accessMode|profile\.id)$/.exec(e.path);
    if (!m) continue;
    const id = m[1];
    const parts = /\/networkSecurityPerimeters\/([^/]+)\/resourceAssociations\/([^/]+)$/i.exec(id);
    if (!parts) continue;
    const entry = out.get(id.toLowerCase()) ?? { ...namedResource(id), perimeter: parts[1], name: parts[2] };
    if (m[2] === "accessMode" && e.actual === "Enforced") {
      out.delete(id.toLowerCase());
      continue;
    }
    if (m[2] === "profile.id" && typeof e.actual === "string") entry.profileId = e.actual;
    out.set(id.toLowerCase(), entry);
  }
  return [...out.values()];
}

/** CLI and Bicep that enforce perimeter associations, for NET-1 and NET-3. */
export function enforceAssociations(evidence: readonly Evidence[], resourceId: string, symbol: string): { cli: string[]; bicep: string[] } {
  const open = openAssociations(evidence);
  const cli: string[] = [];
  const bicep: string[] = [];
  for (const a of open) {
    cli.push(
      `# or enforce its network security perimeter association ${commentText(a.name)} (after checking the profile's inbound rules):`,
      `az network perimeter association update --perimeter-name ${sh(a.perimeter)} --resource-group ${sh(a.resourceGroup)} \\`,
      `  --subscription ${sh(a.subscriptionId)} --name ${sh(a.name)} --access-mode Enforced`,
    );
    bicep.push(
      commentText(`// or, in the template that deploys perimeter ${a.perimeter} (resource group ${a.resourceGroup}):`),
      `resource perimeter 'Microsoft.Network/networkSecurityPerimeters@2024-07-01' existing = { name: ${bicepString(a.perimeter)} }`,
      `resource ${symbol} 'Microsoft.Network/networkSecurityPerimeters/resourceAssociations@2024-07-01' = {`,
      `  parent: perimeter`,
      `  name: ${bicepString(a.name)}`,
      `  properties: { privateLinkResource: { id: ${bicepString(resourceId)} }, ${a.profileId ? `profile: { id: ${bicepString(a.profileId)} }, ` : ""}accessMode: 'Enforced' }`,
      `}`,
    );
  }
  return { cli, bicep };
}

export function net1(t: RemediationTarget, evidence: readonly Evidence[]): Scripts {
  const perimeter = enforceAssociations(evidence, t.id, "association");
  return {
    cli: [`az resource update --ids ${sh(t.id)} --set properties.publicNetworkAccess=Disabled`, ...perimeter.cli].join("\n"),
    bicep: [
      inTemplateOf(t),
      "properties: { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } }",
      ...perimeter.bicep,
    ].join("\n"),
  };
}

export function net2(t: RemediationTarget): Scripts {
  const cli: string[] = [];
  for (const id of t.pendingConnections) {
    cli.push(
      `# A private endpoint connection is waiting for approval:`,
      `az network private-endpoint-connection approve --id ${sh(id)} --description "Approved after security review"`,
    );
  }
  const pe = `pe-${t.name}`.slice(0, 80);
  cli.push(
    `# The scan cannot know which subnet the endpoint belongs in: set SUBNET_ID to that subnet's resource ID.`,
    `: "\${SUBNET_ID:?set SUBNET_ID to the resource ID of the subnet for the private endpoint}"`,
    `az network private-endpoint create --name ${sh(pe)} --resource-group ${sh(t.resourceGroup)} --subscription ${sh(t.subscriptionId)} \\`,
    `  --subnet "$SUBNET_ID" --private-connection-resource-id ${sh(t.id)} --group-id account --connection-name ${sh(`${t.name}-pe`)}`,
  );
  return {
    cli: cli.join("\n"),
    bicep: [
      commentText(`// Deploy to resource group ${t.resourceGroup} (subscription ${t.subscriptionId}); subnetId is the subnet for the endpoint.`),
      "param subnetId string",
      "resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {",
      `  name: ${bicepString(pe)}`,
      `  location: ${bicepString(t.location ?? "")}`.replace(/''$/, "resourceGroup().location"),
      "  properties: {",
      "    subnet: { id: subnetId }",
      "    privateLinkServiceConnections: [ {",
      `      name: ${bicepString(`${t.name}-pe`)}`,
      `      properties: { privateLinkServiceId: ${bicepString(t.id)}, groupIds: [ 'account' ] }`,
      "    } ]",
      "  }",
      "}",
    ].join("\n"),
  };
}

export function net4(t: RemediationTarget): Scripts {
  const hosts = t.storage.map((s) => s.blobHost ?? `${s.name}.blob.core.windows.net`);
  const list = JSON.stringify(hosts);
  const cli: string[] = [];
  if (hosts.length === 0) cli.push(`# ${commentText(t.name)} has no linked storage: add any host it must reach to the list.`);
  cli.push(`az resource update --ids ${sh(t.id)} --set properties.restrictOutboundNetworkAccess=true \\`, `  ${sh(`properties.allowedFqdnList=${list}`)}`);
  return {
    cli: cli.join("\n"),
    bicep: `${inTemplateOf(t)}\nproperties: { restrictOutboundNetworkAccess: true, allowedFqdnList: [ ${hosts.map(bicepString).join(", ")} ] }`,
  };
}

const SPEECH_API_VERSION = "2025-10-15";

export function log1(t: RemediationTarget): Scripts {
  const cli: string[] = [];
  if (t.loggingEndpoints.length === 0) {
    cli.push(`# The scan did not name the logging endpoints of ${commentText(t.name)}: list them first.`);
  }
  const base = t.customSubDomain ? `https://${t.customSubDomain}.cognitiveservices.azure.com/speechtotext` : null;
  if (base) {
    cli.push(`token=$(az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv)`);
    if (t.loggingEndpoints.length === 0) cli.push(`curl -s -H "Authorization: Bearer $token" ${sh(`${base}/endpoints?api-version=${SPEECH_API_VERSION}`)}`);
  } else {
    cli.push(
      `# ${commentText(t.name)} has no custom subdomain, so Microsoft Entra tokens do not work: use a key.`,
      `key=$(az cognitiveservices account keys list ${args(t)} --query key1 -o tsv)`,
    );
  }
  const auth = base ? `-H "Authorization: Bearer $token"` : `-H "Ocp-Apim-Subscription-Key: $key"`;
  for (const e of t.loggingEndpoints) {
    const url = endpointUrl(e.self, base, t);
    cli.push(
      `# ${commentText(e.name)} logs audio and transcripts: turn content logging off.`,
      `curl -X PATCH ${sh(url)} \\`,
      `  ${auth} -H "Content-Type: application/json" \\`,
      `  -d '{"properties":{"contentLoggingEnabled":false}}'`,
    );
  }
  return {
    cli: cli.join("\n"),
    bicep: `// Endpoint content logging is a Speech data-plane setting: Bicep cannot set it. Use the REST calls above.`,
  };
}

/** The endpoint's own URL (from the data plane), with the current api-version. */
function endpointUrl(self: string | undefined, base: string | null, t: RemediationTarget): string {
  if (self) {
    try {
      const url = new URL(self);
      url.searchParams.set("api-version", SPEECH_API_VERSION);
      return url.toString();
    } catch {
      // fall through to the account's own host
    }
  }
  const host = base ?? `https://${t.location ?? "westeurope"}.api.cognitive.microsoft.com/speechtotext`;
  return `${host}/endpoints?api-version=${SPEECH_API_VERSION}`;
}

export function log2(t: RemediationTarget): Scripts {
  return {
    cli: [
      `# The scan cannot know which Log Analytics workspace should receive audit logs: set WORKSPACE_ID to its resource ID.`,
      `: "\${WORKSPACE_ID:?set WORKSPACE_ID to the Log Analytics workspace resource ID}"`,
      `az monitor diagnostic-settings create --name audit-export --resource ${sh(t.id)} \\`,
      `  --workspace "$WORKSPACE_ID" --logs '[{"categoryGroup":"audit","enabled":true}]'`,
    ].join("\n"),
    bicep: [
      commentText(`// Deploy to resource group ${t.resourceGroup} (subscription ${t.subscriptionId}); workspaceId is the Log Analytics workspace.`),
      "param workspaceId string",
      `resource speech 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = { name: ${bicepString(t.name)} }`,
      "resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {",
      "  name: 'audit-export'",
      "  scope: speech",
      "  properties: {",
      "    workspaceId: workspaceId",
      "    logs: [ { categoryGroup: 'audit', enabled: true } ]",
      "  }",
      "}",
    ].join("\n"),
  };
}

export function cmk1(t: RemediationTarget): Scripts {
  const cli = [...accountPrincipal(t)];
  // The vault: the one the account already names, else one its storage uses, else a new one.
  const existing = vaultFor(t, t.keyVaultUri) ?? t.storage.map((s) => vaultFor(t, s.keyVaultUri)).find((v) => v !== undefined);
  let vaultName: string;
  let vaultUri: string;
  if (existing) {
    vaultName = existing.name;
    vaultUri = existing.uri;
    if (existing.softDeleteOff || !existing.purgeProtection) {
      cli.push(
        `# ${commentText(existing.name)} must have soft delete and purge protection before it holds the key.`,
        `az keyvault update ${args(existing)}${existing.softDeleteOff ? " --enable-soft-delete true" : ""} --enable-purge-protection true`,
      );
    }
    cli.push(...grantKeyUse(existing, "principal"));
  } else {
    const created = newVault(t);
    vaultName = created.name;
    vaultUri = created.uri;
    cli.push(...created.lines, ...grantKeyUse({ name: created.name, rbac: true }, "principal"));
  }
  const keyName = t.keyName ?? `${t.name.toLowerCase().replace(/[^a-z0-9-]/g, "") || "speech"}-cmk`;
  if (!t.keyName) cli.push(`az keyvault key create --vault-name ${sh(vaultName)} --name ${sh(keyName)} --kty RSA --size 2048`);
  const encryption = { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyName, keyVersion: "", keyVaultUri: vaultUri } };
  cli.push(`az cognitiveservices account update ${args(t)} \\`, `  --encryption ${sh(JSON.stringify(encryption))}`);
  return {
    cli: cli.join("\n"),
    bicep: [
      inTemplateOf(t),
      "identity: { type: 'SystemAssigned' }",
      "properties: {",
      "  encryption: {",
      "    keySource: 'Microsoft.KeyVault'",
      `    keyVaultProperties: { keyVaultUri: ${bicepString(vaultUri)}, keyName: ${bicepString(keyName)}, keyVersion: '' }`,
      "  }",
      "}",
    ].join("\n"),
  };
}
