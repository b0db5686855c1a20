/**
 * Where each Azure cloud lives: the ARM endpoint, token scopes and the Speech data-plane host.
 * The collector builds every URL from this configuration, never from a document's own URLs.
 */

export interface CloudConfig {
  name: string;
  /** ARM and Resource Graph endpoint, without a trailing slash. */
  armEndpoint: string;
  armScope: string;
  speechScope: string;
  /** The Speech data-plane base URL for an account's custom subdomain. */
  speechBaseUrl(customSubDomain: string): string;
}

/** Azure's rule for custom subdomain names: DNS labels only, so nothing can smuggle a host or path. */
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isValidCustomSubDomain(name: string): boolean {
  return SUBDOMAIN.test(name);
}

function publicStyleCloud(name: string, armHost: string, speechSuffix: string, speechScopeHost: string): CloudConfig {
  return {
    name,
    armEndpoint: `https://${armHost}`,
    armScope: `https://${armHost}/.default`,
    speechScope: `https://${speechScopeHost}/.default`,
    speechBaseUrl: (sub) => `https://${sub.toLowerCase()}${speechSuffix}`,
  };
}

export const CLOUDS: Record<string, CloudConfig> = {
  AzurePublicCloud: publicStyleCloud("AzurePublicCloud", "management.azure.com", ".cognitiveservices.azure.com", "cognitiveservices.azure.com"),
  AzureUSGovernment: publicStyleCloud("AzureUSGovernment", "management.usgovcloudapi.net", ".cognitiveservices.azure.us", "cognitiveservices.azure.us"),
  AzureChinaCloud: publicStyleCloud("AzureChinaCloud", "management.chinacloudapi.cn", ".cognitiveservices.azure.cn", "cognitiveservices.azure.cn"),
};

/** The built-in emulator serves ARM, Resource Graph and the Speech data plane under its own host. */
export function emulatorCloud(baseUrl: string): CloudConfig {
  const base = new URL(baseUrl);
  const origin = base.origin;
  return {
    name: "Emulator",
    armEndpoint: origin,
    armScope: "https://management.azure.com/.default",
    speechScope: "https://cognitiveservices.azure.com/.default",
    speechBaseUrl: (sub) => `${origin}/speech/${sub.toLowerCase()}`,
  };
}
