/**
 * Azure's verdict rows as the collector's queries summarise them (one row per subscription and
 * assignment, or per subscription and assessment key), unpacked back into one document per state
 * or assessment: the shape CONTROLS.md's snapshot holds and lib/posture/azure-verdicts reads.
 * Anything malformed in a row is left out (the row is Azure's, not ours to trust).
 */
import { ASSESSMENT_TYPE, POLICY_STATE_TYPE } from "@/lib/posture/azure-verdicts";
import type { AzureDocument } from "@/lib/posture/snapshot";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The policy states of one summarised row; `keep` says which resources (lower-cased IDs) are wanted. */
export function policyStatesOfRow(row: Record<string, unknown>, keep: (resourceKey: string) => boolean): AzureDocument[] {
  if (!Array.isArray(row.states)) return [];
  const shared = {
    policyAssignmentId: str(row.policyAssignmentId),
    policyAssignmentName: str(row.policyAssignmentName),
    policyAssignmentScope: str(row.policyAssignmentScope),
    policyDefinitionId: str(row.policyDefinitionId),
    policyDefinitionAction: str(row.policyDefinitionAction),
  };
  const out: AzureDocument[] = [];
  for (const s of row.states) {
    if (!isObject(s)) continue;
    const id = str(s.id);
    const resourceId = str(s.resourceId);
    if (!id || !resourceId || !keep(resourceId.toLowerCase())) continue;
    out.push({
      id,
      type: POLICY_STATE_TYPE,
      subscriptionId: str(row.subscriptionId),
      properties: { resourceId, ...shared, complianceState: s.complianceState ?? null, timestamp: s.timestamp ?? null },
    });
  }
  return out;
}

/** The Defender assessments of one summarised row, for the accounts `keep` wants. */
export function assessmentsOfRow(row: Record<string, unknown>, keep: (resourceKey: string) => boolean): AzureDocument[] {
  if (!Array.isArray(row.assessments)) return [];
  const out: AzureDocument[] = [];
  for (const a of row.assessments) {
    if (!isObject(a) || !isObject(a.properties)) continue;
    const id = str(a.id);
    const details = a.properties.resourceDetails;
    const resourceId = isObject(details) ? (str(details.Id) ?? str(details.id)) : undefined;
    if (!id || !resourceId || !keep(resourceId.toLowerCase())) continue;
    const displayName = str(row.displayName);
    out.push({
      id,
      name: str(row.name),
      type: ASSESSMENT_TYPE,
      subscriptionId: str(row.subscriptionId),
      properties: displayName ? { ...a.properties, displayName } : a.properties,
    });
  }
  return out;
}
