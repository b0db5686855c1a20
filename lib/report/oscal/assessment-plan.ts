/**
 * OSCAL 1.1.3 assessment plan: the catalogue as the plan. It names the NIST controls the
 * catalogue reviews, the method (TEST: automated reading of Azure's configuration), the assessed
 * resources of the scan and one task per catalogue control. The assessment results import it.
 */
import { CATALOG } from "@/lib/posture/controls";
import { idKey } from "@/lib/posture/ids";
import type { ReportResult } from "@/lib/report/model";
import { fileNamePart } from "@/lib/report/export-names";
import { inventoryItems, inventoryItemUuid, metadata, nistControlsOf, NS, reviewedNistControls, stableUuid, type OscalScope } from "./common";

export function assessmentPlanFilename(scanId: string, subscriptionId?: string): string {
  return `speech-posture-${fileNamePart(scanId)}${subscriptionId ? `-${fileNamePart(subscriptionId)}` : ""}-oscal-ap.json`;
}

export function assessmentPlan(result: ReportResult, scope: OscalScope) {
  const scanId = result.scan.id;
  const activities = CATALOG.map((c) => ({
    uuid: stableUuid("activity", c.id),
    title: `${c.id} ${c.title}`,
    description: c.rule,
    props: [
      { name: "method", value: "TEST" },
      { name: "control-id", ns: NS, value: c.id },
    ],
    ...(nistControlsOf(c.id).length
      ? { "related-controls": { "control-selections": [{ "include-controls": nistControlsOf(c.id).map((id) => ({ "control-id": id })) }] } }
      : {}),
  }));
  return {
    "assessment-plan": {
      uuid: stableUuid("assessment-plan", scanId, scope.subscriptionId ? idKey(scope.subscriptionId) : ""),
      metadata: metadata(result, `Speech Posture assessment plan: the control catalogue (${scope.label})`, scope),
      "import-ssp": {
        href: "#system-security-plan-not-provided",
        remarks: "Speech Posture does not write a system security plan; the assessed resources are listed in local-definitions.",
      },
      "local-definitions": { "inventory-items": inventoryItems(result), activities },
      "reviewed-controls": {
        description: "The NIST SP 800-53 Rev. 5 controls the Speech Posture catalogue maps to.",
        "control-selections": [{ "include-controls": reviewedNistControls().map((id) => ({ "control-id": id })) }],
      },
      "assessment-subjects": [
        {
          type: "inventory-item",
          description: "Azure AI Speech resources (SpeechServices, AIServices and CognitiveServices accounts) the scan read.",
          ...(result.resources.length
            ? { "include-subjects": result.resources.map((r) => ({ "subject-uuid": inventoryItemUuid(scanId, r.id), type: "inventory-item" })) }
            : { "include-all": {} }),
        },
      ],
      tasks: [
        {
          uuid: stableUuid("task", scanId),
          type: "action",
          title: "Automated configuration test",
          description: "Read each resource's configuration from Azure and judge every catalogue control against it.",
          "associated-activities": activities.map((a) => ({ "activity-uuid": a.uuid, subjects: [{ type: "inventory-item", "include-all": {} }] })),
        },
      ],
    },
  };
}
