/**
 * LOG family: where Speech endpoint content logs land, and whether audit logs are exported.
 * Both read per-resource data collected outside Resource Graph, so both can be unknown.
 */
import { lastSegment } from "@/lib/posture/ids";
import { errorReason, type SnapshotIndex } from "@/lib/posture/indexes";
import { child, EMPTY_ARRAY, eqCi, list, obj, text, type Json } from "@/lib/posture/read";
import type { ErrorSource } from "@/lib/posture/snapshot";
import type { AccountView, Control, Outcome } from "@/lib/posture/types";
import { byos1 } from "./byos";
import { applyingError, describeError, errorEvidence, ev, fail, joinNames, outcomeOf, pass, unknown } from "./common";

/** Message tails for the two ways per-resource data can be missing. */
interface Missing {
  /** "<name>'s custom endpoint settings": names what could not be read, after the account name. */
  readonly what: string;
  /** "<name><notCollected>" */
  readonly notCollected: string;
}

/**
 * Shared first steps of LOG-1 and LOG-2: unknown with the error's reason when an error of the
 * source applies, else not_collected when the map has no entry (an empty list is an entry).
 */
function collected(
  account: AccountView,
  ctx: SnapshotIndex,
  source: ErrorSource & ("speechEndpoints" | "diagnosticSettings"),
  missing: Missing,
): Outcome | readonly unknown[] {
  const error = applyingError(account, source, ctx);
  if (error) {
    return unknown(errorReason(error), `${account.name}${missing.what} could not be read (${describeError(error)}).`, errorEvidence(error));
  }
  const entries = account[source];
  if (entries === undefined) {
    return unknown("not_collected", account.name + missing.notCollected, [ev(`${source}:${account.id}`, null, "the collected list")]);
  }
  return entries;
}

const ENDPOINTS_MISSING: Missing = {
  what: "'s custom endpoint settings",
  notCollected: "'s custom endpoint settings were not collected, so content logging cannot be checked.",
};
const SETTINGS_MISSING: Missing = {
  what: "'s diagnostic settings",
  notCollected: "'s diagnostic settings were not collected, so audit log export cannot be checked.",
};

function isOutcome(value: Outcome | readonly unknown[]): value is Outcome {
  return !Array.isArray(value);
}

const NO_ENDPOINTS_TAIL = " has no custom speech endpoints, so none logs audio or transcripts.";
const NONE_LOGGING_TAIL = " has custom speech endpoints, and none of them logs audio or transcripts.";

export const log1: Control = {
  id: "LOG-1",
  title: "Endpoint content logging keeps audio and transcripts in customer storage",
  severity: "high",
  family: "log",
  rule:
    "Reads `speechEndpoints[resourceId]`. Unknown with the error's reason when a speechEndpoints error applies to the " +
    "resource or its subscription; else unknown (not_collected) when the snapshot has no entry for it. An endpoint " +
    "logs when `properties.loggingEnabled` (write name `contentLoggingEnabled`) is true. Pass when no endpoint logs, " +
    "or endpoints log and BYOS-1 passes; fail when an endpoint logs and BYOS-1 fails.",
  rationale:
    "Content logging keeps the audio and transcripts of every request to a custom endpoint. Without BYOS those logs " +
    "sit in Microsoft-managed storage; with BYOS they land in the customer's customspeech-audiologs container.",
  remediation: {
    portal: [
      "Open Speech Studio > Custom speech > your project > Deploy models.",
      "Open each endpoint that logs content and turn Content logging off (or recreate the resource with BYOS, see BYOS-1).",
    ],
    cli:
      "token=$(az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv)\n" +
      'curl -X PATCH "https://<custom-subdomain>.cognitiveservices.azure.com/speechtotext/endpoints/<endpoint-id>?api-version=2025-10-15" \\\n' +
      '  -H "Authorization: Bearer $token" -H "Content-Type: application/json" \\\n' +
      '  -d \'{"properties":{"contentLoggingEnabled":false}}\'',
    bicep: "// Endpoint content logging is a Speech data-plane setting: Bicep cannot set it. Use the REST call above.",
  },
  references: { nist: ["SC-28(1)"] },
  evaluate(account, ctx) {
    const endpoints = collected(account, ctx, "speechEndpoints", ENDPOINTS_MISSING);
    if (isOutcome(endpoints)) return endpoints;
    const logging: string[] = [];
    for (let i = 0; i < endpoints.length; i++) {
      const props = child(obj(endpoints[i]), "properties");
      if (props.loggingEnabled === true || props.contentLoggingEnabled === true) logging.push(endpointName(endpoints[i], i));
    }
    const loggingEvidence = ev(
      `speechEndpoints:${account.id} [*].properties.loggingEnabled`,
      logging.length === 0 ? EMPTY_ARRAY : logging,
      "no endpoint logs, unless BYOS-1 passes",
    );
    if (logging.length === 0) {
      return pass(account.name + (endpoints.length === 0 ? NO_ENDPOINTS_TAIL : NONE_LOGGING_TAIL), [loggingEvidence]);
    }
    const subject = `Custom ${logging.length === 1 ? "endpoint" : "endpoints"} ${joinNames(logging)} of ${account.name} ${logging.length === 1 ? "logs" : "log"} audio and transcripts`;
    const byos = outcomeOf(byos1, account, ctx);
    const evidence = [loggingEvidence, ev("control:BYOS-1 status", byos.status, "pass")];
    if (byos.status === "pass") {
      return pass(`${subject}; the logs land in the customer's own storage (container customspeech-audiologs).`, evidence);
    }
    return fail(`${subject} into Microsoft-managed storage, because ${account.name} has no customer-owned storage (BYOS).`, evidence);
  },
};

function endpointName(endpoint: unknown, index: number): string {
  const o = obj(endpoint);
  const self = text(o?.self);
  return text(o?.displayName) ?? (self !== undefined ? lastSegment(self) : `#${index + 1}`);
}

const DESTINATIONS = ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"] as const;

/** The destination field of a setting with a non-empty value, if any. */
function destinationOf(props: Json): (typeof DESTINATIONS)[number] | undefined {
  for (let i = 0; i < DESTINATIONS.length; i++) if (text(props[DESTINATIONS[i]]) !== undefined) return DESTINATIONS[i];
  return undefined;
}

/** Index of an enabled `logs[]` entry for Audit, or the audit / allLogs category group; -1 if none. */
function auditLogIndex(props: Json): number {
  const logs = list(props.logs);
  for (let i = 0; i < logs.length; i++) {
    const log = obj(logs[i]);
    if (log === undefined || log.enabled !== true) continue;
    if (eqCi(log.category, "audit") || eqCi(log.categoryGroup, "audit") || eqCi(log.categoryGroup, "alllogs")) return i;
  }
  return -1;
}

const NO_SETTINGS_TAIL = " does not export its audit logs: it has no diagnostic settings.";
const NO_AUDIT_EXPORT_TAIL = " does not export its audit logs: no diagnostic setting sends the Audit category (or the audit / allLogs group) to a destination.";

export const log2: Control = {
  id: "LOG-2",
  title: "Audit logs are exported",
  severity: "medium",
  family: "log",
  rule:
    "Reads `diagnosticSettings[resourceId]`, unknown exactly as LOG-1 (source diagnosticSettings). Pass when some " +
    "setting has a destination (non-empty `workspaceId`, `storageAccountId`, `eventHubAuthorizationRuleId` or " +
    "`marketplacePartnerId`) and an enabled `logs[*]` entry with category Audit or category group audit or allLogs; otherwise fail.",
  rationale:
    "Audit logs record control-plane and key operations on the resource. Exported to a workspace, storage account or " +
    "event hub, they survive the resource and can be searched during an investigation.",
  remediation: {
    portal: [
      "Open the Speech resource > Monitoring > Diagnostic settings > Add diagnostic setting.",
      "Select the audit category group (or allLogs), choose a Log Analytics workspace, storage account or event hub, and save.",
    ],
    cli:
      "az monitor diagnostic-settings create --name audit-export --resource <speech-id> \\\n" +
      '  --workspace <log-analytics-workspace-id> --logs \'[{"categoryGroup":"audit","enabled":true}]\'',
    bicep: [
      "resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {",
      "  name: 'audit-export'",
      "  scope: speech",
      "  properties: {",
      "    workspaceId: workspace.id",
      "    logs: [ { categoryGroup: 'audit', enabled: true } ]",
      "  }",
      "}",
    ].join("\n"),
  },
  references: {
    azurePolicy: { id: "1b4d1c4e-934c-4703-944c-27c82c06bebb", name: "Diagnostic logs in Azure AI services resources should be enabled" },
    mcsb: ["LT-3"],
    defender: "Diagnostic logs in Azure AI services resources should be enabled",
  },
  evaluate(account, ctx) {
    const settings = collected(account, ctx, "diagnosticSettings", SETTINGS_MISSING);
    if (isOutcome(settings)) return settings;
    for (let i = 0; i < settings.length; i++) {
      const setting = obj(settings[i]);
      const props = child(setting, "properties");
      const destination = destinationOf(props);
      const logIndex = destination === undefined ? -1 : auditLogIndex(props);
      if (destination === undefined || logIndex < 0) continue;
      const base = "diagnosticSettings:" + account.id + (i === 0 ? " [0].properties." : ` [${i}].properties.`);
      const name = text(setting?.name) ?? `#${i + 1}`;
      return pass(`${account.name} exports its audit logs through diagnostic setting ${name}.`, [
        ev(base + (logIndex === 0 ? "logs[0].enabled" : `logs[${logIndex}].enabled`), true, true),
        ev(base + destination, props[destination], "a destination"),
      ]);
    }
    const names: string[] = [];
    for (let i = 0; i < settings.length; i++) names.push(text(obj(settings[i])?.name) ?? `#${i + 1}`);
    const evidence = [ev(`diagnosticSettings:${account.id} [*]`, names, "a setting sending Audit (or the audit / allLogs group) to a destination")];
    return fail(account.name + (settings.length === 0 ? NO_SETTINGS_TAIL : NO_AUDIT_EXPORT_TAIL), evidence);
  },
};

export const LOG_CONTROLS: readonly Control[] = [log1, log2];
