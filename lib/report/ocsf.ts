/**
 * OCSF 1.3.0 Compliance Finding (class 2003) events, one per finding, as JSON lines.
 * Mapping:
 *  - severity_id: high 4 (High), medium 3 (Medium), low 2 (Low); the control's severity, whatever the status.
 *  - compliance.status_id: pass 1 (Pass), unknown 2 (Warning: "did not yield a result due to missing
 *    information"), fail 3 (Fail), not_applicable 99 (Other, status "Not Applicable").
 *  - status_id (the finding's lifecycle): 3 (Suppressed) when muted by an exception, else 1 (New).
 *  - finding_info.uid is stable across scans (control + resource), metadata.correlation_uid is the scan.
 */
import { CATALOG, CATALOG_VERSION } from "@/lib/posture/controls";
import type { ReportFinding, ReportResource, ReportResult } from "./model";
import { idKey } from "@/lib/posture/ids";
import type { Severity, Status } from "@/lib/posture/vocabulary";

export const OCSF_VERSION = "1.3.0";
export const PRODUCT = { name: "Speech Posture", vendor_name: "Speech Posture project" } as const;

/**
 * Attributes an OCSF 1.3.0 Compliance Finding must carry, as dotted paths, with the Cloud profile
 * applied. Source: the OCSF schema (repository ocsf/ocsf-schema, v1.3.0): events/base_event.json
 * (activity_id, category_uid, class_uid, metadata, severity_id, time, type_uid — "required"),
 * events/findings/finding.json (finding_info), events/findings/compliance_finding.json (compliance),
 * objects/metadata.json (product, version), objects/finding_info.json (uid),
 * objects/compliance.json (standards), profiles/cloud.json (cloud) and objects/cloud.json (provider).
 */
export const OCSF_COMPLIANCE_FINDING_REQUIRED = [
  "activity_id",
  "category_uid",
  "class_uid",
  "type_uid",
  "severity_id",
  "time",
  "metadata",
  "metadata.version",
  "metadata.product",
  "finding_info",
  "finding_info.uid",
  "compliance",
  "compliance.standards",
  "cloud",
  "cloud.provider",
] as const;

const CLASS_UID = 2003;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;
/** What every event of ours opens with: a Compliance Finding, created. */
const EVENT_CLASS = {
  activity_id: ACTIVITY_CREATE,
  activity_name: "Create",
  category_uid: CATEGORY_UID,
  category_name: "Findings",
  class_uid: CLASS_UID,
  class_name: "Compliance Finding",
  type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
  type_name: "Compliance Finding: Create",
} as const;

const SEVERITY: Record<string, { id: number; name: string }> = {
  high: { id: 4, name: "High" },
  medium: { id: 3, name: "Medium" },
  low: { id: 2, name: "Low" },
} satisfies Record<Severity, { id: number; name: string }>;
const COMPLIANCE_STATUS: Record<string, { id: number; name: string }> = {
  pass: { id: 1, name: "Pass" },
  unknown: { id: 2, name: "Warning" },
  fail: { id: 3, name: "Fail" },
  not_applicable: { id: 99, name: "Not Applicable" },
} satisfies Record<Status, { id: number; name: string }>;

const CONTROLS = new Map(CATALOG.map((c) => [c.id.toLowerCase(), c]));

/**
 * One OCSF event per finding, in the result's order, each on its own line (newline-terminated),
 * yielded line by line: a whole tenant is more text than one string holds.
 */
export function* findingsToOcsfLines(result: ReportResult): Generator<string> {
  const resources = new Map<string, ReportResource>();
  for (const r of result.resources) resources.set(idKey(r.id), r);
  const subscriptions = new Map(result.subscriptions.map((s) => [idKey(s.subscriptionId), s.displayName ?? null]));
  const writer = new OcsfLineWriter(result);
  for (const f of result.findings) {
    yield `${writer.line(f, resources.get(idKey(f.resourceId)), subscriptions.get(idKey(f.subscriptionId)) ?? null)}\n`;
  }
}

/** What `ocsfEvent` writes the same for every finding of one control in one scan. */
interface ControlPieces {
  /** `"correlation_uid":"<scan>","uid":"<scan>:<control>:` (the resource key follows). */
  metadataUid: string;
  /** `,"finding_info":{"uid":"speech-posture:<control>:` (the resource key follows). */
  infoUid: string;
  /** `,"title":…,"desc":` (the message follows). */
  title: string;
  /** `,"types":["Compliance"]},"compliance":{"control":…,"standards":…,"status_id":` (the status follows). */
  compliance: string;
  /** `,"remediation":{…}`, or "" for a control the catalogue does not know. */
  remediation: string;
}

/** What `ocsfEvent` writes the same for every finding of one resource: `,"resources":[…],"cloud":{…}`. */
interface ResourcePieces {
  resource: ReportResource | undefined;
  resourceId: string;
  subscriptionId: string;
  subscriptionName: string | null;
  text: string;
}

const json = (v: unknown): string => JSON.stringify(v);
/** JSON text of a string that ends in an ASCII character, without its closing quote (more text follows). */
const open = (s: string) => json(s).slice(0, -1);

const EVENT_HEAD = json(EVENT_CLASS).slice(0, -1) + ",";
const METADATA_HEAD = json({ version: OCSF_VERSION, product: PRODUCT, profiles: ["cloud"] }).slice(0, -1) + ",";

/**
 * `JSON.stringify(ocsfEvent(…))`, character for character, from pieces that are the same for every
 * finding of a control or of a resource: an OCSF line is ~3 KB and most of it repeats, and a
 * tenant's export is several GB. The per-control and per-resource pieces are cut from events
 * `ocsfEvent` wrote; the rest follows its key order. A finding of an unexpected shape (or an
 * unknown severity or status) is written by `ocsfEvent` whole. lib/report/ocsf.test.ts holds the
 * two equal.
 */
export class OcsfLineWriter {
  private readonly controls = new Map<string, ControlPieces>();
  private last: ResourcePieces | undefined;

  constructor(
    private readonly result: Pick<ReportResult, "scan">,
    private readonly time: number = timeOf(result),
  ) {}

  line(f: ReportFinding, resource: ReportResource | undefined, subscriptionName: string | null): string {
    const reason: unknown = f.reason;
    const evidence: unknown = f.evidence;
    const azure: unknown = f.azure;
    if (
      typeof f.controlId !== "string" ||
      typeof f.resourceId !== "string" ||
      typeof f.subscriptionId !== "string" ||
      typeof f.status !== "string" ||
      typeof f.message !== "string" ||
      (reason != null && typeof reason !== "string") ||
      (evidence != null && typeof evidence !== "object") ||
      (azure != null && typeof azure !== "object") ||
      (f.agreement != null && typeof f.agreement !== "string") ||
      !Object.hasOwn(SEVERITY, f.severity) ||
      !Object.hasOwn(COMPLIANCE_STATUS, f.status)
    ) {
      return json(ocsfEvent(f, this.result, resource, subscriptionName, this.time));
    }
    const control = this.controlPieces(f.controlId);
    const severity = SEVERITY[f.severity];
    const compliance = COMPLIANCE_STATUS[f.status];
    const muted = f.muted === true;
    const message = json(f.message);
    const reasonText = reason == null ? "null" : json(reason);
    // The resource key with its closing quote: it ends both uids.
    const key = json(idKey(f.resourceId)).slice(1);
    return (
      `${EVENT_HEAD}"severity_id":${severity.id},"severity":${json(severity.name)},"status_id":${muted ? 3 : 1},"status":${muted ? '"Suppressed"' : '"New"'}` +
      `,"time":${json(this.time)},"message":${message},"metadata":${METADATA_HEAD}${control.metadataUid}${key}}` +
      `${control.infoUid}${key}${control.title}${message}${control.compliance}${compliance.id},"status":${json(compliance.name)}` +
      `${reason ? `,"status_code":${reasonText}` : ""},"status_detail":${message}}` +
      this.resourcePieces(f, resource, subscriptionName) +
      `,"unmapped":{"status":${json(f.status)},"reason":${reasonText},"muted":${muted},"evidence":${json(evidence ?? [])}` +
      `,"azure":${json(azure ?? null)},"agreement":${json(f.agreement ?? "not_collected")}}${control.remediation}}`
    );
  }

  private controlPieces(controlId: string): ControlPieces {
    const known = this.controls.get(controlId);
    if (known) return known;
    const sample = ocsfEvent(
      {
        controlId,
        resourceId: "",
        subscriptionId: "",
        severity: "high",
        status: "pass",
        reason: null,
        muted: false,
        message: "",
        evidence: [],
        azure: null,
        agreement: "agrees",
      },
      this.result,
      undefined,
      null,
      this.time,
    );
    const info = sample.finding_info as { title: unknown };
    const compliance = json(sample.compliance);
    const statusId = '"status_id":';
    const pieces: ControlPieces = {
      metadataUid: `"correlation_uid":${json(this.result.scan.id)},"uid":${open(`${this.result.scan.id}:${controlId}:`)}`,
      infoUid: `,"finding_info":{"uid":${open(`speech-posture:${controlId}:`)}`,
      title: `,"title":${json(info.title)},"desc":`,
      compliance: `,"types":["Compliance"]},"compliance":${compliance.slice(0, compliance.indexOf(statusId) + statusId.length)}`,
      remediation: sample.remediation === undefined ? "" : `,"remediation":${json(sample.remediation)}`,
    };
    this.controls.set(controlId, pieces);
    return pieces;
  }

  private resourcePieces(f: ReportFinding, resource: ReportResource | undefined, subscriptionName: string | null): string {
    const last = this.last;
    if (
      last &&
      last.resource === resource &&
      last.resourceId === f.resourceId &&
      last.subscriptionId === f.subscriptionId &&
      last.subscriptionName === subscriptionName
    ) {
      return last.text;
    }
    const sample = ocsfEvent(f, this.result, resource, subscriptionName, this.time);
    const text = `,"resources":${json(sample.resources)},"cloud":${json(sample.cloud)}`;
    this.last = { resource, resourceId: f.resourceId, subscriptionId: f.subscriptionId, subscriptionName, text };
    return text;
  }
}

export function ocsfEvent(
  f: ReportFinding,
  result: Pick<ReportResult, "scan">,
  resource: ReportResource | undefined,
  subscriptionName: string | null,
  time: number = timeOf(result),
): Record<string, unknown> {
  const control = CONTROLS.get(f.controlId.toLowerCase());
  const severity = SEVERITY[f.severity] ?? { id: 0, name: "Unknown" };
  const compliance = COMPLIANCE_STATUS[f.status] ?? { id: 0, name: "Unknown" };
  const muted = f.muted === true;
  const standards = [`Speech Posture catalogue v${result.scan.catalogVersion ?? CATALOG_VERSION}`];
  const requirements: string[] = [];
  if (control?.references.mcsb?.length) {
    standards.push("Microsoft cloud security benchmark");
    for (const m of control.references.mcsb) requirements.push(`MCSB ${m}`);
  }
  if (control?.references.nist?.length) {
    standards.push("NIST SP 800-53 Rev. 5");
    for (const n of control.references.nist) requirements.push(`NIST SP 800-53 ${n}`);
  }
  if (control?.references.azurePolicy) requirements.push(`Azure Policy ${control.references.azurePolicy.id}`);
  const tenantId = result.scan.tenantId ?? null;
  const event: Record<string, unknown> = {
    ...EVENT_CLASS,
    severity_id: severity.id,
    severity: severity.name,
    status_id: muted ? 3 : 1,
    status: muted ? "Suppressed" : "New",
    time,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { ...PRODUCT },
      profiles: ["cloud"],
      correlation_uid: result.scan.id,
      uid: `${result.scan.id}:${f.controlId}:${idKey(f.resourceId)}`,
    },
    finding_info: {
      uid: `speech-posture:${f.controlId}:${idKey(f.resourceId)}`,
      title: control ? `${control.id}: ${control.title}` : f.controlId,
      desc: f.message,
      types: ["Compliance"],
    },
    compliance: {
      control: f.controlId,
      standards,
      ...(requirements.length ? { requirements } : {}),
      status_id: compliance.id,
      status: compliance.name,
      ...(f.reason ? { status_code: f.reason } : {}),
      status_detail: f.message,
    },
    resources: [
      {
        uid: f.resourceId,
        name: resource?.name ?? lastSegment(f.resourceId),
        type: "Microsoft.CognitiveServices/accounts",
        ...(resource?.location ? { region: resource.location } : {}),
        ...(resource?.resourceGroup ? { group: { name: resource.resourceGroup } } : {}),
        ...(resource?.kind ? { labels: [`kind:${resource.kind}`] } : {}),
      },
    ],
    cloud: {
      provider: "Azure",
      account: { uid: f.subscriptionId, ...(subscriptionName ? { name: subscriptionName } : {}) },
      ...(tenantId ? { org: { uid: tenantId } } : {}),
      ...(resource?.location ? { region: resource.location } : {}),
    },
    unmapped: {
      status: f.status,
      reason: f.reason ?? null,
      muted,
      evidence: f.evidence ?? [],
      // Azure Policy's and Defender's verdict beside ours: OCSF has no field for a second opinion.
      azure: f.azure ?? null,
      agreement: f.agreement ?? "not_collected",
    },
  };
  if (control) {
    event.remediation = {
      desc: control.remediation.portal.join(" "),
    };
  }
  return event;
}

/** The scan's finish (else start) time in epoch milliseconds, OCSF's timestamp_t. */
export function timeOf(result: Pick<ReportResult, "scan">): number {
  for (const t of [result.scan.finishedAt, result.scan.startedAt]) {
    const ms = t ? Date.parse(t) : NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return 0;
}

function lastSegment(id: string): string {
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? id;
}
