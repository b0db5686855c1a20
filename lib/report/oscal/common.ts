/**
 * Shared pieces of the OSCAL 1.1.3 documents (assessment plan, assessment results, POA&M): stable
 * UUIDs, the tool as a party, metadata, the assessed resources as inventory items, and the NIST
 * SP 800-53 Rev. 5 controls the catalogue maps to, spelled as OSCAL control IDs.
 */
import { v5 as uuidv5 } from "uuid";
import { CATALOG, CATALOG_VERSION, controlById } from "@/lib/posture/controls";
import { idKey } from "@/lib/posture/ids";
import type { ReportFinding, ReportResource, ReportResult } from "@/lib/report/model";

export const OSCAL_VERSION = "1.1.3";
/** Our own property namespace: props OSCAL does not define. */
export const NS = "urn:speech-posture:oscal";

/** Namespace of every UUID this tool writes (UUIDv5: the same inputs give the same UUID). */
const NAMESPACE = "7c1f2f1e-6a51-5d8e-9b6e-2f3f61a0c0de";

/** A stable UUID from its parts, e.g. `stableUuid("observation", scanId, controlId, resourceKey)`. */
export function stableUuid(...parts: string[]): string {
  return uuidv5(parts.join("\u0000"), NAMESPACE);
}

export const TOOL_PARTY_UUID = stableUuid("party", "speech-posture");

/** "SC-28(1)" → "sc-28.1", as NIST's OSCAL catalogue names controls. */
export function oscalControlId(nist: string): string {
  return nist
    .trim()
    .toLowerCase()
    .replace(/\((\d+)\)/g, ".$1");
}

/** The NIST controls a catalogue control maps to, as OSCAL control IDs. */
export function nistControlsOf(controlId: string): string[] {
  return (controlById(controlId)?.references.nist ?? []).map(oscalControlId);
}

/** Every NIST control the catalogue maps to, in catalogue order, once each. */
export function reviewedNistControls(): string[] {
  return [...new Set(CATALOG.flatMap((c) => nistControlsOf(c.id)))];
}

export interface OscalScope {
  /** "tenant", or "subscription <id>". */
  readonly label: string;
  readonly subscriptionId?: string;
}

/** When the evidence was collected: the scan's finish, else its start. */
export function scanTime(result: ReportResult): string {
  return result.scan.finishedAt ?? result.scan.startedAt ?? "1970-01-01T00:00:00Z";
}

export function metadata(result: ReportResult, title: string, scope: OscalScope) {
  return {
    title,
    "last-modified": isoWithZone(scanTime(result)),
    version: `scan ${result.scan.id}, catalogue version ${result.scan.catalogVersion ?? CATALOG_VERSION}`,
    "oscal-version": OSCAL_VERSION,
    roles: [{ id: "assessor", title: "Assessor" }],
    parties: [
      {
        uuid: TOOL_PARTY_UUID,
        type: "organization",
        name: "Speech Posture",
        remarks: "The automated assessment tool that collected the evidence and judged the controls.",
      },
    ],
    "responsible-parties": [{ "role-id": "assessor", "party-uuids": [TOOL_PARTY_UUID] }],
    props: [{ name: "scope", ns: NS, value: scope.label }],
  };
}

/** OSCAL date-times must carry a time zone. */
export function isoWithZone(value: string): string {
  return /(?:Z|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`;
}

export function inventoryItemUuid(scanId: string, resourceId: string): string {
  return stableUuid("inventory-item", scanId, idKey(resourceId));
}

/** The assessed Speech resources, each an inventory item the observations name as their subject. */
export function inventoryItems(result: ReportResult) {
  return result.resources.map((r) => ({
    uuid: inventoryItemUuid(result.scan.id, r.id),
    description: `Azure AI Speech resource ${r.name} (${r.kind ?? "Microsoft.CognitiveServices/accounts"}).`,
    props: [
      { name: "asset-type", value: "service" },
      { name: "resource-id", ns: NS, value: r.id },
      { name: "subscription-id", ns: NS, value: r.subscriptionId },
      ...(r.resourceGroup ? [{ name: "resource-group", ns: NS, value: r.resourceGroup }] : []),
      ...(r.location ? [{ name: "location", ns: NS, value: r.location }] : []),
    ],
  }));
}

export function resourceIndex(result: ReportResult): Map<string, ReportResource> {
  return new Map(result.resources.map((r) => [idKey(r.id), r]));
}

/** "CMK-1 on speech-prod-01". */
export function findingTitle(f: ReportFinding, resources: Map<string, ReportResource>): string {
  const control = controlById(f.controlId);
  const name = resources.get(idKey(f.resourceId))?.name ?? f.resourceId;
  return `${f.controlId}${control ? ` ${control.title}` : ""}: ${name}`;
}

export function observationUuid(scanId: string, f: ReportFinding): string {
  return stableUuid("observation", scanId, f.controlId, idKey(f.resourceId));
}

const READ_AS: Record<string, string> = {
  pass: "The control is met.",
  fail: "The control is not met.",
  not_applicable: "The control does not apply.",
};

/** One observation per finding: what was seen on which resource, with its evidence. */
export function observation(result: ReportResult, f: ReportFinding, resources: Map<string, ReportResource>) {
  const unknown = f.status === "unknown";
  const description = unknown
    ? `Could not be judged: the evidence could not be read (${f.reason ?? "unknown reason"}). ${f.message}`
    : `${READ_AS[f.status] ?? ""} ${f.message}`.trim();
  return {
    uuid: observationUuid(result.scan.id, f),
    title: findingTitle(f, resources),
    description,
    props: [
      { name: "control-id", ns: NS, value: f.controlId },
      { name: "status", ns: NS, value: f.status },
      ...(f.reason ? [{ name: "reason", ns: NS, value: f.reason }] : []),
      ...(f.muted ? [{ name: "muted", ns: NS, value: "true" }] : []),
    ],
    methods: ["TEST"],
    origins: [{ actors: [{ type: "party", "actor-uuid": TOOL_PARTY_UUID }] }],
    subjects: [
      {
        "subject-uuid": inventoryItemUuid(result.scan.id, f.resourceId),
        type: "inventory-item",
        title: resources.get(idKey(f.resourceId))?.name ?? f.resourceId,
      },
    ],
    ...((f.evidence?.length ?? 0) > 0
      ? {
          "relevant-evidence": (f.evidence ?? []).map((e) => ({
            description: `${e.path}: found ${JSON.stringify(e.actual ?? null)}, expected ${JSON.stringify(e.expected ?? null)}`,
          })),
        }
      : {}),
    collected: isoWithZone(scanTime(result)),
  };
}
