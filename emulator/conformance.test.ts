/**
 * Every response the emulator sends in a representative session (ARM GETs and lists, Resource Graph
 * pages, diagnostic settings, Speech endpoints, and their errors) validates against the vendored
 * operation's response schema (Azure/azure-rest-api-specs, lib/azure/conformance/fixtures/specs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asServiceRequest } from "@/lib/azure/conformance/recorder";
import { matchRequest, operation, responseProblems } from "@/lib/azure/conformance/specs";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { API_VERSIONS } from "./routes/api-versions";
import { SPEECH_API_VERSIONS } from "./routes/speech";
import { startEmulator, type RunningEmulator } from "./server";
import { raw } from "./testing/clients";

type Props = Record<string, any>;
const props = (d: AzureDocument) => (d.properties ?? {}) as Props;
const ARG = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";

interface Sent {
  method: string;
  url: string;
  requestBody?: string;
  status: number;
  responseBody?: string;
}

describe("the emulator's responses against Microsoft's response schemas", () => {
  let emu: RunningEmulator;
  const session: Sent[] = [];
  const send = async (path: string, token = "conformance", method = "GET", body?: unknown) => {
    const requestBody = body === undefined ? undefined : JSON.stringify(body);
    const r = await raw(path.startsWith("https://") ? path : `${emu.url}${path}`, {
      ca: emu.ca,
      method,
      headers: { authorization: `Bearer ${token}`, ...(requestBody ? { "content-type": "application/json" } : {}) },
      body: requestBody,
    });
    session.push({ method, url: path.startsWith("https://") ? path : `${emu.url}${path}`, requestBody, status: r.status, responseBody: r.text });
    return r;
  };

  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
    const t = emu.tenant;
    const visible = t.subscriptions.filter((s) => s.visible);
    const inVisible = (d: AzureDocument) => visible.some((s) => s.subscriptionId === d.subscriptionId);
    const accounts = t.resources.filter((r) => isSpeechAccount(r) && inVisible(r));
    const storage = t.resources.filter((r) => r.type === "microsoft.storage/storageaccounts" && inVisible(r));
    const vaults = t.resources.filter((r) => r.type === "microsoft.keyvault/vaults" && inVisible(r));
    const hidden = t.resources.find((r) => r.type === "microsoft.storage/storageaccounts" && !inVisible(r))!;
    const group = accounts[0].id.split("/").slice(0, 5).join("/");
    emu.setPrincipals({ "rg-reader": [group] });

    // ARM: accounts (list, get), storage accounts and vaults by ID, diagnostic settings; and their errors.
    for (const s of visible) await send(`/subscriptions/${s.subscriptionId}/providers/Microsoft.CognitiveServices/accounts?api-version=2025-12-01`);
    for (const a of accounts.slice(0, 12)) {
      await send(`${a.id}?api-version=2025-12-01`);
      await send(`${a.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`);
    }
    for (const s of storage.slice(0, 12)) await send(`${s.id}?api-version=2025-08-01`);
    for (const v of vaults.slice(0, 6)) await send(`${v.id}?api-version=2025-05-01`);
    await send(`${accounts[0].id.replace(/[^/]+$/, "not-there")}?api-version=2025-12-01`);
    await send(`${hidden.id}?api-version=2025-08-01`);
    await send(`${vaults[0].id.replace(/[^/]+$/, "kv-not-there")}?api-version=2025-05-01`);
    await send(`${accounts[1].id}?api-version=2025-12-01`, "rg-reader");
    await send(`${accounts[0].id.replace(/[^/]+$/, "not-there")}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`);

    // Resource Graph: pages with skip tokens, tables, management-group scope, the above filter, errors.
    let token: string | undefined;
    do {
      const r = await send(ARG, "conformance", "POST", { query: "resources | project id, name, type, properties", options: { $top: 50, $skipToken: token } });
      token = r.json.$skipToken;
    } while (token);
    await send(ARG, "conformance", "POST", { query: "resources | summarize count() by type", options: { resultFormat: "table" } });
    await send(ARG, "conformance", "POST", { query: "resourcecontainers | project subscriptionId, properties", managementGroups: ["mg-contoso"] });
    await send(ARG, "conformance", "POST", {
      query: "authorizationresources | project id, properties",
      subscriptions: visible.map((s) => s.subscriptionId),
      options: { authorizationScopeFilter: "AtScopeAboveAndBelow" },
    });
    await send(ARG, "conformance", "POST", { query: "resources | take 5" });
    // Azure's own verdicts: policy states (bag_pack projection), assignments above the subscriptions, assessments.
    await send(ARG, "conformance", "POST", {
      query: "policyresources | where type =~ 'microsoft.policyinsights/policystates' | project id, properties = bag_pack('state', properties.complianceState)",
      subscriptions: visible.map((s) => s.subscriptionId),
    });
    await send(ARG, "conformance", "POST", {
      query: "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id, name, properties",
      subscriptions: visible.map((s) => s.subscriptionId),
      options: { authorizationScopeFilter: "AtScopeAboveAndBelow" },
    });
    await send(ARG, "conformance", "POST", {
      query: "securityresources | where type =~ 'microsoft.security/assessments' | project id, name, properties",
      options: { resultFormat: "table" },
    });
    await send(ARG, "rg-reader", "POST", { query: "resources | project id", subscriptions: visible.map((s) => s.subscriptionId) });
    await send(ARG, "rg-reader", "POST", { query: "resources | project id", subscriptions: [visible.at(-1)!.subscriptionId] });
    await send(ARG, "conformance", "POST", { query: "resources | mv-expand x = properties.list limit 500" });
    await send(ARG, "conformance", "POST", { query: "resources", options: { $skipToken: "forged" } });

    // Speech to text 2025-10-15: list pages, one endpoint, an unknown one, a closed network.
    for (const a of accounts.filter((x) => props(x).customSubDomainName)) {
      let next: string | undefined = `/speech/${props(a).customSubDomainName}/speechtotext/endpoints?api-version=2025-10-15&top=1`;
      while (next) {
        const r = await send(next);
        if (r.status !== 200) break;
        if (r.json.values[0]) await send(r.json.values[0].self);
        next = r.json["@nextLink"];
      }
    }
    const open = accounts.find(
      (a) => props(a).customSubDomainName && props(a).publicNetworkAccess !== "Disabled" && props(a).networkAcls?.defaultAction !== "Deny",
    )!;
    await send(`/speech/${props(open).customSubDomainName}/speechtotext/endpoints/00000000-0000-0000-0000-000000000000?api-version=2025-10-15`);
  });
  afterAll(() => emu.close());

  it("sends only requests that match a vendored operation, in a session wide enough to mean something", () => {
    const unmatched = session.filter((s) => !matchRequest(asServiceRequest(s)));
    expect(unmatched.map((s) => `${s.method} ${s.url}`)).toEqual([]);
    const statuses = new Set(session.map((s) => s.status));
    for (const status of [200, 400, 403, 404]) expect(statuses, `a ${status} response`).toContain(status);
    const operations = new Set(session.map((s) => matchRequest(asServiceRequest(s))!.operation.operationId));
    expect([...operations].sort()).toEqual(
      [
        "Accounts_Get",
        "Accounts_List",
        "DiagnosticSettings_List",
        "Endpoints_Get",
        "Endpoints_List",
        "Resources",
        "StorageAccounts_GetProperties",
        "Vaults_Get",
      ].sort(),
    );
  });

  it("answers every one of them with a body that validates against the operation's schema for its status", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const s of session) {
      const match = matchRequest(asServiceRequest(s))!;
      const found = responseProblems(match.operation, s.status, s.responseBody);
      if (found === undefined) continue; // the spec declares no schema for this status (Storage's GET declares only 200)
      checked++;
      if (found.length) problems.push(`${s.method} ${s.url} → ${s.status}: ${found.join("; ")}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });

  it("accepts, as its newest version of each type, the version of the vendored spec (and nothing newer)", () => {
    const newest = (type: string) => [...API_VERSIONS[type]].sort().at(-1);
    expect(newest("microsoft.cognitiveservices/accounts")).toBe(operation("Accounts_Get").apiVersion);
    expect(newest("microsoft.storage/storageaccounts")).toBe(operation("StorageAccounts_GetProperties").apiVersion);
    expect(newest("microsoft.keyvault/vaults")).toBe(operation("Vaults_Get").apiVersion);
    expect(newest("microsoft.insights/diagnosticsettings")).toBe(operation("DiagnosticSettings_List").apiVersion);
    expect([...SPEECH_API_VERSIONS].sort().at(-1)).toBe(operation("Endpoints_List").apiVersion);
  });
});
