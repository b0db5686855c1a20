/** API versions each emulated ARM surface accepts; anything else is a 400, as ARM answers. */
import { armError } from "@/emulator/http/errors";
import type { Reply } from "@/emulator/http/respond";

export const API_VERSIONS: Record<string, readonly string[]> = {
  subscriptions: ["2016-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"],
  resourcegroups: ["2019-10-01", "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01", "2024-11-01", "2025-04-01"],
  "microsoft.insights/diagnosticsettings": ["2017-05-01-preview", "2021-05-01-preview"],
  "microsoft.cognitiveservices": [
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
    "2025-12-01",
    "2026-03-01",
    "2026-07-01",
    "2026-09-01",
  ],
  "microsoft.storage": [
    "2019-06-01",
    "2021-09-01",
    "2022-09-01",
    "2023-01-01",
    "2023-05-01",
    "2024-01-01",
    "2025-01-01",
    "2025-06-01",
    "2025-08-01",
    "2026-04-01",
  ],
  "microsoft.keyvault": ["2019-09-01", "2021-10-01", "2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01", "2025-05-01"],
  "microsoft.operationalinsights": ["2020-08-01", "2021-06-01", "2022-10-01", "2023-09-01", "2025-02-01"],
};

/** A 400 reply when `api-version` is missing or not one the surface knows; undefined when fine. */
export function checkApiVersion(url: URL, surface: string): Reply | undefined {
  const version = url.searchParams.get("api-version");
  if (!version) {
    return { status: 400, body: armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.") };
  }
  const known = API_VERSIONS[surface];
  if (known && !known.includes(version)) {
    return {
      status: 400,
      body: armError("InvalidApiVersionParameter", `The api-version '${version}' is invalid. The supported versions are '${[...known].reverse().join(",")}'.`),
    };
  }
  return undefined;
}
