/**
 * OSCAL 1.1.3 assessment results for a stored scan (or one subscription of it): one result per
 * scan, the NIST controls reviewed, an observation per finding with its evidence, and a finding
 * per control × resource that could be judged (`satisfied` / `not-satisfied`). Unknown findings
 * stay observations that say what could not be read. Every UUID is derived from the scan, the
 * control and the resource, so exporting the same scan again gives the same bytes.
 */
import { controlById } from "@/lib/posture/controls";
import { idKey } from "@/lib/posture/ids";
import type { ReportResult } from "@/lib/report/model";
import {
  findingTitle,
  inventoryItems,
  isoWithZone,
  metadata,
  nistControlsOf,
  NS,
  observation,
  observationUuid,
  resourceIndex,
  reviewedNistControls,
  stableUuid,
  type OscalScope,
} from "./common";
import { assessmentPlanFilename } from "./assessment-plan";

export function assessmentResults(result: ReportResult, scope: OscalScope) {
  const resources = resourceIndex(result);
  const observations = result.findings.map((f) => observation(result, f, resources));
  const findings = result.findings
    .filter((f) => f.status === "pass" || f.status === "fail")
    .map((f) => {
      const nist = nistControlsOf(f.controlId);
      return {
        uuid: stableUuid("finding", result.scan.id, f.controlId, idKey(f.resourceId)),
        title: findingTitle(f, resources),
        description: f.message,
        props: [
          { name: "control-id", ns: NS, value: f.controlId },
          ...nist.map((n) => ({ name: "nist-control", ns: NS, value: n })),
          ...(f.muted ? [{ name: "muted", ns: NS, value: "true" }] : []),
        ],
        target: {
          type: "objective-id",
          // The first NIST control the catalogue control maps to; else the catalogue's own ID.
          "target-id": nist[0] ? `${nist[0]}_obj` : `speech-posture-${f.controlId.toLowerCase()}`,
          title: controlById(f.controlId)?.title ?? f.controlId,
          status: { state: f.status === "pass" ? "satisfied" : "not-satisfied" },
        },
        "related-observations": [{ "observation-uuid": observationUuid(result.scan.id, f) }],
      };
    });
  const scanned = result.scan;
  return {
    "assessment-results": {
      uuid: stableUuid("assessment-results", scanned.id, scope.subscriptionId ? idKey(scope.subscriptionId) : ""),
      metadata: metadata(result, `Speech Posture assessment results: scan ${scanned.id} (${scope.label})`, scope),
      "import-ap": { href: assessmentPlanFilename(scanned.id, scope.subscriptionId) },
      results: [
        {
          uuid: stableUuid("result", scanned.id, scope.subscriptionId ? idKey(scope.subscriptionId) : ""),
          title: `Scan ${scanned.id}`,
          description:
            `Automated assessment of how Azure AI Speech resources protect the customer data they store (${scope.label}): ` +
            `${result.resources.length} resources, ${result.findings.length} findings.`,
          start: isoWithZone(scanned.startedAt ?? scanned.finishedAt ?? "1970-01-01T00:00:00Z"),
          ...(scanned.finishedAt ? { end: isoWithZone(scanned.finishedAt) } : {}),
          ...(result.resources.length ? { "local-definitions": { "inventory-items": inventoryItems(result) } } : {}),
          "reviewed-controls": { "control-selections": [{ "include-controls": reviewedNistControls().map((id) => ({ "control-id": id })) }] },
          ...(observations.length ? { observations } : {}),
          ...(findings.length ? { findings } : {}),
        },
      ],
    },
  };
}
