/**
 * API versions ARM accepts per resource type (the versions Azure/azure-rest-api-specs publishes for it);
 * anything else is a 400: `InvalidApiVersionParameter` for ARM's own types (subscriptions, resource
 * groups), `NoRegisteredProviderFound` for a resource provider's type, as ARM answers.
 */
import { armError } from "@/emulator/http/errors";
import type { Reply } from "@/emulator/http/respond";

// Newest stable per type is the vendored spec's (accounts 2025-12-01, storage 2025-08-01, vaults 2025-05-01,
// diagnostic settings 2021-05-01-preview); nothing newer is listed, since no published spec shows it.
export const API_VERSIONS: Record<string, readonly string[]> = {
  subscriptions: ["2016-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"],
  resourcegroups: ["2019-10-01", "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01", "2024-11-01", "2025-04-01"],
  "microsoft.insights/diagnosticsettings": ["2017-05-01-preview", "2021-05-01-preview"],
  "microsoft.cognitiveservices/accounts": [
    "2017-04-18",
    "2021-04-30",
    "2021-10-01",
    "2022-03-01",
    "2022-10-01",
    "2022-12-01",
    "2023-05-01",
    "2023-10-01-preview",
    "2024-04-01-preview",
    "2024-06-01-preview",
    "2024-10-01",
    "2025-04-01-preview",
    "2025-06-01",
    "2025-09-01",
    "2025-10-01-preview",
    "2025-12-01",
  ],
  "microsoft.storage/storageaccounts": [
    "2019-06-01",
    "2021-09-01",
    "2022-09-01",
    "2023-01-01",
    "2023-05-01",
    "2024-01-01",
    "2025-01-01",
    "2025-06-01",
    "2025-08-01",
  ],
  "microsoft.keyvault/vaults": ["2019-09-01", "2021-10-01", "2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01", "2025-05-01"],
  "microsoft.operationalinsights/workspaces": ["2020-08-01", "2021-06-01", "2022-10-01", "2023-09-01", "2025-02-01"],
};

const ARM_OWN_TYPES = new Set(["subscriptions", "resourcegroups"]);
/** The type names ARM writes in its messages. */
const TYPE_NAMES: Record<string, string> = {
  "microsoft.insights/diagnosticsettings": "diagnosticSettings",
  "microsoft.cognitiveservices/accounts": "accounts",
  "microsoft.storage/storageaccounts": "storageAccounts",
  "microsoft.keyvault/vaults": "vaults",
  "microsoft.operationalinsights/workspaces": "workspaces",
};

/** A 400 reply when `api-version` is missing or not one the type knows; undefined when fine. */
export function checkApiVersion(url: URL, type: string, location?: string): Reply | undefined {
  const version = url.searchParams.get("api-version");
  if (!version) {
    return { status: 400, body: armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.") };
  }
  const known = API_VERSIONS[type];
  if (!known || known.includes(version)) return undefined;
  const supported = [...known].reverse().join(", ");
  if (ARM_OWN_TYPES.has(type)) {
    return { status: 400, body: armError("InvalidApiVersionParameter", `The api-version '${version}' is invalid. The supported versions are '${supported}'.`) };
  }
  const where = location ? `location '${location}' and ` : "";
  return {
    status: 400,
    body: armError(
      "NoRegisteredProviderFound",
      `No registered resource provider found for ${where}API version '${version}' for type '${TYPE_NAMES[type] ?? type}'. The supported api-versions are '${supported}'.`,
    ),
  };
}
