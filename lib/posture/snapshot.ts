/**
 * The Snapshot: the plain-JSON hand-over between collection and evaluation.
 * Its shape is a contract (../shared/design/CONTROLS.md §Snapshot format); add, never change.
 */

export const SNAPSHOT_KIND = "speech-posture.snapshot";
export const SNAPSHOT_VERSION = 1;

import type { CoverageItem, ErrorReason, ErrorSource } from "./vocabulary";

export type { CoverageItem, ErrorReason, ErrorSource, UnknownReason } from "./vocabulary";

export interface SnapshotError {
  /** A subscription (`/subscriptions/{id}`) or a resource ID. */
  scope: string;
  source: ErrorSource;
  reason: ErrorReason;
  /** The service's error code, kept as the service spelled it (e.g. `AuthorizationFailed`). */
  code?: string;
  message?: string;
}

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName?: string;
  state?: string;
  /** The subscription's own tenant. */
  tenantId?: string;
  /**
   * Names of the subscription's management groups, nearest first (Resource Graph
   * `managementGroupAncestorsChain[*].name`). Absent or null: not known; `[]`: it has none.
   */
  managementGroupAncestors?: string[] | null;
}

/** An ARM / Resource Graph document as Azure returns it; only `id` is guaranteed. */
export interface AzureDocument {
  id: string;
  name?: string;
  type?: string;
  kind?: string;
  location?: string;
  resourceGroup?: string;
  subscriptionId?: string;
  tenantId?: string;
  tags?: Record<string, string>;
  identity?: Record<string, unknown> | null;
  properties?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  version: typeof SNAPSHOT_VERSION;
  collectedAt: string;
  tenantId?: string;
  subscriptions: SubscriptionInfo[];
  coverage: CoverageItem[];
  /** Accounts, storage accounts, key vaults and role assignments (authorizationresources rows). */
  resources: AzureDocument[];
  /** Keyed by resource ID (matched case-insensitively): ARM diagnosticSettings list values. */
  diagnosticSettings: Record<string, unknown[]>;
  /** Keyed by resource ID (matched case-insensitively): Speech-to-text custom endpoint objects. */
  speechEndpoints: Record<string, unknown[]>;
  errors: SnapshotError[];
}

/** The kinds of `Microsoft.CognitiveServices/accounts` that can hold Speech data. */
export const SPEECH_KINDS = ["SpeechServices", "AIServices", "CognitiveServices"] as const;
export const COGNITIVE_ACCOUNT_TYPE = "microsoft.cognitiveservices/accounts";
export const STORAGE_ACCOUNT_TYPE = "microsoft.storage/storageaccounts";
export const KEY_VAULT_TYPE = "microsoft.keyvault/vaults";
export const ROLE_ASSIGNMENT_TYPE = "microsoft.authorization/roleassignments";
/** A resource's association with a network security perimeter (Resource Graph `resources`). */
export const PERIMETER_ASSOCIATION_TYPE = "microsoft.network/networksecurityperimeters/resourceassociations";
/** Built-in role "Storage Blob Data Contributor". */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

export function isSpeechAccount(doc: { type?: unknown; kind?: unknown }): boolean {
  // Compared trimmed, like every enum the controls read: padding must not drop a resource from scope.
  if (typeof doc.type !== "string" || doc.type.trim().toLowerCase() !== COGNITIVE_ACCOUNT_TYPE) return false;
  if (typeof doc.kind !== "string") return false;
  const kind = doc.kind.trim().toLowerCase();
  return SPEECH_KINDS.some((k) => k.toLowerCase() === kind);
}
