/**
 * Azure's side of a scan at a glance, from the findings index: how many unmuted findings Azure
 * calls compliant while we fail them (data at risk), and Azure's own compliance over the findings
 * where it gave a compliant or non-compliant verdict.
 */
import { activeExceptions } from "@/lib/store/exceptions";
import type { Store } from "@/lib/store/handle";
import { AGREEMENTS, AZURE_NOT_COLLECTED, AZURE_STATES } from "./model";
import { mutedMask } from "./muted";
import { findingsIndex } from "./scan-index";

export interface AzureSummary {
  /** Whether any finding carries Azure's verdict (its `azure` is not null). */
  collected: boolean;
  /** Unmuted findings with agreement `azure_lenient`. */
  lenientUnmuted: number;
  compliant: number;
  nonCompliant: number;
  /** Azure's compliance as a whole percentage; null when it judged nothing compliant or non-compliant. */
  score: number | null;
}

const LENIENT = AGREEMENTS.indexOf("azure_lenient");
const COMPLIANT = AZURE_STATES.indexOf("compliant");
const NON_COMPLIANT = AZURE_STATES.indexOf("non_compliant");

/** The summary of a succeeded scan (the caller has checked its status). */
export async function azureSummary(store: Store, scanId: string): Promise<AzureSummary> {
  const [ix, rules] = await Promise.all([findingsIndex(store, scanId), activeExceptions(store)]);
  const mask = mutedMask(ix, rules);
  let collected = false;
  let lenientUnmuted = 0;
  let compliant = 0;
  let nonCompliant = 0;
  for (let i = 0; i < ix.size; i++) {
    const state = ix.azureState[i];
    if (state === AZURE_NOT_COLLECTED) continue;
    collected = true;
    if (state === COMPLIANT) compliant++;
    else if (state === NON_COMPLIANT) nonCompliant++;
    if (ix.agreement[i] === LENIENT && !mask[i]) lenientUnmuted++;
  }
  const judged = compliant + nonCompliant;
  return { collected, lenientUnmuted, compliant, nonCompliant, score: judged === 0 ? null : Math.round((100 * compliant) / judged) };
}
