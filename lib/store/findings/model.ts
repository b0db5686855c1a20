/**
 * What a scan's findings index is made of: the value lists its arrays point into, the sort keys,
 * and the index's shape. Shared by the loader, the sorter, the query and the muting mask, so none
 * of them imports another to learn it.
 */
import { CATALOG } from "@/lib/posture/controls";
import { SPEECH_KINDS } from "@/lib/posture/snapshot";
import { AGREEMENTS, AZURE_STATES, SEVERITIES, STATUSES } from "@/lib/posture/vocabulary";

export { AGREEMENTS, AZURE_STATES, SEVERITIES, STATUSES };
/** `azureState` of a finding whose `azure` is null (neither Azure Policy nor Defender collected). */
export const AZURE_NOT_COLLECTED = 255;
export const KINDS = SPEECH_KINDS;
export const CONTROL_IDS: readonly string[] = CATALOG.map((c) => c.id);

export interface IndexedResource {
  id: string;
  key: string;
  name: string;
  kind: string;
  /** The subscription ID as the resource row spells it (a finding's own spelling, where it differs, is in its row). */
  subscriptionId: string;
  subscriptionKey: string;
  /** Lower-cased tag name → value. */
  tags: Map<string, string>;
  /** Its subscription's tenant (lower-cased), when the scan recorded one: tenant-scoped exceptions need it. */
  tenant?: string;
}

export interface FindingsIndex {
  scanId: string;
  size: number;
  ids: Float64Array;
  status: Uint8Array;
  severity: Uint8Array;
  /** By AGREEMENTS index. */
  agreement: Uint8Array;
  /** By AZURE_STATES index; AZURE_NOT_COLLECTED when `azure` is null. */
  azureState: Uint8Array;
  control: Uint16Array;
  kind: Uint8Array;
  sub: Uint32Array;
  resource: Uint32Array;
  /** Value lists the arrays index into. */
  controls: string[];
  kinds: string[];
  /** Subscription IDs as first spelled, by index; `subKeys` lower-cased. */
  subs: string[];
  subKeys: string[];
  /** By `resources.ord`. */
  resources: IndexedResource[];
  /** Sorted permutations, built on first use per sort order. */
  sorted: Map<string, Uint32Array>;
  muted?: { fingerprint: string; mask: Uint8Array };
}

export const SORT_KEYS = ["severity", "status", "controlId", "resource", "subscription", "kind"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
