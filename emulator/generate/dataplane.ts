/**
 * What Resource Graph cannot see: diagnostic settings (ARM list values, azure-facts §5) and
 * Speech-to-text custom endpoints (2025-10-15 objects, azure-facts §11), per account.
 */
import type { Random } from "@/emulator/random";
import type { DiagKind } from "./plan";

export interface Destinations {
  workspaceId: string;
  storageAccountId: string;
  eventHubAuthorizationRuleId: string;
  marketplacePartnerId: string;
}

/** Shared and frozen: identical in every setting, and there are hundreds of thousands of them. */
const RETENTION = Object.freeze({ enabled: false, days: 0 });
const retention = () => RETENTION;

/** One diagnostic setting per kind. ARM lower-cases the resource part of a setting's id. */
export function diagnosticSettings(resourceId: string, kinds: readonly DiagKind[], to: Destinations): object[] {
  return kinds.map((kind, i) => {
    const name = `${kind.split("-")[0]}-to-${kind.includes("storage") ? "storage" : kind.includes("eventhub") ? "eventhub" : "law"}${i ? `-${i}` : ""}`;
    const dest = {
      storageAccountId: null as string | null,
      workspaceId: null as string | null,
      eventHubAuthorizationRuleId: null as string | null,
      eventHubName: null as string | null,
      marketplacePartnerId: null as string | null,
      serviceBusRuleId: null,
      logAnalyticsDestinationType: null,
    };
    let logs: object[] = [{ category: "Audit", categoryGroup: null, enabled: true, retentionPolicy: retention() }];
    switch (kind) {
      case "audit-workspace":
        dest.workspaceId = to.workspaceId;
        logs.push({ category: "RequestResponse", categoryGroup: null, enabled: false, retentionPolicy: retention() });
        break;
      case "alllogs-storage":
        dest.storageAccountId = to.storageAccountId;
        logs = [{ category: null, categoryGroup: "allLogs", enabled: true, retentionPolicy: retention() }];
        break;
      case "audit-group-eventhub":
        dest.eventHubAuthorizationRuleId = to.eventHubAuthorizationRuleId;
        dest.eventHubName = "speech-audit";
        logs = [{ category: null, categoryGroup: "audit", enabled: true, retentionPolicy: retention() }];
        break;
      case "audit-partner":
        dest.marketplacePartnerId = to.marketplacePartnerId;
        break;
      case "no-destination":
        dest.workspaceId = "";
        break;
      case "disabled":
        dest.workspaceId = to.workspaceId;
        logs = [{ category: "Audit", categoryGroup: null, enabled: false, retentionPolicy: retention() }];
        break;
      case "requestresponse-only":
        dest.workspaceId = to.workspaceId;
        logs = [{ category: "RequestResponse", categoryGroup: null, enabled: true, retentionPolicy: retention() }];
        break;
      case "metrics-only":
        dest.workspaceId = to.workspaceId;
        logs = [];
        break;
    }
    return {
      id: `${resourceId.toLowerCase()}/providers/microsoft.insights/diagnosticSettings/${name}`,
      type: "Microsoft.Insights/diagnosticSettings",
      name,
      properties: {
        ...dest,
        metrics: [{ category: "AllMetrics", enabled: kind === "metrics-only", retentionPolicy: retention() }],
        logs,
      },
    };
  });
}

const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "nl-NL"];
const PURPOSES = ["Claims hotline", "IVR menu", "Dictation", "Call summary", "Field notes", "Medical terms", "Branch voicemail"];

/**
 * Custom endpoints of one account, shaped like `GET /speechtotext/endpoints?api-version=2025-10-15`
 * values (specs `data-plane/Speech/SpeechToText/stable/2025-10-15`, `Endpoint`). Links use the
 * account's public custom-subdomain host; the server re-hosts them onto the origin a request used.
 */
export function speechEndpoints(
  subdomain: string,
  location: string,
  logging: readonly (boolean | "absent")[],
  rng: Random,
  dates: () => [string, string],
): object[] {
  const base = `https://${subdomain}.cognitiveservices.azure.com/speechtotext`;
  const version = `?api-version=${SPEECH_API_VERSION}`;
  return logging.map((flag) => {
    const id = rng.guid();
    const [created, lastAction] = dates();
    // 2024-11-15 removed `timeToLive`; the read side keeps only `loggingEnabled` (and `error`).
    const properties: Record<string, unknown> = {};
    if (flag !== "absent") properties.loggingEnabled = flag;
    return {
      self: `${base}/endpoints/${id}${version}`,
      model: { self: `${base}/models/${rng.guid()}${version}` },
      project: { self: `${base}/projects/${rng.guid()}${version}` },
      links: { webSocket: `wss://${location}.stt.speech.microsoft.com/stt/speech/universal/v2?cid=${id}` },
      properties,
      lastActionDateTime: lastAction,
      status: rng.weighted([
        ["Succeeded", 90],
        ["NotStarted", 5],
        ["Failed", 5],
      ] as const),
      createdDateTime: created,
      locale: rng.pick(LOCALES),
      displayName: `${rng.pick(PURPOSES)} ${rng.int(1, 9)}`,
      description: "",
    };
  });
}

/** The Speech to text REST version the generated links name (the newest GA). */
export const SPEECH_API_VERSION = "2025-10-15";
