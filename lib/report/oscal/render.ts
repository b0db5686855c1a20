/**
 * The OSCAL exports as text: 2-space indented JSON with a final newline. The documents are
 * built from the result alone (times from the scan, UUIDs derived from it), so the same scan and
 * exceptions give the same bytes.
 */
import { idKey } from "@/lib/posture/ids";
import type { ReportResult } from "@/lib/report/model";
import { mutingException } from "@/lib/report/muting";
import { assessmentPlan } from "./assessment-plan";
import { assessmentResults } from "./assessment-results";
import type { OscalScope } from "./common";
import { planOfActionAndMilestones } from "./poam";

export type OscalFormat = "oscal-ar" | "oscal-poam" | "oscal-ap";

export function oscalDocument(format: OscalFormat, result: ReportResult, subscriptionId?: string): unknown {
  const scope: OscalScope = subscriptionId ? { label: `subscription ${subscriptionId}`, subscriptionId } : { label: "tenant" };
  switch (format) {
    case "oscal-ar":
      return assessmentResults(result, scope);
    case "oscal-ap":
      return assessmentPlan(result, scope);
    case "oscal-poam": {
      const tags = new Map(result.resources.map((r) => [idKey(r.id), r.tags]));
      return planOfActionAndMilestones(result, scope, (f) => mutingException(result.exceptions?.active ?? [], f, tags.get(idKey(f.resourceId))));
    }
  }
}

export function oscalText(format: OscalFormat, result: ReportResult, subscriptionId?: string): string {
  return `${JSON.stringify(oscalDocument(format, result, subscriptionId), null, 2)}\n`;
}
