/**
 * The words of the contract (CONTROLS.md), declared once: every list of statuses, severities,
 * reasons, Azure states and agreements elsewhere (store checks, parameter parsing, labels, badges,
 * exports, API validation) imports these instead of spelling its own.
 */

/** A finding's status, in the contract's order. */
export const STATUSES = ["pass", "fail", "unknown", "not_applicable"] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ["high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a piece of evidence comes from; also the `source` of a snapshot error entry. */
export const ERROR_SOURCES = ["resourceGraph", "diagnosticSettings", "speechEndpoints", "roleAssignments", "azurePolicy", "defender"] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** Why collection failed at a scope (a snapshot error entry's `reason`). */
export const ERROR_REASONS = ["access_denied", "network_blocked", "collection_error"] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** Why a finding is `unknown`. */
export const UNKNOWN_REASONS = ["not_collected", "not_visible", ...ERROR_REASONS] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

/** What a snapshot says it collected; `azurePolicy` and `defender` are Azure's own verdicts (policy states, assessments). */
export const COVERAGE_ITEMS = ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints", "azurePolicy", "defender"] as const;
export type CoverageItem = (typeof COVERAGE_ITEMS)[number];

/** Azure's own verdict on a resource for a control, combined from its policy states and assessments. */
export const AZURE_STATES = ["non_compliant", "exempt", "compliant", "not_evaluated", "none"] as const;
export type AzureState = (typeof AZURE_STATES)[number];

/** How our status compares with Azure's verdict (CONTROLS.md "Azure's own verdicts"). */
export const AGREEMENTS = ["not_collected", "not_compared", "azure_silent", "azure_exempt", "agree", "azure_lenient", "azure_stricter"] as const;
export type Agreement = (typeof AGREEMENTS)[number];

/** Whether `value` is one of `words` (exact spelling). */
export function isOneOf<T extends string>(words: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (words as readonly string[]).includes(value);
}

export const isStatus = (value: unknown): value is Status => isOneOf(STATUSES, value);
export const isSeverity = (value: unknown): value is Severity => isOneOf(SEVERITIES, value);
