/**
 * Azure's own verdicts (issue 14 §1) through the real SDK clients against the emulator: policy
 * states and Defender assessments arrive restricted to the mapped definitions, keys and subject types
 * and summarised (one row per subscription and assignment or key), only the subjects' are kept;
 * exemptions and assignment names are asked for by the assignments' IDs; coverage and errors
 * follow what was read, and the demo tenant's reconciliation shows what it is meant to show.
 * Expectations come from the generated tenant and the vendored built-in definitions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { generateTenant, type Tenant } from "@/emulator/tenant";
import { CMK_EXCLUDED_KINDS } from "@/emulator/generate/policy-rules";
import { tenantSnapshot } from "@/emulator/snapshot";
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { isSpeechAccount, type AzureDocument, type Snapshot } from "@/lib/posture/snapshot";
import { collect } from "./collect";
import { emulatorTarget } from "./target";

const fastRetry = { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 };
const lower = (s: string) => s.toLowerCase();
const subOf = (id: string) => lower(id.split("/")[2] ?? "");
const STATE = "microsoft.policyinsights/policystates";
const EXEMPTION = "microsoft.authorization/policyexemptions";
const ASSIGNMENT = "microsoft.authorization/policyassignments";
const ASSESSMENT = "microsoft.security/assessments";
const MAPPED_GUIDS = new Set(Object.values(AZURE_MAPPINGS).flatMap((m) => m!.policies.map((p) => p.definitionId)));
const MAPPED_KEYS = new Set(Object.values(AZURE_MAPPINGS).flatMap((m) => m!.defender.map((d) => d.key)));

const typed = (docs: readonly AzureDocument[], type: string) => docs.filter((r) => lower(String(r.type)) === type);
const props = (d: AzureDocument) => (d.properties ?? {}) as Record<string, any>;
const guidOf = (definitionId: string) => lower(definitionId).split("/").pop()!;

interface Exchange {
  query: string;
  subscriptions: string[];
  rows: Record<string, any>[];
}

/** Records every Resource Graph query and the rows the emulator answered with. */
function argRecorder(): { policy: PipelinePolicy; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const policy: PipelinePolicy = {
    name: "record-arg",
    sendRequest: async (req, next) => {
      const res = await next(req);
      if (req.url.includes("Microsoft.ResourceGraph/resources") && typeof req.body === "string" && res.status === 200) {
        const body = JSON.parse(req.body);
        const data = JSON.parse(res.bodyAsText ?? "{}").data;
        exchanges.push({ query: body.query, subscriptions: body.subscriptions ?? [], rows: Array.isArray(data) ? data : [] });
      }
      return res;
    },
  };
  return { policy, exchanges };
}

/** What is in scope for the demo: visible Speech accounts, the storage and vaults the collector read. */
function scopeOf(snapshot: Snapshot) {
  const accounts = snapshot.resources.filter(isSpeechAccount).map((a) => lower(a.id));
  const others = [...typed(snapshot.resources, "microsoft.storage/storageaccounts"), ...typed(snapshot.resources, "microsoft.keyvault/vaults")].map((d) =>
    lower(d.id),
  );
  return { accounts: new Set(accounts), all: new Set([...accounts, ...others]) };
}

describe("Azure's verdicts from the demo tenant", () => {
  let emu: RunningEmulator;
  let tenant: Tenant;
  let snapshot: Snapshot;
  let exchanges: Exchange[];

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quota: false });
    tenant = emu.tenant;
    const rec = argRecorder();
    exchanges = rec.exchanges;
    ({ snapshot } = await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry, policies: [rec.policy] })));
  });
  afterAll(() => emu.close());

  it("asks for the mapped definitions, keys and subject types, one summarised row per subscription and assignment or key", () => {
    const scope = scopeOf(snapshot);
    const subjectTypes = ["microsoft.cognitiveservices/accounts", "microsoft.storage/storageaccounts", "microsoft.keyvault/vaults"];
    const states = exchanges.filter((e) => /^policyresources[\s\S]*policystates/.test(e.query));
    expect(states.length).toBeGreaterThan(0);
    let served = 0;
    for (const e of states) {
      for (const guid of MAPPED_GUIDS) expect(e.query).toContain(`endswith '/${guid}'`);
      const groups = new Set<string>();
      for (const row of e.rows) {
        expect(MAPPED_GUIDS.has(guidOf(row.policyDefinitionId))).toBe(true);
        expect(e.subscriptions.map(lower)).toContain(lower(row.subscriptionId));
        const group = `${row.subscriptionId}|${row.policyAssignmentId}|${row.policyDefinitionId}`;
        expect(groups.has(group), group).toBe(false);
        groups.add(group);
        for (const state of row.states) {
          expect(subOf(state.resourceId)).toBe(lower(row.subscriptionId));
          expect(subjectTypes.some((t) => lower(state.resourceId).includes(`/providers/${t}/`))).toBe(true);
          served++;
        }
      }
    }
    // Fewer rows than states: that is the point of summarising.
    expect(states.flatMap((e) => e.rows).length).toBeLessThan(served);
    const assessments = exchanges.filter((e) => /^securityresources/.test(e.query));
    expect(assessments.length).toBeGreaterThan(0);
    for (const e of assessments) {
      for (const row of e.rows) {
        expect(MAPPED_KEYS.has(lower(row.name))).toBe(true);
        for (const a of row.assessments) expect(lower(a.properties.resourceDetails.Id)).toContain("/providers/microsoft.cognitiveservices/accounts/");
      }
    }
    // The emulator does hold verdicts outside the scope: non-Speech accounts and storage nobody links.
    const outside = (tenant.policyResources ?? []).filter((r) => lower(String(r.type)) === STATE && !scope.all.has(lower(props(r).resourceId)));
    expect(outside.length).toBeGreaterThan(0);
    expect((tenant.securityResources ?? []).some((r) => !scope.accounts.has(lower(props(r).resourceDetails.Id)))).toBe(true);
  });

  it("keeps exactly the tenant's states and assessments of the resources in scope, as Resource Graph returned them", () => {
    const scope = scopeOf(snapshot);
    const visible = new Set(tenant.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId)));
    const expectedStates = (tenant.policyResources ?? []).filter((r) => lower(String(r.type)) === STATE && scope.all.has(lower(props(r).resourceId)));
    const gotStates = typed(snapshot.resources, STATE);
    expect(gotStates.map((s) => s.id).sort()).toEqual(expectedStates.map((s) => s.id).sort());
    const one = gotStates[0];
    const source = expectedStates.find((s) => s.id === one.id)!;
    for (const key of ["resourceId", "policyAssignmentId", "policyDefinitionId", "complianceState", "timestamp"])
      expect(props(one)[key]).toBe(props(source)[key]);
    const expectedAssessments = (tenant.securityResources ?? []).filter((r) => scope.accounts.has(lower(props(r).resourceDetails.Id)));
    expect(
      typed(snapshot.resources, ASSESSMENT)
        .map((a) => a.id)
        .sort(),
    ).toEqual(expectedAssessments.map((a) => a.id).sort());
    // Some accounts in scope have no assessment at all: Defender has not assessed them.
    const assessed = new Set(expectedAssessments.map((a) => lower(props(a).resourceDetails.Id)));
    expect([...scope.accounts].some((id) => !assessed.has(id))).toBe(true);
    expect([...scope.accounts].every((id) => visible.has(subOf(id)))).toBe(true);
  });

  it("reads the same verdict rows as the emulator's perfect snapshot of the tenant (the one tests and the browser seed use)", () => {
    const perfect = tenantSnapshot(tenant);
    for (const type of [STATE, EXEMPTION, ASSIGNMENT, ASSESSMENT]) {
      const want = typed(perfect.resources, type)
        .map((d) => lower(d.id))
        .sort();
      expect(want.length, type).toBeGreaterThan(0);
      expect(
        typed(snapshot.resources, type)
          .map((d) => lower(d.id))
          .sort(),
        type,
      ).toEqual(want);
    }
    expect(perfect.coverage).toEqual(snapshot.coverage);
  });

  it("names every assignment the states cite, the management-group one included, and keeps the exemptions", () => {
    const cited = new Set(typed(snapshot.resources, STATE).map((s) => lower(props(s).policyAssignmentId)));
    const assignments = typed(snapshot.resources, ASSIGNMENT);
    expect(new Set(assignments.map((a) => lower(a.id)))).toEqual(cited);
    expect(assignments.some((a) => /^\/providers\/microsoft\.management\/managementgroups\//i.test(a.id))).toBe(true);
    expect(assignments.some((a) => /^\/subscriptions\//i.test(a.id))).toBe(true);
    for (const a of assignments) expect(props(a).displayName).toEqual(expect.any(String));
    // Two assignments of the network built-in judge the same accounts.
    const network = assignments.filter((a) => guidOf(props(a).policyDefinitionId) === "037eea7a-bd0a-46c5-9a66-03aea78705d3");
    expect(network.length).toBe(2);
    const exemptions = typed(snapshot.resources, EXEMPTION);
    expect(exemptions.map((e) => props(e).exemptionCategory).sort()).toEqual(["Mitigated", "Waiver", "Waiver"]);
    const expired = exemptions.find((e) => props(e).expiresOn && Date.parse(props(e).expiresOn) < Date.UTC(2026, 10, 30))!;
    const stateOfExpired = typed(snapshot.resources, STATE).find(
      (s) => lower(props(s).policyAssignmentId) === lower(props(expired).policyAssignmentId) && expired.id.toLowerCase().startsWith(lower(props(s).resourceId)),
    )!;
    expect(props(stateOfExpired).complianceState).not.toBe("Exempt");
    expect(typed(snapshot.resources, STATE).filter((s) => props(s).complianceState === "Exempt").length).toBe(2);
    expect(snapshot.coverage).toEqual(expect.arrayContaining(["azurePolicy", "defender"]));
    expect(snapshot.errors.filter((e) => e.source === "azurePolicy" || e.source === "defender")).toEqual([]);
  });

  it("yields Azure-lenient findings where the built-ins' defaults let data at risk pass, and every agreement the demo shows", () => {
    const { findings } = evaluateSnapshot(snapshot);
    const count = (agreement: string) => findings.filter((f) => f.agreement === agreement).length;
    expect(count("azure_lenient")).toBeGreaterThan(0);
    for (const a of ["agree", "azure_lenient", "azure_stricter", "azure_silent", "azure_exempt", "not_compared"]) expect(count(a), a).toBeGreaterThan(0);
    expect(count("not_collected")).toBe(0);
    const accounts = new Map(snapshot.resources.filter(isSpeechAccount).map((a) => [lower(a.id), a]));
    // CMK-1: Microsoft-managed keys on a kind the built-in excludes by default.
    const cmk = findings.filter((f) => f.controlId === "CMK-1" && f.agreement === "azure_lenient");
    expect(cmk.length).toBeGreaterThan(0);
    // Either the kind is excluded by default, or the key is a Key Vault key Azure accepts while we fail its vault or version.
    const excludedKind = (a: AzureDocument) => CMK_EXCLUDED_KINDS.map(lower).includes(lower(String(a.kind)));
    const keyVaultKey = (a: AzureDocument) => lower(String(props(a).encryption?.keySource)) === "microsoft.keyvault";
    for (const f of cmk) {
      const a = accounts.get(lower(f.resourceId))!;
      expect(excludedKind(a) || keyVaultKey(a), f.resourceId).toBe(true);
    }
    expect(cmk.some((f) => excludedKind(accounts.get(lower(f.resourceId))!) && !keyVaultKey(accounts.get(lower(f.resourceId))!))).toBe(true);
    // LOG-2: a logs entry that is disabled or not an audit category satisfies the built-in.
    const logs = findings.filter((f) => f.controlId === "LOG-2" && f.agreement === "azure_lenient");
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) {
      const settings = (snapshot.diagnosticSettings[accounts.get(lower(f.resourceId))!.id] ?? []) as { properties: { logs: unknown[] } }[];
      expect(settings.some((s) => s.properties.logs.length > 0)).toBe(true);
    }
  });
});

describe("Azure's verdicts under failures, restricted callers and re-checks", () => {
  it("records a failed policy batch as azurePolicy errors on its subscriptions, claims no azurePolicy coverage, and keeps Defender's", async () => {
    const tenant = generateTenant({ seed: 31, subscriptions: 4, accounts: 16 });
    const emu = await startEmulator({ port: 0, quota: false, tenant });
    try {
      const target = emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry });
      // Resource Graph fails every attempt of the first verdict query (1 + 2 retries), then recovers.
      const { snapshot } = await collect(target, {
        onProgress: (p) => {
          if (p.phase === "azureVerdicts") emu.setFaults({ serverErrors: { everyNth: 1, count: 3, match: "arg" } });
        },
      });
      const policyErrors = snapshot.errors.filter((e) => e.source === "azurePolicy");
      const accountSubs = new Set(snapshot.resources.filter(isSpeechAccount).map((a) => subOf(a.id)));
      expect(new Set(policyErrors.map((e) => e.scope))).toEqual(new Set([...accountSubs].map((s) => `/subscriptions/${s}`)));
      expect(policyErrors.every((e) => e.reason === "collection_error")).toBe(true);
      expect(snapshot.coverage).not.toContain("azurePolicy");
      expect(snapshot.coverage).toContain("defender");
      expect(typed(snapshot.resources, STATE)).toEqual([]);
      expect(typed(snapshot.resources, ASSESSMENT).length).toBeGreaterThan(0);
      const { findings } = evaluateSnapshot(snapshot);
      expect(new Set(findings.map((f) => f.agreement))).toEqual(new Set(["not_collected"]));
    } finally {
      await emu.close();
    }
  });

  it("shows a restricted caller only the verdicts on resources it may read, and the assignments above them", async () => {
    const tenant = generateTenant({ seed: 33, subscriptions: 4, accounts: 16 });
    const emu = await startEmulator({ port: 0, quota: false, tenant });
    try {
      const account = tenant.resources.find(
        (r) => isSpeechAccount(r) && tenant.subscriptions.some((s) => s.visible && lower(s.subscriptionId) === subOf(r.id)),
      )!;
      const group = account.id.split("/providers/")[0];
      // The emulator credential presents `emulator-<caller>` as the caller.
      emu.setPrincipals({ "emulator-narrow": [group] });
      const target = emulatorTarget({ url: emu.url, ca: emu.ca, caller: "narrow", retryOptions: fastRetry });
      const { snapshot } = await collect(target);
      const states = typed(snapshot.resources, STATE);
      expect(states.length).toBeGreaterThan(0);
      for (const s of states) expect(lower(props(s).resourceId).startsWith(`${lower(group)}/`)).toBe(true);
      for (const a of typed(snapshot.resources, ASSESSMENT)) expect(lower(props(a).resourceDetails.Id).startsWith(`${lower(group)}/`)).toBe(true);
      // The baseline is assigned at a management group above the group: inherited, so readable.
      expect(typed(snapshot.resources, ASSIGNMENT).some((a) => /managementgroups\/mg-contoso\//i.test(a.id))).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it("re-checks one account with the same verdict rows a full scan reads for it", async () => {
    const tenant = generateTenant({ seed: 35, subscriptions: 3, accounts: 12 });
    const emu = await startEmulator({ port: 0, quota: false, tenant });
    try {
      const target = emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry });
      const full = (await collect(target)).snapshot;
      const account = full.resources.filter(isSpeechAccount).find((a) => typed(full.resources, STATE).some((s) => lower(props(s).resourceId) === lower(a.id)))!;
      const single = (await collect(target, { accountId: account.id })).snapshot;
      const forAccount = (snap: Snapshot) =>
        [...typed(snap.resources, STATE), ...typed(snap.resources, ASSESSMENT)]
          .filter((r) => lower(props(r).resourceId ?? props(r).resourceDetails?.Id) === lower(account.id))
          .map((r) => r.id)
          .sort();
      expect(forAccount(single).length).toBeGreaterThan(0);
      expect(forAccount(single)).toEqual(forAccount(full));
      expect(single.coverage).toEqual(expect.arrayContaining(["azurePolicy", "defender"]));
      // Nothing about the other accounts.
      const others = typed(single.resources, STATE).filter((s) => lower(props(s).resourceId).includes("/microsoft.cognitiveservices/accounts/"));
      expect(new Set(others.map((s) => lower(props(s).resourceId)))).toEqual(new Set([lower(account.id)]));
    } finally {
      await emu.close();
    }
  });
});
