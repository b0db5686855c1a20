/**
 * OSCAL 1.1.3 plan of action and milestones: a POA&M item and a risk per failing finding, each
 * tied to its observation. A finding muted by an active exception becomes an approved deviation:
 * the risk's status is `deviation-approved`, its owner and reason are recorded, and the
 * exception's expiry is the deadline.
 */
import { controlById } from "@/lib/posture/controls";
import { idKey } from "@/lib/posture/ids";
import type { ReportException, ReportFinding, ReportResult } from "@/lib/report/model";
import { findingTitle, inventoryItems, isoWithZone, metadata, NS, observation, observationUuid, resourceIndex, stableUuid, type OscalScope } from "./common";

/** OSCAL requires at least one POA&M item: a scan with no failing finding has no POA&M to write. */
export class EmptyPoamError extends Error {
  constructor(scope: string) {
    super(`Nothing to put in a POA&M: no finding fails in this scan (${scope}). OSCAL requires at least one POA&M item.`);
    this.name = "EmptyPoamError";
  }
}

export function planOfActionAndMilestones(result: ReportResult, scope: OscalScope, exceptionFor: (f: ReportFinding) => ReportException | undefined) {
  const resources = resourceIndex(result);
  const failing = result.findings.filter((f) => f.status === "fail");
  if (failing.length === 0) throw new EmptyPoamError(scope.label);
  const scanId = result.scan.id;
  const risks = failing.map((f) => {
    const control = controlById(f.controlId);
    const exception = f.muted ? exceptionFor(f) : undefined;
    const deadline = exception?.expiresAt ? endOfDay(exception.expiresAt) : undefined;
    return {
      uuid: stableUuid("risk", scanId, f.controlId, idKey(f.resourceId)),
      title: findingTitle(f, resources),
      description: exception
        ? `${f.message} Accepted by exception: owner ${exception.owner ?? "not named"}, reason: ${exception.reason ?? "not given"}, until ${exception.expiresAt ?? "?"}.`
        : f.message,
      statement: control?.rationale ?? f.message,
      props: [
        { name: "control-id", ns: NS, value: f.controlId },
        { name: "severity", ns: NS, value: f.severity },
        ...(exception?.owner ? [{ name: "exception-owner", ns: NS, value: exception.owner }] : []),
        ...(exception?.reason ? [{ name: "exception-reason", ns: NS, value: exception.reason }] : []),
      ],
      status: exception ? "deviation-approved" : "open",
      ...(deadline ? { deadline } : {}),
      ...(control
        ? {
            remediations: [
              {
                uuid: stableUuid("remediation", scanId, f.controlId, idKey(f.resourceId)),
                lifecycle: "recommendation",
                title: `Remediate ${f.controlId}`,
                description: control.remediation.portal.join(" "),
              },
            ],
          }
        : {}),
      "related-observations": [{ "observation-uuid": observationUuid(scanId, f) }],
    };
  });
  return {
    "plan-of-action-and-milestones": {
      uuid: stableUuid("poam", scanId, scope.subscriptionId ? idKey(scope.subscriptionId) : ""),
      metadata: metadata(result, `Speech Posture plan of action and milestones: scan ${scanId} (${scope.label})`, scope),
      "local-definitions": { "inventory-items": inventoryItems(result) },
      observations: failing.map((f) => observation(result, f, resources)),
      risks,
      "poam-items": failing.map((f, i) => ({
        uuid: stableUuid("poam-item", scanId, f.controlId, idKey(f.resourceId)),
        title: findingTitle(f, resources),
        description: f.message,
        props: [{ name: "control-id", ns: NS, value: f.controlId }],
        "related-observations": [{ "observation-uuid": observationUuid(scanId, f) }],
        "related-risks": [{ "risk-uuid": risks[i].uuid }],
      })),
    },
  };
}

/** An exception's expiry date lasts through that day (as everywhere in the tool). */
function endOfDay(expiresAt: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T23:59:59Z` : isoWithZone(expiresAt);
}
