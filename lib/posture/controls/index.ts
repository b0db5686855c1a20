/**
 * The control catalogue, in the order findings and reports list it (CONTROLS.md §The catalogue).
 * Adding a control is backwards compatible; changing a rule's meaning bumps CATALOG_VERSION.
 */
import type { Control } from "@/lib/posture/types";
import { BYOS_CONTROLS } from "./byos";
import { CMK_CONTROLS } from "./cmk";
import { IAM_CONTROLS } from "./iam";
import { LBX_CONTROLS } from "./lbx";
import { LOG_CONTROLS } from "./log";
import { NET_CONTROLS } from "./net";

export const CATALOG_VERSION = 1;

export const CATALOG: readonly Control[] = [...BYOS_CONTROLS, ...CMK_CONTROLS, ...NET_CONTROLS, ...IAM_CONTROLS, ...LOG_CONTROLS, ...LBX_CONTROLS];

const BY_ID = new Map<string, Control>(CATALOG.map((c) => [c.id.toLowerCase(), c]));

/** The control with this ID (case-insensitive), or undefined. */
export function controlById(id: string): Control | undefined {
  return BY_ID.get(id.trim().toLowerCase());
}

export const FAMILY_TITLES: Record<Control["family"], string> = {
  byos: "Bring your own storage",
  cmk: "Customer-managed keys",
  net: "Network",
  iam: "Identity and access",
  log: "Logging",
  lbx: "Lockbox equivalent",
};
