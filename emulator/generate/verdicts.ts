/**
 * Azure's own verdicts on the generated tenant: the `policyresources` rows (policy assignments,
 * policy states, policy exemptions) and `securityresources` rows (Defender for Cloud assessments)
 * that Azure would hold for it. States follow the built-ins' real rules (policy-rules.ts) under their
 * default parameters, so the CMK built-in's `excludedKinds` and the logs built-in's "any logs entry"
 * show through. Derived from the finished tenant without the seeded stream (choices hash the
 * resource ID), so the tenant's other documents are unchanged.
 */
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import type { TenantManagementGroup, TenantSubscription } from "@/emulator/tenant-model";
import { BUILT_INS, type BuiltIn, type RuleOutcome } from "./policy-rules";

export interface VerdictInput {
  tenantId: string;
  subscriptions: readonly TenantSubscription[];
  managementGroups: readonly TenantManagementGroup[];
  resources: readonly AzureDocument[];
  /** Lower-cased resource ID → its diagnostic settings (ARM list values). */
  diagnosticSettings: ReadonlyMap<string, object[]>;
}

export interface VerdictTables {
  policyResources: AzureDocument[];
  securityResources: AzureDocument[];
}

export const POLICY_STATE = "microsoft.policyinsights/policystates";
export const POLICY_ASSIGNMENT = "microsoft.authorization/policyassignments";
export const POLICY_EXEMPTION = "microsoft.authorization/policyexemptions";
export const ASSESSMENT = "microsoft.security/assessments";

/** The baseline is assigned at the top group; its storage definitions leave the sandbox out (notScopes). */
const BASELINE_GROUP = "mg-contoso";
const STORAGE_NOT_SCOPE = "mg-sandbox";
const GROUP_SCOPE = "/providers/Microsoft.Management/managementGroups/";
const DEFINITION_PREFIX = "/providers/Microsoft.Authorization/policyDefinitions/";
/** The last compliance scan the states report; stale states are months older. */
const EVALUATED = Date.UTC(2026, 10, 30, 6, 0, 0);
const STALE = Date.UTC(2026, 6, 14, 3, 0, 0);
/** Definitions that test one setting of the account: a stale state shows the setting before it changed. */
const SAME_SETTING = new Set(["d6759c02-b87f-42b7-892e-71b3f471d782", "71ef260a-8f18-47b7-abcb-62d0673d94dc", "fe3fd216-4f83-4fc1-8984-2bbec80a3418"]);

/** Defender for Cloud's recommendations on AI Services accounts, with the built-in each reflects. */
export const DEFENDER_ASSESSMENTS = [
  { key: "18bf29b3-a844-e170-2826-4e95d0ba4dc9", guid: "67121cc7-ff39-4ab8-b7e3-95b84dab487d", severity: "Low" },
  { key: "f738efb8-005f-680d-3d43-b3db762d6243", guid: "037eea7a-bd0a-46c5-9a66-03aea78705d3", severity: "Medium" },
  { key: "54f53ddf-6ebd-461e-a247-394c542bc5d1", guid: "d6759c02-b87f-42b7-892e-71b3f471d782", severity: "Medium" },
  { key: "13b10b36-aa99-4db6-b00c-dcf87c4761e6", guid: "71ef260a-8f18-47b7-abcb-62d0673d94dc", severity: "Medium" },
  { key: "dea5192e-1bb3-101b-b70c-4646546f5e1e", guid: "1b4d1c4e-934c-4703-944c-27c82c06bebb", severity: "Low" },
] as const;
/** "(Enable if required)": the Microsoft cloud security benchmark turns the CMK recommendation off. */
const OFF_BY_POLICY = new Set(["18bf29b3-a844-e170-2826-4e95d0ba4dc9"]);
const CAUSES = {
  // Verbatim from the GetAssessment example (azure-rest-api-specs, security 2021-06-01).
  OffByPolicy: "The effective policy for the assessment was evaluated to off - use Microsoft.Authorization/policyAssignments to turn this assessment on",
  Exempt: "The resource is exempt from the policy behind this recommendation (Microsoft.Authorization/policyExemptions).",
} as const;

interface Assignment {
  id: string;
  name: string;
  scope: string;
  builtIn: BuiltIn;
  /** Lower-cased subscription IDs it covers. */
  covers: ReadonlySet<string>;
  row: AzureDocument;
}

/** FNV-1a of the lower-cased text: a stable per-resource choice that does not touch the seeded stream. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) | 0x20;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const subscriptionOf = (id: string) => (/^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? "").toLowerCase();

export function azureVerdictTables(input: VerdictInput): VerdictTables {
  const generator = new VerdictGenerator(input);
  return generator.build();
}

class VerdictGenerator {
  private readonly policy: AzureDocument[] = [];
  private readonly security: AzureDocument[] = [];
  private readonly groupsOf = new Map<string, string[]>();
  /** `resource|definition GUID` with an active exemption: Defender reports those NotApplicable (cause Exempt). */
  private readonly exempt = new Set<string>();

  constructor(private readonly input: VerdictInput) {
    const parent = new Map(input.managementGroups.map((g) => [g.name.toLowerCase(), g.parent?.toLowerCase()]));
    for (const s of input.subscriptions) {
      const chain: string[] = [];
      for (let g = s.managementGroup?.toLowerCase(); g && !chain.includes(g); g = parent.get(g)) chain.push(g);
      this.groupsOf.set(s.subscriptionId.toLowerCase(), chain);
    }
  }

  build(): VerdictTables {
    const assignments = this.assignments();
    const exemptions = this.exemptions(assignments);
    for (const doc of this.input.resources) {
      const type = String(doc.type).toLowerCase();
      const sub = subscriptionOf(doc.id);
      for (const a of assignments) {
        if (a.builtIn.resourceType !== type || !a.covers.has(sub)) continue;
        this.policy.push(this.state(doc, a, exemptions.get(`${a.id.toLowerCase()}|${doc.id.toLowerCase()}`)));
      }
      if (type === "microsoft.cognitiveservices/accounts") this.assess(doc);
    }
    return { policyResources: this.policy, securityResources: this.security };
  }

  /** Each built-in at the top management group, and the network built-in a second time at the first subscription. */
  private assignments(): Assignment[] {
    const all = this.input.subscriptions.map((s) => s.subscriptionId.toLowerCase());
    const under = (group: string) => all.filter((s) => this.groupsOf.get(s)?.includes(group));
    const out: Assignment[] = [];
    for (const builtIn of BUILT_INS) {
      const storage = builtIn.resourceType === "microsoft.storage/storageaccounts";
      const covered = under(BASELINE_GROUP).filter((s) => !storage || !this.groupsOf.get(s)?.includes(STORAGE_NOT_SCOPE));
      const notScopes = storage ? [`${GROUP_SCOPE}${STORAGE_NOT_SCOPE}`] : [];
      out.push(
        this.assignment(
          `${GROUP_SCOPE}${BASELINE_GROUP}`,
          `speech-${builtIn.guid.slice(0, 8)}`,
          `Contoso AI baseline: ${builtIn.displayName}`,
          builtIn,
          covered,
          notScopes,
        ),
      );
    }
    const first = this.input.subscriptions.find((s) => s.visible);
    const network = BUILT_INS.find((b) => b.guid === "037eea7a-bd0a-46c5-9a66-03aea78705d3")!;
    if (first) {
      const scope = `/subscriptions/${first.subscriptionId}`;
      out.push(
        this.assignment(
          scope,
          "restrict-ai-network",
          "Production: AI services must restrict network access",
          network,
          [first.subscriptionId.toLowerCase()],
          [],
        ),
      );
    }
    return out;
  }

  private assignment(scope: string, name: string, displayName: string, builtIn: BuiltIn, covers: string[], notScopes: string[]): Assignment {
    const id = `${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`;
    const row: AzureDocument = {
      id,
      name,
      type: POLICY_ASSIGNMENT,
      tenantId: this.input.tenantId,
      kind: "",
      location: "",
      resourceGroup: "",
      subscriptionId: subscriptionOf(id),
      properties: {
        displayName,
        policyDefinitionId: `${DEFINITION_PREFIX}${builtIn.guid}`,
        scope,
        notScopes,
        parameters: {},
        enforcementMode: "Default",
        description: `Assigned by the platform team (${builtIn.category}).`,
      },
    };
    this.policy.push(row);
    return { id, name, scope, builtIn, covers: new Set(covers), row };
  }

  /**
   * On the Speech accounts, in order: a Waiver of the logs built-in (expires next year), a Mitigated
   * exemption of the network built-in (no expiry) and a Waiver of the local-auth built-in that has
   * expired (Azure evaluates the account again). Keyed by assignment and resource.
   */
  private exemptions(assignments: Assignment[]): Map<string, { expiresOn?: string }> {
    const speech = this.input.resources.filter((d) => isSpeechAccount(d));
    const byGuid = (guid: string) => assignments.find((a) => a.builtIn.guid === guid && a.scope.startsWith(GROUP_SCOPE))!;
    const plan = [
      {
        at: 2,
        guid: "1b4d1c4e-934c-4703-944c-27c82c06bebb",
        category: "Waiver",
        expiresOn: "2027-06-30T00:00:00Z",
        why: "Logs go to the vendor's SIEM until the migration.",
      },
      {
        at: 4,
        guid: "037eea7a-bd0a-46c5-9a66-03aea78705d3",
        category: "Mitigated",
        expiresOn: undefined,
        why: "Reachable only through the application gateway.",
      },
      { at: 6, guid: "71ef260a-8f18-47b7-abcb-62d0673d94dc", category: "Waiver", expiresOn: "2026-09-30T00:00:00Z", why: "Legacy client needs keys until Q3." },
    ];
    const out = new Map<string, { expiresOn?: string }>();
    for (const p of plan) {
      const account = speech[p.at];
      const assignment = byGuid(p.guid);
      if (!account || !assignment.covers.has(subscriptionOf(account.id))) continue;
      const name = `exempt-${assignment.name}`;
      this.policy.push({
        id: `${account.id}/providers/Microsoft.Authorization/policyExemptions/${name}`,
        name,
        type: POLICY_EXEMPTION,
        tenantId: this.input.tenantId,
        kind: "",
        location: "",
        resourceGroup: String(account.resourceGroup ?? ""),
        subscriptionId: subscriptionOf(account.id),
        properties: {
          policyAssignmentId: assignment.id,
          policyDefinitionReferenceIds: [],
          exemptionCategory: p.category,
          ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
          displayName: `${p.category}: ${account.name}`,
          description: p.why,
          metadata: { requestedBy: "speech-platform" },
          assignmentScopeValidation: "Default",
        },
      });
      out.set(`${assignment.id.toLowerCase()}|${account.id.toLowerCase()}`, { expiresOn: p.expiresOn });
    }
    return out;
  }

  private state(doc: AzureDocument, a: Assignment, exemption: { expiresOn?: string } | undefined): AzureDocument {
    const key = doc.id.toLowerCase();
    const h = hash(`${a.id}|${key}`);
    const stale = hash(key) % 9 === 0;
    const evaluatedAt = (stale ? STALE : EVALUATED) - (h % 20) * 3_600_000;
    let outcome: RuleOutcome | "Exempt" = a.builtIn.evaluate(doc, this.input.diagnosticSettings.get(key));
    // A stale state of a one-setting built-in shows the account as it was before its setting changed.
    if (stale && SAME_SETTING.has(a.builtIn.guid)) outcome = outcome === "Compliant" ? "NonCompliant" : "Compliant";
    // An exemption that has not expired (at the evaluation) makes the state Exempt; an expired one is ignored.
    if (exemption && (!exemption.expiresOn || Date.parse(exemption.expiresOn) > evaluatedAt)) {
      outcome = "Exempt";
      this.exempt.add(`${key}|${a.builtIn.guid}`);
    }
    const sub = subscriptionOf(doc.id);
    const name = h.toString(16).padStart(8, "0") + hash(key).toString(16).padStart(8, "0");
    return {
      id: `${key}/providers/microsoft.policyinsights/policystates/${name}`,
      name,
      type: POLICY_STATE,
      tenantId: this.input.tenantId,
      kind: "",
      location: String(doc.location ?? ""),
      resourceGroup: String(doc.resourceGroup ?? "").toLowerCase(),
      subscriptionId: sub,
      properties: {
        timestamp: iso(evaluatedAt),
        resourceId: key,
        policyAssignmentId: a.id.toLowerCase(),
        policyDefinitionId: `${DEFINITION_PREFIX}${a.builtIn.guid}`.toLowerCase(),
        isCompliant: outcome === "Compliant",
        subscriptionId: sub,
        resourceType: String(doc.type),
        resourceLocation: String(doc.location ?? ""),
        resourceGroup: String(doc.resourceGroup ?? "").toLowerCase(),
        policyAssignmentName: a.name,
        policyAssignmentScope: a.scope.toLowerCase(),
        policyDefinitionName: a.builtIn.guid,
        policyDefinitionAction: a.builtIn.action,
        policyDefinitionCategory: a.builtIn.category,
        policyDefinitionVersion: "",
        managementGroupIds: (this.groupsOf.get(sub) ?? []).join(","),
        complianceState: outcome,
      },
    };
  }

  /** Defender's assessments of one account, mirroring the built-in each recommendation is based on; one account in seven is not assessed. */
  private assess(doc: AzureDocument): void {
    const key = doc.id.toLowerCase();
    if (hash(key) % 7 === 3) return;
    for (const d of DEFENDER_ASSESSMENTS) {
      const builtIn = BUILT_INS.find((b) => b.guid === d.guid)!;
      const cause = OFF_BY_POLICY.has(d.key) ? "OffByPolicy" : this.exempt.has(`${key}|${d.guid}`) ? "Exempt" : undefined;
      const code = cause ? "NotApplicable" : builtIn.evaluate(doc, this.input.diagnosticSettings.get(key)) === "Compliant" ? "Healthy" : "Unhealthy";
      const first = iso(EVALUATED - 86_400_000 * (30 + (hash(`${key}|${d.key}`) % 300)));
      this.security.push({
        id: `${doc.id}/providers/Microsoft.Security/assessments/${d.key}`,
        name: d.key,
        type: ASSESSMENT,
        tenantId: this.input.tenantId,
        kind: "",
        location: "",
        resourceGroup: String(doc.resourceGroup ?? "").toLowerCase(),
        subscriptionId: subscriptionOf(doc.id),
        properties: {
          resourceDetails: { Source: "Azure", Id: doc.id },
          displayName: builtIn.displayName,
          status: cause ? { code, cause, description: CAUSES[cause] } : { code, firstEvaluationDate: first, statusChangeDate: first },
          additionalData: {},
          metadata: {
            displayName: builtIn.displayName,
            assessmentType: "BuiltIn",
            severity: d.severity,
            policyDefinitionId: `${DEFINITION_PREFIX}${d.guid}`,
          },
          links: { azurePortalUri: `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${d.key}` },
        },
      });
    }
  }
}
