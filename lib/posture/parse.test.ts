import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "./evaluate";
import { parseSnapshot, parseSnapshotText, SnapshotInputError } from "./parse";
import { ACCOUNT_ID, account, argAccount, OTHER_SUB, roleAssignment, snapshot, storage, storageId, SUB, vault } from "./testing/fixtures";

/** The error a bad input produces (fails the test when nothing is thrown). */
function problem(input: unknown): SnapshotInputError {
  try {
    if (typeof input === "string") parseSnapshotText(input);
    else parseSnapshot(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotInputError);
    return error as SnapshotInputError;
  }
  throw new Error("expected a SnapshotInputError");
}

const valid = () => JSON.parse(JSON.stringify(snapshot({ resources: [account(), storage("st1")] })));

describe("parseSnapshot: the four accepted shapes", () => {
  it("reads the snapshot format as is", () => {
    const snap = parseSnapshotText(JSON.stringify(valid()));
    expect(snap).toMatchObject({ kind: "speech-posture.snapshot", version: 1, collectedAt: "2026-11-28T10:00:00Z", subscriptions: [{ subscriptionId: SUB }] });
    expect(snap.resources).toHaveLength(2);
    expect(snap.coverage).toEqual(["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"]);
  });

  const docs = [
    argAccount(),
    storage("st1", {}, storageId("st1", OTHER_SUB.toUpperCase())),
    { id: `/subscriptions/${OTHER_SUB}/resourceGroups/x/providers/Microsoft.Compute/virtualMachines/vm`, type: "microsoft.compute/virtualmachines" },
  ];

  it.each([
    ["az graph query -o json", { count: 3, data: docs, skip_token: null, total_records: 3 }],
    ["a bare array", docs],
    ["an ARM list", { value: docs, nextLink: null }],
  ])("reads %s as resources only", (_, input) => {
    const snap = parseSnapshot(JSON.parse(JSON.stringify(input)));
    expect(snap.coverage).toEqual(["resources"]);
    expect(snap.resources).toHaveLength(3);
    expect(snap.errors).toEqual([]);
    expect(Object.keys(snap.diagnosticSettings)).toEqual([]);
    expect(Object.keys(snap.speechEndpoints)).toEqual([]);
    // subscriptionId fields and /subscriptions/{id} prefixes, once each whatever the casing.
    expect(snap.subscriptions.map((s) => s.subscriptionId.toLowerCase())).toEqual([SUB, OTHER_SUB]);
  });

  it("lists only GUIDs as the subscriptions of a bare export", () => {
    const odd = [
      { id: "/subscriptions/not-a-guid/resourceGroups/x/providers/Microsoft.Compute/virtualMachines/vm", subscriptionId: "  " },
      { id: "/tenants/t/providers/x/y/z", subscriptionId: "default" },
      { id: `/subscriptions/${SUB.toUpperCase()}/resourceGroups/x/providers/Microsoft.Compute/virtualMachines/vm2` },
    ];
    expect(parseSnapshot(odd).subscriptions).toEqual([{ subscriptionId: SUB.toUpperCase() }]);
  });

  it("reads a subscription's tenantId and managementGroupAncestors (trimmed), keeping null and [] apart", () => {
    const input = valid();
    input.subscriptions = [
      { subscriptionId: SUB, tenantId: "tenant-a", managementGroupAncestors: [" mg-speech ", "mg-root"] },
      { subscriptionId: OTHER_SUB, managementGroupAncestors: null },
      { subscriptionId: "11111111-2222-3333-4444-555555555555", managementGroupAncestors: [] },
    ];
    expect(parseSnapshot(input).subscriptions).toEqual([
      { subscriptionId: SUB, tenantId: "tenant-a", managementGroupAncestors: ["mg-speech", "mg-root"] },
      { subscriptionId: OTHER_SUB, managementGroupAncestors: null },
      { subscriptionId: "11111111-2222-3333-4444-555555555555", managementGroupAncestors: [] },
    ]);
  });

  it("accepts a UTF-8 byte-order mark", () => {
    expect(parseSnapshotText(`\uFEFF${JSON.stringify([argAccount()])}`).resources).toHaveLength(1);
  });

  it("canonicalises error sources and reasons; an unlisted or missing reason becomes collection_error", () => {
    const input = valid();
    input.errors = [
      { scope: ACCOUNT_ID, source: "SpeechEndpoints", reason: "ACCESS_DENIED", code: "AuthorizationFailed" },
      { scope: ACCOUNT_ID, source: "diagnosticSettings", reason: "throttled" },
      { scope: `/subscriptions/${SUB}`, source: "roleAssignments" },
    ];
    expect(parseSnapshot(input).errors).toEqual([
      { scope: ACCOUNT_ID, source: "speechEndpoints", reason: "access_denied", code: "AuthorizationFailed" },
      { scope: ACCOUNT_ID, source: "diagnosticSettings", reason: "collection_error" },
      { scope: `/subscriptions/${SUB}`, source: "roleAssignments", reason: "collection_error" },
    ]);
  });

  it("ignores coverage items it does not know and fields nobody reads", () => {
    const input = valid();
    input.coverage = ["resources", "keyVaultKeys"];
    input.futureSection = { anything: [1, 2, 3] };
    input.resources[0].properties.someNewAzureSetting = { deeply: { nested: true } };
    expect(parseSnapshot(input).coverage).toEqual(["resources"]);
  });

  it("does not hold documents of unread types (or non-Speech accounts) to the control shapes", () => {
    const vm = { id: "/subscriptions/x/vm", type: "Microsoft.Compute/virtualMachines", properties: { encryption: "on", userOwnedStorage: 5 } };
    const openai = { ...argAccount(), id: `${ACCOUNT_ID}-oai`, kind: "OpenAI", properties: { userOwnedStorage: "not-an-array" } };
    expect(parseSnapshot([vm, openai]).resources).toHaveLength(2);
  });
});

describe("parseSnapshot: malformed input names the first problem", () => {
  it.each([
    ["an empty file", "", "snapshot: the file is empty"],
    ["white space only", " \n\t ", "snapshot: the file is empty"],
    ["not JSON", "{ kind: snapshot", "snapshot: not valid JSON"],
    ["a JSON string", '"hello"', "snapshot: expected a JSON object or array, got a string"],
    ["JSON null", "null", "snapshot: expected a JSON object or array, got null"],
    ["an object of unknown shape", '{"foo": 1}', 'snapshot: expected a speech-posture snapshot (with "kind")'],
  ])("%s", (_, text, message) => {
    const error = problem(text);
    expect(error.path).toBe("");
    expect(error.message.startsWith(message)).toBe(true);
  });

  it.each<[string, (s: Record<string, any>) => void, string, string]>([
    ["unknown kind", (s) => (s.kind = "speech-posture.result"), "kind", '"speech-posture.result" is not a snapshot'],
    ["unsupported version", (s) => (s.version = 2), "version", "unsupported snapshot version 2; this build reads version 1"],
    ["version as text", (s) => (s.version = "1"), "version", "expected a number, got a string"],
    ["missing version", (s) => delete s.version, "version", "missing"],
    ["missing collectedAt", (s) => delete s.collectedAt, "collectedAt", "missing"],
    ["missing resources", (s) => delete s.resources, "resources", "missing"],
    ["missing subscriptions", (s) => delete s.subscriptions, "subscriptions", "missing"],
    ["missing coverage", (s) => delete s.coverage, "coverage", "missing"],
    ["missing errors", (s) => delete s.errors, "errors", "missing"],
    ["missing diagnosticSettings", (s) => delete s.diagnosticSettings, "diagnosticSettings", "missing"],
    ["missing speechEndpoints", (s) => delete s.speechEndpoints, "speechEndpoints", "missing"],
    ["resources not an array", (s) => (s.resources = {}), "resources", "expected an array, got an object"],
    ["a subscription without ID", (s) => (s.subscriptions = [{ displayName: "x" }]), "subscriptions[0].subscriptionId", "expected a non-empty string"],
    [
      "a numeric subscription tenantId",
      (s) => (s.subscriptions = [{ subscriptionId: SUB, tenantId: 7 }]),
      "subscriptions[0].tenantId",
      "expected a string, got a number",
    ],
    [
      "managementGroupAncestors as text",
      (s) => (s.subscriptions = [{ subscriptionId: SUB, managementGroupAncestors: "mg-speech" }]),
      "subscriptions[0].managementGroupAncestors",
      "expected an array of management group names (or null when not known), got a string",
    ],
    [
      "a blank management group name",
      (s) => (s.subscriptions = [{ subscriptionId: SUB, managementGroupAncestors: ["mg-speech", " "] }]),
      "subscriptions[0].managementGroupAncestors[1]",
      "expected a management group name (a non-empty string), got a string",
    ],
    [
      "a management group given as an object",
      (s) => (s.subscriptions = [{ subscriptionId: SUB, managementGroupAncestors: [{ name: "mg-speech" }] }]),
      "subscriptions[0].managementGroupAncestors[0]",
      "expected a management group name (a non-empty string), got an object",
    ],
    ["a coverage item that is not text", (s) => (s.coverage = ["resources", 7]), "coverage[1]", "expected a string, got a number"],
    [
      "an error with an unknown source",
      (s) => (s.errors = [{ scope: "/subscriptions/x", source: "keyVault" }]),
      "errors[0].source",
      "expected one of resourceGraph",
    ],
    ["an error without scope", (s) => (s.errors = [{ source: "resourceGraph" }]), "errors[0].scope", "expected a subscription or resource ID"],
    [
      "a map value that is not a list",
      (s) => (s.diagnosticSettings = { [ACCOUNT_ID]: {} }),
      `diagnosticSettings["${ACCOUNT_ID}"]`,
      "expected an array, got an object",
    ],
    [
      "a mistyped endpoint flag",
      (s) => (s.speechEndpoints = { [ACCOUNT_ID]: [{ properties: { loggingEnabled: "yes" } }] }),
      `speechEndpoints["${ACCOUNT_ID}"][0].properties.loggingEnabled`,
      "expected true, false or null, got a string",
    ],
    [
      "a diagnostic log entry that is not an object",
      (s) => (s.diagnosticSettings = { a: [{ properties: { logs: ["Audit"] } }] }),
      "diagnosticSettings.a[0].properties.logs[0]",
      "expected an object",
    ],
  ])("%s", (_, mutate, path, message) => {
    const input = valid();
    mutate(input);
    const error = problem(input);
    expect(error.path).toBe(path);
    expect(error.problem.startsWith(message)).toBe(true);
    // The path once, then (inside a document) the resource it is in, then the problem.
    expect(error.message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\([^)]*\\))?: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
  });

  const speech = (props: Record<string, unknown>, top: Record<string, unknown> = {}) => ({ ...argAccount(props), ...top });
  it.each<[string, unknown, string, string]>([
    [
      "userOwnedStorage as an object (the Foundry doc's mistake)",
      speech({ userOwnedStorage: { storageResourceId: "x" } }),
      "properties.userOwnedStorage",
      "expected an array, got an object",
    ],
    [
      "a userOwnedStorage entry that is a string",
      speech({ userOwnedStorage: [{ resourceId: "a" }, "b"] }),
      "properties.userOwnedStorage[1]",
      "expected an object, got a string",
    ],
    ["a numeric resourceId", speech({ userOwnedStorage: [{ resourceId: 5 }] }), "properties.userOwnedStorage[0].resourceId", "expected a string"],
    ["encryption as text", speech({ encryption: "Microsoft.KeyVault" }), "properties.encryption", "expected an object, got a string"],
    [
      "keyVaultProperties as a list",
      speech({ encryption: { keyVaultProperties: [] } }),
      "properties.encryption.keyVaultProperties",
      "expected an object, got an array",
    ],
    ["identity as a list", speech({}, { identity: ["SystemAssigned"] }), "identity", "expected an object, got an array"],
    ["identity.type as a number", speech({}, { identity: { type: 1 } }), "identity.type", "expected a string"],
    ["ipRules as an object", speech({ networkAcls: { ipRules: {} } }), "properties.networkAcls.ipRules", "expected an array"],
    [
      "a private endpoint status as a number",
      speech({ privateEndpointConnections: [{ properties: { privateLinkServiceConnectionState: { status: 1 } } }] }),
      "properties.privateEndpointConnections[0].properties.privateLinkServiceConnectionState.status",
      "expected a string",
    ],
    ["disableLocalAuth as text", speech({ disableLocalAuth: "true" }), "properties.disableLocalAuth", "expected true, false or null, got a string"],
    ["tags with a numeric value", speech({}, { tags: { env: 1 } }), "tags.env", "expected a string"],
    ["properties as a list", speech({}, { properties: [] }), "properties", "expected an object, got an array"],
    [
      "storage allowSharedKeyAccess as text",
      storage("st", { allowSharedKeyAccess: "false" }),
      "properties.allowSharedKeyAccess",
      "expected true, false or null",
    ],
    [
      "storage keyvaultproperties as text",
      storage("st", { encryption: { keySource: "Microsoft.Keyvault", keyvaultproperties: "x" } }),
      "properties.encryption.keyvaultproperties",
      "expected an object",
    ],
    ["vault purge protection as text", vault("kv", { enablePurgeProtection: "yes" }), "properties.enablePurgeProtection", "expected true, false or null"],
    ["role assignment principal as a number", { ...roleAssignment("/"), properties: { principalId: 42 } }, "properties.principalId", "expected a string"],
    ["a numeric type", { id: "/x", type: 7 }, "type", "expected a string"],
    [
      "a perimeter association's resource ID as a number",
      {
        id: "/x/resourceAssociations/a",
        type: "Microsoft.Network/networkSecurityPerimeters/resourceAssociations",
        properties: { privateLinkResource: { id: 1 } },
      },
      "properties.privateLinkResource.id",
      "expected a string",
    ],
    [
      "a perimeter association's access mode as a boolean",
      { id: "/x/resourceAssociations/a", type: "microsoft.network/networksecurityperimeters/resourceassociations", properties: { accessMode: true } },
      "properties.accessMode",
      "expected a string",
    ],
    [
      "a perimeter association's profile as text",
      { id: "/x/resourceAssociations/a", type: "microsoft.network/networksecurityperimeters/resourceassociations", properties: { profile: "p" } },
      "properties.profile",
      "expected an object",
    ],
  ])("%s", (_, doc, subPath, message) => {
    const input = valid();
    input.resources = [storage("ok"), storage("ok2"), storage("ok3"), JSON.parse(JSON.stringify(doc))];
    const error = problem(input);
    expect(error.path).toBe(`resources[3].${subPath}`);
    // Named by its ID, not by the array index alone; the path printed once.
    expect(error.message).toContain(`resources[3].${subPath} (`);
    expect(error.message).toContain(`${(doc as { id: string }).id}): ${message}`);
  });

  it.each<[string, unknown, string, string]>([
    ["a document without id", [argAccount(), { type: "x" }], "[1].id", "missing"],
    ["a blank id", [{ id: "  " }], "[0].id", "expected the ARM id as a non-empty string"],
    ["a numeric id", { value: [{ id: 3 }] }, "value[0].id", "expected the ARM id as a non-empty string, got a number"],
    ["a document that is not an object", { count: 1, data: [null] }, "data[0]", "expected a resource document (an object), got null"],
    ["a table-format export", { count: 0, data: { columns: [], rows: [] } }, "data", "the export is in table format"],
    ["an incomplete export", { count: 1000, data: [], skip_token: "ew0KI", total_records: 5000 }, "skip_token", "the export is incomplete"],
    [
      "a truncated export (fewer documents than matched, no skip_token)",
      { count: 2, data: [argAccount(), storage("st1")], skip_token: null, total_records: 7 },
      "total_records",
      "the export holds 2 of 7 matching documents",
    ],
    ["an incomplete ARM list", { value: [], nextLink: "https://management.azure.com/…&$skiptoken=x" }, "nextLink", "the list is incomplete"],
    ["a single document", argAccount(), "kind", '"SpeechServices" is not a snapshot'],
  ])("%s", (_, input, path, message) => {
    const error = problem(input);
    expect(error.path).toBe(path);
    expect(error.problem.startsWith(message)).toBe(true);
    // The path once, then (inside a document) the resource it is in, then the problem.
    expect(error.message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\([^)]*\\))?: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
  });

  it("lists every mistyped field of a document and of the other sections, naming the resource", () => {
    const input = valid();
    const account = argAccount();
    account.properties = { ...account.properties, userOwnedStorage: "st", disableLocalAuth: "yes" };
    input.resources = [account];
    input.coverage = [1];
    const error = problem(input);
    const resource = `${account.name}, ${account.id}`;
    expect(error.problems).toEqual([
      { path: "coverage[0]", problem: "expected a string, got a number" },
      { path: "resources[0].properties.userOwnedStorage", problem: "expected an array, got a string", resource },
      { path: "resources[0].properties.disableLocalAuth", problem: "expected true, false or null, got a string", resource },
    ]);
    expect(error.more).toBe(0);
    expect(error.message).toBe(
      `snapshot: 3 problems found:\n  coverage[0]: expected a string, got a number\n  resources[0].properties.userOwnedStorage (${resource}): expected an array, got a string\n  resources[0].properties.disableLocalAuth (${resource}): expected true, false or null, got a string`,
    );
  });

  it("gives the line and column of broken JSON, once, without quoting the file", () => {
    const text = '{\n  "kind": "speech-posture.snapshot",\n  "version": 1,\n  "resources": [ {"id": "a"}, ]\n}';
    const error = problem(text);
    expect(error.path).toBe("");
    expect(error.message).toBe('snapshot: not valid JSON at line 4, column 31 (found "]")');
    expect(problem('{"kind": "speech-posture.snapshot"').message).toBe("snapshot: not valid JSON at line 1, column 35 (found the end of the file)");
  });

  it("stays linear on a 100,000-element array of junk and on junk at its very end", () => {
    const junk = Array.from({ length: 100_000 }, (_, i) => i);
    const all = problem(JSON.stringify(junk));
    expect(all.path).toBe("[0]");
    // Every problem found, listed up to 50, the rest counted.
    expect(all.problems).toHaveLength(50);
    expect(all.problems[49]).toEqual({ path: "[49]", problem: "expected a resource document (an object), got a number" });
    expect(all.more).toBe(100_000 - 50);
    expect(all.message.split("\n")[0]).toBe("snapshot: 100000 problems found (the first 50 listed):");
    expect(all.message).toContain("\n  [0]: expected a resource document (an object), got a number\n");
    expect(all.message.endsWith("\n  … and 99950 more")).toBe(true);
    const docs = Array.from({ length: 100_000 }, (_, i) => ({
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/s${i}`,
      type: "microsoft.web/sites",
    }));
    (docs as unknown[])[99_999] = "junk";
    expect(problem(JSON.stringify(docs)).path).toBe("[99999]");
  });

  it("turns 100,000 levels of nesting into a clear error instead of a stack overflow", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const error = problem(deep);
    expect(error.path).toBe("");
    expect(error.message).toContain("nested more than 256 levels");
    const deepInside = `{"kind":"speech-posture.snapshot","version":1,"x":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`;
    expect(problem(deepInside).message).toContain("nested more than 256 levels");
  });

  it("does not count brackets inside strings as nesting", () => {
    const doc = { ...argAccount(), name: "[".repeat(1000) + '\\"{' };
    expect(parseSnapshotText(JSON.stringify([doc])).resources[0].name).toBe(doc.name);
  });

  it("keeps __proto__ and constructor keys as plain data and never touches Object.prototype", () => {
    const text =
      `{"kind":"speech-posture.snapshot","version":1,"collectedAt":"2026-11-28T10:00:00Z","subscriptions":[{"subscriptionId":"${SUB}"}],` +
      `"coverage":["resources","speechEndpoints"],"resources":[${JSON.stringify(argAccount())},{"id":"/x","__proto__":{"polluted":true}}],` +
      `"diagnosticSettings":{"__proto__":[{"properties":{"workspaceId":"/w"}}],"constructor":[]},` +
      `"speechEndpoints":{"__proto__":[],"${ACCOUNT_ID}":[]},"errors":[]}`;
    const snap = parseSnapshotText(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(snap.diagnosticSettings)).toEqual(["__proto__", "constructor"]);
    expect(Array.isArray(snap.diagnosticSettings["__proto__"])).toBe(true);
    expect(Object.getPrototypeOf(snap.diagnosticSettings)).toBeNull();
    const findings = evaluateSnapshot(snap).findings;
    expect(findings.find((f) => f.controlId === "LOG-2")).toMatchObject({ status: "unknown", reason: "not_collected" });
    expect(findings.find((f) => f.controlId === "LOG-1")?.status).toBe("pass");
  });

  it("names a bad __proto__ map value by its path", () => {
    const text = JSON.stringify(valid()).replace('"diagnosticSettings":{}', '"diagnosticSettings":{"__proto__":"x"}');
    expect(problem(text).message).toBe("diagnosticSettings.__proto__: expected an array, got a string");
  });

  it("is an Error with the path as a property", () => {
    const error = problem("[1]");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SnapshotInputError");
    expect(error.path).toBe("[0]");
  });
});
