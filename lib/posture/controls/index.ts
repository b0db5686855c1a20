/**
 * The control catalogue, in the order findings and reports list it (CONTROLS.md §The catalogue).
 * Adding a control is backwards compatible; changing a rule's meaning bumps CATALOG_VERSION.
 */
import type { Control, ControlId } from "@/lib/posture/types";
import { BYOS_CONTROLS } from "./byos";
import { CMK_CONTROLS } from "./cmk";
import { IAM_CONTROLS } from "./iam";
import { LBX_CONTROLS } from "./lbx";
import { LOG_CONTROLS } from "./log";
import { NET_CONTROLS } from "./net";

export const CATALOG_VERSION = 2;

/**
 * The controls whose verdicts a catalogue version may change for the same documents, by the version
 * that changed them (CONTROLS.md "The catalogue (version 2)"). LBX-1 is listed because it
 * summarises BYOS-2, CMK-3 and NET-3.
 */
export const RULE_CHANGES: Readonly<Record<number, readonly ControlId[]>> = {
  2: ["BYOS-2", "BYOS-3", "CMK-3", "NET-1", "NET-3", "LOG-1", "LOG-2", "LBX-1"],
};

/**
 * The controls whose rules changed between two catalogue versions (either order); empty when
 * they are the same. A version this build does not know counts as changing nothing.
 */
export function rulesChangedBetween(a: number, b: number): ReadonlySet<ControlId> {
  const out = new Set<ControlId>();
  for (let v = Math.min(a, b) + 1; v <= Math.max(a, b); v++) for (const id of RULE_CHANGES[v] ?? []) out.add(id);
  return out;
}

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
