/**
 * `policyresources` and `securityresources` through the real ResourceGraphClient: states that follow
 * the vendored built-ins' rules and defaults, assignments at a management group only with an "above"
 * scope filter, readable scopes, and Defender's gaps. Expectations are computed from the tenant's
 * own documents and the definitions in emulator/fixtures/azure-policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import cmkDefinition from "@/emulator/fixtures/azure-policy/67121cc7-ff39-4ab8-b7e3-95b84dab487d.json";
import { startEmulator, type RunningEmulator } from "./server";
import { argRaw, clients } from "./testing/clients";

const lower = (s: unknown) => String(s ?? "").toLowerCase();
type Props = Record<string, any>;
const props = (d: AzureDocument | Props) => (d.properties ?? {}) as Props;
const CMK = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";
const LOGS = "1b4d1c4e-934c-4703-944c-27c82c06bebb";
const NETWORK = "037eea7a-bd0a-46c5-9a66-03aea78705d3";

describe("Azure's own verdicts in Resource Graph", () => {
  let emu: RunningEmulator;
  let states: Props[];
  const query = async (q: string, token = "tenant-reader", authorizationScopeFilter?: string) => {
    const r = await argRaw(emu, { query: q, options: { $top: 1000, ...(authorizationScopeFilter ? { authorizationScopeFilter } : {}) } }, token);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.data as Props[];
  };
  const statesOf = (guid: string) => states.filter((s) => lower(props(s).policyDefinitionId).endsWith(`/${guid}`));
  const account = (id: string) => emu.tenant.resources.find((r) => lower(r.id) === lower(id))!;

  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
    const { graph } = clients(emu);
    const page = await graph.resources({
      query: "policyresources | where type =~ 'microsoft.policyinsights/policystates' | project id, properties",
      options: { top: 1000 },
    });
    states = page.data as Props[];
  });
  afterAll(() => emu.close());

  it("leaves the CMK built-in's default excludedKinds Compliant even with Microsoft-managed keys", () => {
    const excluded = new Set((cmkDefinition.properties.parameters.excludedKinds.defaultValue as string[]).map(lower));
    const cmk = statesOf(CMK);
    expect(cmk.length).toBeGreaterThan(0);
    let excludedWithoutKey = 0;
    for (const s of cmk) {
      const a = account(props(s).resourceId);
      const keyVault = lower(props(a).encryption?.keySource) === "microsoft.keyvault";
      const expected = keyVault || excluded.has(lower(a.kind)) ? "Compliant" : "NonCompliant";
      if (props(s).complianceState !== "Exempt") expect(props(s).complianceState, a.id).toBe(expected);
      if (!keyVault && excluded.has(lower(a.kind))) excludedWithoutKey++;
    }
    expect(excludedWithoutKey).toBeGreaterThan(0);
  });

  it("passes the network built-in on publicNetworkAccess Disabled or defaultAction Deny, and the logs built-in on any logs entry", () => {
    for (const s of statesOf(NETWORK).filter((x) => props(x).complianceState !== "Exempt")) {
      const p = props(account(props(s).resourceId));
      const closed = lower(p.publicNetworkAccess) === "disabled" || lower(p.networkAcls?.defaultAction) === "deny";
      expect(props(s).complianceState).toBe(closed ? "Compliant" : "NonCompliant");
    }
    let lenient = 0;
    for (const s of statesOf(LOGS).filter((x) => props(x).complianceState !== "Exempt")) {
      const settings = (emu.tenant.diagnosticSettings.get(lower(props(s).resourceId)) ?? []) as Props[];
      const anyLogs = settings.some((d) => props(d).logs.length > 0);
      expect(props(s).complianceState).toBe(anyLogs ? "Compliant" : "NonCompliant");
      // Passed although no enabled audit entry exists.
      if (anyLogs && !settings.some((d) => props(d).logs.some((l: Props) => l.enabled && ["audit", "alllogs"].includes(lower(l.category ?? l.categoryGroup)))))
        lenient++;
    }
    expect(lenient).toBeGreaterThan(0);
  });

  it("holds stale states, two assignments of one definition, and Waiver, Mitigated and expired exemptions", async () => {
    const stamps = states.map((s) => Date.parse(props(s).timestamp));
    expect(Math.max(...stamps) - Math.min(...stamps)).toBeGreaterThan(90 * 86_400_000);
    expect(new Set(statesOf(NETWORK).map((s) => lower(props(s).policyAssignmentId))).size).toBe(2);
    const exemptions = await query("policyresources | where type =~ 'microsoft.authorization/policyexemptions' | project id, properties");
    expect(exemptions.map((e) => props(e).exemptionCategory).sort()).toEqual(["Mitigated", "Waiver", "Waiver"]);
    for (const e of exemptions) {
      const resource = lower(e.id.split("/providers/Microsoft.Authorization/")[0]);
      const state = states.find((s) => lower(props(s).resourceId) === resource && lower(props(s).policyAssignmentId) === lower(props(e).policyAssignmentId))!;
      const active = !props(e).expiresOn || Date.parse(props(e).expiresOn) > Date.parse(props(state).timestamp);
      expect(props(state).complianceState === "Exempt").toBe(active);
    }
    expect(exemptions.some((e) => props(e).expiresOn && Date.parse(props(e).expiresOn) < Date.parse("2026-11-01"))).toBe(true);
  });

  it("returns policy assignments at a management group only with an 'above' scope filter", async () => {
    const q = "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id";
    const below = await query(q);
    const above = await query(q, "tenant-reader", "AtScopeAboveAndBelow");
    expect(below.some((a) => /managementGroups/i.test(a.id))).toBe(false);
    expect(above.some((a) => /managementGroups\/mg-contoso\//i.test(a.id))).toBe(true);
    expect(above.length).toBeGreaterThan(below.length);
  });

  it("answers bag_pack projections and refuses an odd number of arguments", async () => {
    const rows = await query(
      "policyresources | where type =~ 'microsoft.policyinsights/policystates' | project properties = bag_pack('state', properties.complianceState) | take 1",
    );
    expect(Object.keys(rows[0].properties)).toEqual(["state"]);
    const bad = await argRaw(emu, { query: "policyresources | project p = bag_pack('a') | take 1" }, "tenant-reader");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/bag_pack/);
  });

  it("shows Defender assessments of the accounts, with some accounts not assessed and the CMK recommendation off by policy", async () => {
    const rows = await query("securityresources | where type =~ 'microsoft.security/assessments' | project name, properties");
    const assessed = new Set(rows.map((r) => lower(props(r).resourceDetails.Id)));
    const accounts = emu.tenant.resources.filter((r) => lower(r.type) === "microsoft.cognitiveservices/accounts");
    expect(accounts.some((a) => !assessed.has(lower(a.id)))).toBe(true);
    expect(new Set(rows.map((r) => props(r).status.code))).toEqual(new Set(["Healthy", "Unhealthy", "NotApplicable"]));
    for (const r of rows.filter((x) => x.name === "18bf29b3-a844-e170-2826-4e95d0ba4dc9"))
      expect(props(r).status).toMatchObject({ code: "NotApplicable", cause: "OffByPolicy" });
  });

  it("shows a resource-group reader only the verdicts on what it may read", async () => {
    const a = emu.tenant.resources.find(isSpeechAccount)!;
    const group = a.id.split("/").slice(0, 5).join("/");
    emu.setPrincipals({ "rg-reader": [group] });
    try {
      const seen = await query("policyresources | where type =~ 'microsoft.policyinsights/policystates' | project properties", "rg-reader");
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect(lower(props(s).resourceId).startsWith(`${lower(group)}/`)).toBe(true);
      const assessments = await query("securityresources | project properties", "rg-reader");
      for (const s of assessments) expect(lower(props(s).resourceDetails.Id).startsWith(`${lower(group)}/`)).toBe(true);
      const inherited = await query(
        "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id",
        "rg-reader",
        "AtScopeAboveAndBelow",
      );
      expect(inherited.some((x) => /mg-contoso/i.test(x.id))).toBe(true);
    } finally {
      emu.setPrincipals({});
    }
  });
});
