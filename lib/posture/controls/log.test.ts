import { describe, expect, it } from "vitest";
import type { SnapshotError } from "@/lib/posture/snapshot";
import { ACCOUNT_ID, account, findingOf, judge, linking, snapshot, storage, storageId, SUB } from "@/lib/posture/testing/fixtures";

const ST = storageId("stspeech01");
const endpoint = (name: string, properties: Record<string, unknown>) => ({
  self: `https://westeurope.api.cognitive.microsoft.com/speechtotext/v3.2/endpoints/${name}-id`,
  displayName: name,
  locale: "en-US",
  status: "Succeeded",
  properties: { timeToLive: "PT30M", ...properties },
});
const setting = (properties: Record<string, unknown>, name = "to-law") => ({
  id: `${ACCOUNT_ID}/providers/microsoft.insights/diagnosticSettings/${name}`,
  name,
  type: "Microsoft.Insights/diagnosticSettings",
  properties,
});
const LAW = `/subscriptions/${SUB}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law`;

describe("LOG-1 endpoint content logging", () => {
  it("is unknown not_collected when the map has no entry for the resource", () => {
    expect(judge("LOG-1", { resources: [account()] })).toMatchObject({ status: "unknown", reason: "not_collected" });
  });

  it("passes for an empty list: no custom endpoints", () => {
    const f = judge("LOG-1", { resources: [account()], speechEndpoints: { [ACCOUNT_ID]: [] } });
    expect(f).toMatchObject({ status: "pass", message: "speech-prod-01 has no custom speech endpoints, so none logs audio or transcripts." });
  });

  it("finds the entry whatever the casing of its key", () => {
    expect(judge("LOG-1", { resources: [account()], speechEndpoints: { [ACCOUNT_ID.toUpperCase()]: [] } }).status).toBe("pass");
  });

  it.each([
    ["loggingEnabled true without BYOS", [account()], { loggingEnabled: true }, "fail"],
    ["contentLoggingEnabled (write name) true without BYOS", [account()], { contentLoggingEnabled: true }, "fail"],
    ["logging with BYOS", [account(linking(ST)), storage("stspeech01")], { loggingEnabled: true }, "pass"],
    ["logging off", [account()], { loggingEnabled: false }, "pass"],
    ["logging null", [account()], { loggingEnabled: null }, "pass"],
  ])("%s → %s", (_, resources, properties, status) => {
    expect(judge("LOG-1", { resources, speechEndpoints: { [ACCOUNT_ID]: [endpoint("call-center", properties)] } }).status).toBe(status);
  });

  it("names the logging endpoints", () => {
    const endpoints = [
      endpoint("call-center", { loggingEnabled: true }),
      endpoint("quiet", { loggingEnabled: false }),
      endpoint("ivr", { contentLoggingEnabled: true }),
    ];
    const f = judge("LOG-1", { resources: [account()], speechEndpoints: { [ACCOUNT_ID]: endpoints } });
    expect(f.message).toBe(
      "Custom endpoints call-center and ivr of speech-prod-01 log audio and transcripts into Microsoft-managed storage, because speech-prod-01 has no customer-owned storage (BYOS).",
    );
    expect(f.evidence[0].actual).toEqual(["call-center", "ivr"]);
  });

  const collected = { [ACCOUNT_ID]: [endpoint("x", { loggingEnabled: false })] };
  it.each<[string, SnapshotError, string]>([
    ["a resource-scoped error", { scope: ACCOUNT_ID.toLowerCase(), source: "speechEndpoints", reason: "network_blocked" }, "network_blocked"],
    [
      "a subscription-scoped error",
      { scope: `/subscriptions/${SUB}`, source: "speechEndpoints", reason: "access_denied", code: "AuthorizationFailed" },
      "access_denied",
    ],
    ["an error without a listed reason", { scope: ACCOUNT_ID, source: "speechEndpoints", reason: "throttled" as never }, "collection_error"],
    ["an error without a reason", { scope: ACCOUNT_ID, source: "speechEndpoints" } as SnapshotError, "collection_error"],
  ])("is unknown for %s, even when an entry exists", (_, error, reason) => {
    expect(judge("LOG-1", { resources: [account()], speechEndpoints: collected, errors: [error] })).toMatchObject({ status: "unknown", reason });
  });

  it("ignores errors of another source or another subscription", () => {
    const errors: SnapshotError[] = [
      { scope: ACCOUNT_ID, source: "diagnosticSettings", reason: "access_denied" },
      { scope: "/subscriptions/99999999-8888-7777-6666-555555555555", source: "speechEndpoints", reason: "access_denied" },
    ];
    expect(judge("LOG-1", { resources: [account()], speechEndpoints: collected, errors }).status).toBe("pass");
  });
});

describe.each([
  ["LOG-1", "speechEndpoints"],
  ["LOG-2", "diagnosticSettings"],
] as const)("%s: which %s error applies (most specific scope, then first listed)", (controlId, source) => {
  const RG = ACCOUNT_ID.slice(0, ACCOUNT_ID.indexOf("/providers/"));
  const e = (scope: string, reason?: string): SnapshotError => ({ scope, source, ...(reason === undefined ? {} : { reason }) }) as SnapshotError;
  const parts = (errors: SnapshotError[]) => ({
    resources: [account()],
    speechEndpoints: { [ACCOUNT_ID]: [] },
    diagnosticSettings: { [ACCOUNT_ID]: [] },
    errors,
  });

  it.each<[string, SnapshotError[], string | null]>([
    ["its resource group", [e(RG, "network_blocked")], "network_blocked"],
    ["its resource group, in other casing with a trailing slash", [e(`${RG.toUpperCase()}/`, "access_denied")], "access_denied"],
    ["the resource over its subscription", [e(`/subscriptions/${SUB}`, "network_blocked"), e(ACCOUNT_ID, "access_denied")], "access_denied"],
    ["the resource over its resource group", [e(RG, "network_blocked"), e(ACCOUNT_ID, "access_denied")], "access_denied"],
    ["the resource group over the subscription", [e(`/subscriptions/${SUB}`, "access_denied"), e(RG, "network_blocked")], "network_blocked"],
    ["the first listed at the same scope", [e(ACCOUNT_ID, "network_blocked"), e(`${ACCOUNT_ID}/`, "access_denied")], "network_blocked"],
    ["an unknown reason counts as collection_error", [e(RG, "quota_exceeded")], "collection_error"],
    ["a most specific entry with an unknown reason still wins", [e(`/subscriptions/${SUB}`, "access_denied"), e(ACCOUNT_ID, "?")], "collection_error"],
  ])("%s", (_, errors, reason) => {
    expect(judge(controlId, parts(errors))).toMatchObject({ status: "unknown", reason });
  });

  it.each([
    ["a resource group whose name extends the account's", `${RG}-2`],
    ["a resource group that is a name prefix", RG.slice(0, -2)],
    ["a resource whose name extends the account's", `${ACCOUNT_ID}-2`],
    ["a resource below the account", `${ACCOUNT_ID}/privateEndpointConnections/pe`],
  ])("ignores an entry at %s (whole path segments)", (_, scope) => {
    expect(judge(controlId, parts([e(scope, "access_denied")])).status).not.toBe("unknown");
  });
});

describe("LOG-2 audit logs exported", () => {
  const run = (settings: unknown[], errors: SnapshotError[] = []) =>
    judge("LOG-2", { resources: [account()], diagnosticSettings: { [ACCOUNT_ID]: settings }, errors });

  it.each([
    ["category Audit to a workspace", [setting({ workspaceId: LAW, logs: [{ category: "Audit", enabled: true }] })], "pass"],
    ["categoryGroup audit", [setting({ storageAccountId: storageId("stlogs"), logs: [{ categoryGroup: "audit", enabled: true }] })], "pass"],
    [
      "categoryGroup allLogs (any casing)",
      [setting({ eventHubAuthorizationRuleId: "/x/authorizationrules/send", logs: [{ categoryGroup: "ALLLOGS", enabled: true }] })],
      "pass",
    ],
    ["marketplace partner destination", [setting({ marketplacePartnerId: "/partner/x", logs: [{ category: "audit", enabled: true }] })], "pass"],
    ["Audit disabled", [setting({ workspaceId: LAW, logs: [{ category: "Audit", enabled: false }] })], "fail"],
    ["only RequestResponse", [setting({ workspaceId: LAW, logs: [{ category: "RequestResponse", enabled: true }] })], "fail"],
    ["no destination", [setting({ workspaceId: " ", logs: [{ category: "Audit", enabled: true }] })], "fail"],
    [
      "destination and audit in different settings",
      [setting({ workspaceId: LAW, logs: [] }, "a"), setting({ logs: [{ category: "Audit", enabled: true }] }, "b")],
      "fail",
    ],
    ["no settings", [], "fail"],
  ])("%s → %s", (_, settings, status) => {
    expect(run(settings).status).toBe(status);
  });

  it("names the exporting setting", () => {
    const f = run([setting({ workspaceId: LAW, logs: [{ category: "Audit", enabled: true }] }, "audit-to-law")]);
    expect(f.message).toBe("speech-prod-01 exports its audit logs through diagnostic setting audit-to-law.");
  });

  it("is unknown not_collected without an entry, and unknown with the error's reason for a diagnosticSettings error", () => {
    expect(judge("LOG-2", { resources: [account()] })).toMatchObject({ status: "unknown", reason: "not_collected" });
    const error: SnapshotError = { scope: `/subscriptions/${SUB.toUpperCase()}`, source: "diagnosticSettings", reason: "access_denied" };
    expect(run([], [error])).toMatchObject({ status: "unknown", reason: "access_denied" });
  });
});

describe("IDs with a trailing slash", () => {
  // Azure never writes one, but a hand-edited snapshot may: an error scoped to the account must
  // still apply, or LOG-1 / LOG-2 would pass on data that could not be read.
  const slashed = `${ACCOUNT_ID}/`;
  it.each([
    ["LOG-1", "speechEndpoints"],
    ["LOG-2", "diagnosticSettings"],
  ] as const)("%s applies an error scoped to the account's ID, either spelled", (controlId, source) => {
    for (const [id, scope] of [
      [slashed, slashed],
      [slashed, ACCOUNT_ID],
      [ACCOUNT_ID, slashed],
    ]) {
      const f = findingOf(
        snapshot({ resources: [account({}, { id })], [source]: { [id]: [] }, errors: [{ scope, source, reason: "access_denied" }] }),
        controlId,
        id,
      );
      expect(f, `${id} / ${scope}`).toMatchObject({ status: "unknown", reason: "access_denied" });
    }
  });

  it("finds a linked storage account whose link ends in a slash", () => {
    expect(judge("BYOS-2", { resources: [account(linking(`${ST}/`)), storage("stspeech01", { allowSharedKeyAccess: false })] }).status).toBe("pass");
  });
});
