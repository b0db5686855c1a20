import { describe, expect, it } from "vitest";
import { parseResetsAfter } from "./resource-graph";
import { CLOUDS, emulatorCloud, isValidCustomSubDomain } from "./clouds";
import { linkedStorageIds, subscriptionOfId } from "./links";
import { classifyError } from "./errors";
import { ConfigurationError, liveTargetFromEnv } from "./target";
import { kqlString } from "./queries";

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
  it("accepts next links only on the configured data plane", () => {
    const pub = CLOUDS.AzurePublicCloud;
    expect(pub.isSpeechUrl(new URL("https://a.cognitiveservices.azure.com/speechtotext/v3.2/endpoints?skip=100"))).toBe(true);
    expect(pub.isSpeechUrl(new URL("https://a.cognitiveservices.azure.com.evil.net/x"))).toBe(false);
    expect(pub.isSpeechUrl(new URL("http://a.cognitiveservices.azure.com/x"))).toBe(false);
    expect(pub.isSpeechUrl(new URL("https://a.cognitiveservices.azure.com:8443/x"))).toBe(false);
    const emu = emulatorCloud("https://127.0.0.1:4443");
    expect(emu.isSpeechUrl(new URL("https://127.0.0.1:4443/speech/a/speechtotext/v3.2/endpoints"))).toBe(true);
    expect(emu.isSpeechUrl(new URL("https://127.0.0.1:4444/speech/a"))).toBe(false);
    expect(emu.isSpeechUrl(new URL("https://127.0.0.1:4443/subscriptions"))).toBe(false);
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
