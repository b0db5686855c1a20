import { describe, expect, it } from "vitest";
import { parseResetsAfter } from "./resource-graph";
import { CLOUDS, emulatorCloud, isValidCustomSubDomain } from "./clouds";
import { linkedStorageIds, subscriptionOfId } from "./links";
import { classifyError } from "./errors";
import { checkedNextLink } from "./details";
import { ConfigurationError, liveTargetFromEnv } from "./target";
import { defenderAssessmentsQuery, kqlString, policyStatesQuery } from "./queries";
import { idChunks } from "./id-chunks";

describe("quota header parsing", () => {
  it.each([
    ["00:00:05", 5000],
    ["00:01:00", 60_000],
    ["01:00:00.5", 3_600_500],
    ["1.00:00:00", 86_400_000],
  ])("%s → %d ms", (text, ms) => expect(parseResetsAfter(text)).toBe(ms));
  it.each([undefined, "", "5", "soon", "00:5"])("rejects %s", (text) => expect(parseResetsAfter(text as string | undefined)).toBeUndefined());
});

describe("cloud configuration", () => {
  it("builds Speech data-plane URLs only from valid DNS labels", () => {
    expect(isValidCustomSubDomain("contoso-speech")).toBe(true);
    for (const bad of ["", "-x", "x-", "a.b", "evil.com/", "a b", "x".repeat(64)]) expect(isValidCustomSubDomain(bad)).toBe(false);
    expect(CLOUDS.AzurePublicCloud.speechBaseUrl("Contoso")).toBe("https://contoso.cognitiveservices.azure.com");
    expect(CLOUDS.AzureUSGovernment.speechBaseUrl("x")).toBe("https://x.cognitiveservices.azure.us");
    expect(CLOUDS.AzureChinaCloud.armEndpoint).toBe("https://management.chinacloudapi.cn");
  });
  it("follows an @nextLink only on the host (and data plane) that was called", () => {
    const base = CLOUDS.AzurePublicCloud.speechBaseUrl("a");
    const next = "https://a.cognitiveservices.azure.com/speechtotext/endpoints?skip=100&api-version=2025-10-15";
    expect(checkedNextLink(next, base)).toBe(next);
    for (const foreign of [
      "https://b.cognitiveservices.azure.com/speechtotext/endpoints?skip=100",
      "https://westus.api.cognitive.microsoft.com/speechtotext/endpoints?skip=2",
      "https://a.cognitiveservices.azure.com.evil.net/x",
      "http://a.cognitiveservices.azure.com/x",
      "https://a.cognitiveservices.azure.com:8443/x",
    ])
      expect(() => checkedNextLink(foreign, base), foreign).toThrow(/not the account's own data plane/);
    expect(() => checkedNextLink("not a url", base)).toThrow(/not a URL/);
    const emu = emulatorCloud("https://127.0.0.1:4443").speechBaseUrl("a");
    expect(checkedNextLink("https://127.0.0.1:4443/speech/a/speechtotext/endpoints?skip=1", emu)).toContain("/speech/a/");
    expect(() => checkedNextLink("https://127.0.0.1:4443/speech/b/speechtotext/endpoints", emu)).toThrow(/not the account's own data plane/);
    expect(() => checkedNextLink("https://127.0.0.1:4444/speech/a/speechtotext/endpoints", emu)).toThrow(/not the account's own data plane/);
  });
});

describe("following links", () => {
  const account = (props: Record<string, unknown>) => ({
    id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a",
    properties: props,
  });
  it("collects linked storage IDs once, case-insensitively, ignoring blanks", () => {
    const a = account({ userOwnedStorage: [{ resourceId: "/subscriptions/S1/x/Storage1" }, { resourceId: "  " }, {}] });
    const b = account({ userOwnedStorage: [{ resourceId: "/subscriptions/s1/x/storage1" }, { resourceId: "/subscriptions/s2/x/storage2" }] });
    expect(linkedStorageIds([a, b, account({})])).toEqual(["/subscriptions/S1/x/Storage1", "/subscriptions/s2/x/storage2"]);
  });
  it("reads subscription GUIDs", () => {
    expect(subscriptionOfId("/SUBSCRIPTIONS/abc/resourceGroups/x")).toBe("abc");
    expect(subscriptionOfId("/providers/x")).toBeUndefined();
  });
});

describe("error classification", () => {
  it("maps ARM errors to the reasons controls read, keeping the service's code", () => {
    expect(classifyError({ statusCode: 403, details: { error: { code: "AuthorizationFailed", message: "no" } } })).toMatchObject({
      reason: "access_denied",
      code: "AuthorizationFailed",
    });
    expect(
      classifyError({ statusCode: 403, details: { error: { code: "Forbidden", message: "Public access is disabled. Please configure private endpoint." } } }),
    ).toMatchObject({ reason: "network_blocked" });
    expect(classifyError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" })).toMatchObject({ reason: "network_blocked", code: "ECONNREFUSED" });
    expect(classifyError({ statusCode: 500, message: "boom" })).toMatchObject({ reason: "collection_error", code: "HTTP500" });
  });
});

describe("live configuration", () => {
  it("says what to set when nothing is configured, without probing", () => {
    expect(() => liveTargetFromEnv({})).toThrow(ConfigurationError);
    expect(() => liveTargetFromEnv({})).toThrow(/AZURE_TENANT_ID/);
    expect(() => liveTargetFromEnv({ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c" })).toThrow(/no secret/);
    expect(() => liveTargetFromEnv({ AZURE_CLOUD: "Mars" })).toThrow(/AZURE_CLOUD=Mars/);
  });
  it("picks the cloud's endpoints", () => {
    const t = liveTargetFromEnv({ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s", AZURE_CLOUD: "AzureUSGovernment" });
    expect(t.cloud.armEndpoint).toBe("https://management.usgovcloudapi.net");
    expect(t.source).toBe("live");
  });
});

describe("KQL literals", () => {
  it("quotes IDs so a document cannot change the query", () => {
    expect(kqlString("a'b")).toBe("'a\\'b'");
    expect(kqlString("a\\'; drop")).toBe("'a\\\\\\'; drop'");
  });
});

describe("resource-ID chunks for KQL lists", () => {
  const id = (sub: string, n: number) => `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a${n}`;

  it("keeps each chunk's IDs within the budget, drops case duplicates and names each chunk's subscriptions", () => {
    const ids = [
      ...Array.from({ length: 30 }, (_, i) => id("SUB-B", i)),
      ...Array.from({ length: 30 }, (_, i) => id("sub-a", i)),
      id("sub-a", 0).toUpperCase(),
    ];
    const budget = 10 * (id("sub-a", 10).length + 4);
    const chunks = idChunks(ids, budget);
    expect(chunks.flatMap((c) => c.ids)).toHaveLength(60);
    for (const c of chunks) expect(c.ids.reduce((n, x) => n + x.length + 4, 0)).toBeLessThanOrEqual(budget);
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    // Sorted, so a chunk spans one subscription here.
    for (const c of chunks) expect(c.subscriptions).toHaveLength(1);
    expect(new Set(chunks.flatMap((c) => c.subscriptions))).toEqual(new Set(["sub-a", "sub-b"]));
  });

  it("makes no chunk of nothing, and one chunk of an ID longer than the budget", () => {
    expect(idChunks([])).toEqual([]);
    expect(idChunks([id("s", 1)], 5)).toEqual([{ ids: [id("s", 1).toLowerCase()], subscriptions: ["s"] }]);
  });
});

describe("verdict queries", () => {
  it("restrict policy states to the definitions and the subject types, assessments to the keys and accounts, and quote what they splice", () => {
    const q = policyStatesQuery(["67121cc7-ff39-4ab8-b7e3-95b84dab487d", "it's"]);
    expect(q).toContain("endswith '/67121cc7-ff39-4ab8-b7e3-95b84dab487d' or tostring(properties.policyDefinitionId) endswith '/it\\'s'");
    expect(q).toContain("in ('microsoft.cognitiveservices/accounts', 'microsoft.storage/storageaccounts', 'microsoft.keyvault/vaults')");
    expect(q).toMatch(/summarize states = make_list\(.*\) by subscriptionId, policyAssignmentId = /);
    const d = defenderAssessmentsQuery(["k1", "O'Brien"]);
    expect(d).toContain("name in~ ('k1', 'O\\'Brien')");
    expect(d).toContain("contains '/providers/microsoft.cognitiveservices/accounts/'");
  });
});
