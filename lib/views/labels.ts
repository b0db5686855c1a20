/** Words for the values the store keeps: statuses, severities, unknown reasons, scan sources and phases. */

import {
  isSeverity,
  isStatus,
  SEVERITIES,
  type Agreement,
  type AzureState,
  type ErrorSource,
  type Severity,
  type Status,
  type UnknownReason,
} from "@/lib/posture/vocabulary";

export { isSeverity, isStatus };
export type StatusName = Status;
export type SeverityName = Severity;

/** Statuses in the order a page lists them: what needs attention first. */
export const STATUS_ORDER: readonly StatusName[] = ["fail", "unknown", "pass", "not_applicable"];
export const SEVERITY_ORDER: readonly SeverityName[] = SEVERITIES;

export const STATUS_LABEL: Record<StatusName, string> = {
  pass: "Pass",
  fail: "Fail",
  unknown: "Unknown",
  not_applicable: "Not applicable",
};

export const SEVERITY_LABEL: Record<SeverityName, string> = { high: "High", medium: "Medium", low: "Low" };

export const REASON_LABEL: Record<string, string> = {
  not_collected: "not collected",
  not_visible: "not visible to the scan",
  access_denied: "access denied",
  network_blocked: "network blocked",
  collection_error: "collection error",
} satisfies Record<UnknownReason, string>;

export const SOURCE_LABEL: Record<string, string> = {
  live: "Live Azure",
  emulator: "Emulator (demo tenant)",
  snapshot: "Uploaded snapshot",
};

export const ERROR_SOURCE_LABEL = {
  resourceGraph: "Resource Graph",
  diagnosticSettings: "Diagnostic settings",
  speechEndpoints: "Speech custom endpoints",
  roleAssignments: "Role assignments",
  azurePolicy: "Azure Policy",
  defender: "Defender for Cloud",
} satisfies Record<ErrorSource, string> as Record<string, string>;

export const PHASE_LABEL: Record<string, string> = {
  connecting: "Connecting",
  tenants: "Collecting tenants",
  subscriptions: "Listing subscriptions",
  accounts: "Reading Speech resources",
  storage: "Reading linked storage",
  keyVaults: "Reading key vaults",
  roleAssignments: "Reading role assignments",
  details: "Reading diagnostic settings and endpoints",
  azureVerdicts: "Reading Azure Policy and Defender verdicts",
  evaluating: "Preparing the evaluation",
  storing: "Evaluating controls and storing results",
  done: "Done",
};

export const SCAN_STATUS_LABEL: Record<string, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function statusLabel(status: string, reason?: string | null): string {
  const base = isStatus(status) ? STATUS_LABEL[status] : status;
  return status === "unknown" && reason ? `${base}: ${REASON_LABEL[reason] ?? reason.replace(/_/g, " ")}` : base;
}

export function phaseLabel(phase: string | null | undefined): string {
  if (!phase) return "Starting";
  return PHASE_LABEL[phase] ?? phase;
}

/** Azure's own verdict (a finding's `azure.state`); null: neither Azure Policy nor Defender was collected. */
export const AZURE_STATE_LABEL: Record<AzureState, string> = {
  non_compliant: "Non-compliant",
  exempt: "Exempt",
  compliant: "Compliant",
  not_evaluated: "Not evaluated",
  none: "No verdict",
};

export const AGREEMENT_LABEL: Record<Agreement, string> = {
  not_collected: "Azure not collected",
  not_compared: "Not compared",
  azure_silent: "Azure silent",
  azure_exempt: "Azure exempt",
  agree: "Agree",
  azure_lenient: "Azure more lenient",
  azure_stricter: "Azure stricter",
};

/** One sentence per agreement, for the resource page and the PDF. */
export const AGREEMENT_EXPLANATION: Record<Agreement, string> = {
  not_collected: "Azure Policy and Defender for Cloud verdicts were not collected for this resource (or their collection failed), so nothing is compared.",
  not_compared: "Our own status is unknown or not applicable, so there is nothing to compare with Azure.",
  azure_silent: "Azure has no verdict on this: no matching policy state or assessment, or none evaluated it.",
  azure_exempt: "Azure exempts this resource from the matching policy; the exemption changes no verdict here.",
  agree: "Azure reaches the same verdict as we do.",
  azure_lenient: "Azure says compliant, but we find the data at risk.",
  azure_stricter: "Azure says non-compliant where we find the control met.",
};
