/**
 * What the resource page says about Azure's own verdicts on one control: each policy state and
 * Defender assessment with the names people know (built-in display name, assignment name,
 * recommendation title), the agreement in words, why we differ, and any exemption — shown, never
 * applied.
 */
import { AZURE_MAPPINGS, type AzureVerdict } from "@/lib/posture/azure-verdicts";
import { idKey } from "@/lib/posture/ids";
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { Agreement } from "@/lib/posture/vocabulary";
import { AGREEMENT_EXPLANATION, AGREEMENT_LABEL } from "./labels";

export interface AzureSourceRow {
  source: "Azure Policy" | "Defender for Cloud";
  /** Built-in display name or Defender recommendation title. */
  name: string;
  /** Assignment display name, or the last segment of its ID (policy only). */
  assignment: string | null;
  assignmentId: string | null;
  /** Azure's word: Compliant, NonCompliant, Exempt, Healthy, … */
  verdict: string;
  /** When Azure evaluated it (policy states only). */
  evaluatedAt: string | null;
  resourceId: string;
}

export interface AzureExemption {
  name: string;
  assignment: string;
  category: string | null;
  expiresOn: string | null;
  /** Who asked for it, when the exemption's metadata or system data says (for adopting it as an exception). */
  owner: string | null;
  /** False when the exemption document was not among the stored documents (only the Exempt state is known). */
  documented: boolean;
}

export interface AzureVerdictView {
  agreement: Agreement;
  label: string;
  explanation: string;
  /** Why we differ (AZURE_MAPPINGS), for azure_lenient and azure_stricter. */
  differences: readonly string[];
  rows: AzureSourceRow[];
  exemptions: AzureExemption[];
}

export interface PolicyDocuments {
  assignments: AzureDocument[];
  exemptions: AzureDocument[];
}

const lastSegment = (id: string) => id.split("/").filter(Boolean).pop() ?? id;
const props = (doc: AzureDocument | undefined) => (doc?.properties ?? {}) as Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);

function ownerOf(e: AzureDocument): string | null {
  const metadata = (props(e).metadata ?? {}) as Record<string, unknown>;
  const system = (e.systemData ?? {}) as Record<string, unknown>;
  return str(metadata.owner) ?? str(metadata.requestedBy) ?? str(system.createdBy);
}

export function azureVerdictView(controlId: string, azure: AzureVerdict | null, agreement: Agreement, docs: PolicyDocuments | undefined): AzureVerdictView {
  const mapping = AZURE_MAPPINGS[controlId as keyof typeof AZURE_MAPPINGS];
  const assignments = new Map((docs?.assignments ?? []).map((a) => [idKey(a.id), a]));
  const assignmentName = (id: string) => str(props(assignments.get(idKey(id))).displayName) ?? lastSegment(id);
  const rows: AzureSourceRow[] = (azure?.sources ?? []).map((s) => {
    if (s.kind === "policy") {
      const guid = lastSegment(s.definitionId).toLowerCase();
      return {
        source: "Azure Policy",
        name: mapping?.policies.find((p) => p.definitionId === guid)?.name ?? s.definitionId,
        assignment: s.assignmentId ? assignmentName(s.assignmentId) : null,
        assignmentId: s.assignmentId,
        verdict: s.complianceState ?? "—",
        evaluatedAt: s.timestamp,
        resourceId: s.resourceId,
      };
    }
    return {
      source: "Defender for Cloud",
      name: mapping?.defender.find((d) => d.key === s.assessmentKey.toLowerCase())?.name ?? s.assessmentKey,
      assignment: null,
      assignmentId: null,
      verdict: s.status ?? "—",
      evaluatedAt: null,
      resourceId: s.resourceId,
    };
  });
  // Exempt states: the exemptions of their assignments among the stored documents, or the bare fact.
  const exemptions: AzureExemption[] = [];
  for (const row of rows) {
    if (row.source !== "Azure Policy" || row.verdict.toLowerCase() !== "exempt" || !row.assignmentId) continue;
    const found = (docs?.exemptions ?? []).filter((e) => idKey(str(props(e).policyAssignmentId) ?? "") === idKey(row.assignmentId!));
    for (const e of found) {
      if (exemptions.some((x) => x.name === (str(props(e).displayName) ?? lastSegment(e.id)))) continue;
      exemptions.push({
        name: str(props(e).displayName) ?? lastSegment(e.id),
        assignment: row.assignment ?? row.assignmentId,
        category: str(props(e).exemptionCategory),
        expiresOn: str(props(e).expiresOn),
        owner: ownerOf(e),
        documented: true,
      });
    }
    if (found.length === 0 && !exemptions.some((x) => x.assignment === row.assignment))
      exemptions.push({
        name: row.assignment ?? row.assignmentId,
        assignment: row.assignment ?? row.assignmentId,
        category: null,
        expiresOn: null,
        owner: null,
        documented: false,
      });
  }
  const differs = agreement === "azure_lenient" || agreement === "azure_stricter";
  return {
    agreement,
    label: AGREEMENT_LABEL[agreement],
    explanation: AGREEMENT_EXPLANATION[agreement],
    differences: differs ? (mapping?.differences ?? []) : [],
    rows,
    exemptions,
  };
}
