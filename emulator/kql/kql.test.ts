/**
 * The KQL subset: operators, functions and null semantics on hand-made rows, every query the
 * collector sends (lib/azure/queries.ts) against a small tenant with known answers, and 400s
 * (KqlError) for everything outside the subset.
 */
import { describe, expect, it } from "vitest";
import {
  blobContributorAssignmentsQuery,
  keyVaultsByNameQuery,
  kqlString,
  linkedStorageQuery,
  resourceByIdQuery,
  speechAccountsQuery,
  storageByIdQuery,
  subscriptionsQuery,
} from "@/lib/azure/queries";
import { subscriptionRow } from "@/emulator/generate/documents";
import { generateTenant } from "@/emulator/tenant";
import { TenantIndex } from "@/emulator/tenant-index";
import { KqlError, runQuery, type Row } from "./index";
import { tokenize } from "./lexer";

const T = "tttttttt-0000-0000-0000-000000000000";
const S1 = "11111111-1111-1111-1111-111111111111";
const S2 = "22222222-2222-2222-2222-222222222222";

function doc(sub: string, rg: string, provider: string, type: string, name: string, extra: Partial<Row> = {}): Row {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/${type}/${name}`,
    name,
    type: `${provider}/${type}`.toLowerCase(),
    tenantId: T,
    kind: "",
    location: "westeurope",
    resourceGroup: rg.toLowerCase(),
    subscriptionId: sub,
    managedBy: "",
    sku: null,
    plan: null,
    properties: {},
    tags: {},
    identity: null,
    zones: null,
    extendedLocation: null,
    ...extra,
  };
}
const account = (sub: string, name: string, kind: string, props: Record<string, unknown> = {}, extra: Partial<Row> = {}) =>
  doc(sub, "rg-speech", "Microsoft.CognitiveServices", "accounts", name, { kind, properties: props, ...extra });
const storage = (sub: string, name: string, rg = "RG-Data") => doc(sub, rg, "Microsoft.Storage", "storageAccounts", name, { kind: "StorageV2" });
const vault = (sub: string, name: string) =>
  doc(sub, "rg-keys", "Microsoft.KeyVault", "vaults", name, { properties: { vaultUri: `https://${name}.vault.azure.net/` } });
const link = (id: string) => ({ userOwnedStorage: [{ resourceId: id }] });

/** A small tenant whose answers are known by construction. */
function smallTenant() {
  const st1 = storage(S1, "stspeech01");
  const st0 = storage(S1, "stspeech0");
  const st2 = storage(S2, "stother", "rg-other");
  const unlinked = storage(S1, "stdiag");
  const resources: Row[] = [
    account(S1, "speech-a", "SpeechServices", link(String(st1.id).toUpperCase())), // cased differently
    account(S1, "speech-b", "speechservices", link(String(st1.id))), // same storage, lower-case kind
    account(S2, "ai-c", "AIServices", link(String(st2.id))),
    account(S1, "multi-d", "CognitiveServices", {
      userOwnedStorage: [{ resourceId: "" }, { resourceId: `/subscriptions/${S1}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/gone` }],
    }),
    account(S1, "lang-e", "TextAnalytics", link(String(st0.id))), // not Speech: its link must not count
    account(S2, "legacy-f", "SpeechServices", {}),
    account(S2, "empty-g", "AIServices", { userOwnedStorage: [] }),
    { ...account(S1, "upper-h", "SpeechServices"), type: "Microsoft.CognitiveServices/accounts" },
    st1,
    st0,
    st2,
    unlinked,
    vault(S1, "kv-speech-prod"),
    vault(S2, "KV-Other"),
  ];
  const role = (scope: string, guid: string, roleGuid: string, principalId = "p1"): Row => ({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: "microsoft.authorization/roleassignments",
    subscriptionId: scope.split("/")[2],
    properties: {
      roleDefinitionId: `/subscriptions/${S1}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType: "ServicePrincipal",
      scope,
    },
  });
  const authorization = [
    role(String(st1.id), "r1", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
    role(`/subscriptions/${S1}`, "r2", "acdd72a7-3385-48ef-bd42-f606fba81ae7"), // Reader
    role(`/subscriptions/${S2}/resourcegroups/rg-other`, "r3", "BA92F5B4-2D11-453D-A403-E96B0029C9FE"), // upper-case GUID
    role(`/subscriptions/${S2}`, "r4", "ba92f5b4-2d11-453d-a403-e96b0029c9fe-not"),
  ];
  const containers = [
    subscriptionRow(T, { subscriptionId: S2, displayName: "contoso-two", state: "Enabled" }),
    subscriptionRow(T, { subscriptionId: S1, displayName: "contoso-one", state: "Warned" }),
    { ...doc(S1, "rg-speech", "x", "y", "z"), id: `/subscriptions/${S1}/resourceGroups/rg-speech`, type: "microsoft.resources/subscriptions/resourcegroups" },
  ];
  const tables: Record<string, Row[]> = { resources, authorizationresources: authorization, resourcecontainers: containers };
  return { resources, st1, st0, st2, unlinked, source: (t: string) => tables[t] };
}

const rowsTable = (rows: Row[]) => (t: string) => (t === "resources" ? rows : undefined);
const q = (query: string, rows: Row[]) => runQuery(query, rowsTable(rows)).rows;
const ids = (rows: Row[]) => rows.map((r) => r.id);

function kqlFails(query: string, rows: Row[], pattern: RegExp): void {
  let caught: unknown;
  try {
    runQuery(query, rowsTable(rows));
  } catch (error) {
    caught = error;
  }
  expect(caught, query).toBeInstanceOf(KqlError);
  expect((caught as Error).message).toMatch(pattern);
}

describe("lexer", () => {
  it("reads single- and double-quoted strings with backslash escapes, and verbatim strings", () => {
    const toks = tokenize(`'it\\'s' "say \\"hi\\"" 'a\\\\b' @'c:\\path' 'tab\\t' "\\u0041"`);
    expect(toks.filter((t) => t.kind === "string").map((t) => t.value)).toEqual(["it's", 'say "hi"', "a\\b", "c:\\path", "tab\t", "A"]);
  });

  it("keeps negated and case-insensitive string operators and hyphenated operators whole", () => {
    const toks = tokenize("x !in~ ('a') | mv-expand y = z | where a !contains 'b' and c in~ ('d') and e !~ 'f'");
    const values = toks.map((t) => t.value);
    expect(values).toContain("!in~");
    expect(values).toContain("mv-expand");
    expect(values).toContain("!contains");
    expect(values).toContain("in~");
    expect(values).toContain("!~");
  });

  it("rejects an unterminated string and an unknown escape", () => {
    expect(() => tokenize("'abc")).toThrow(KqlError);
    expect(() => tokenize("'a\\qb'")).toThrow(/escape/);
  });
});

describe("where: string operators, logic and null semantics", () => {
  const rows: Row[] = [
    { id: "1", name: "Alpha", type: "microsoft.storage/storageaccounts", kind: "StorageV2", properties: { n: 3, flag: true, tags: ["x"], s: "hello world" } },
    { id: "2", name: "beta", type: "Microsoft.Storage/storageAccounts", kind: "", properties: { n: 10, flag: false, s: "helloworld" } },
    { id: "3", name: "gamma", type: "microsoft.keyvault/vaults", kind: "", properties: null },
  ];
  it.each([
    ["type =~ 'MICROSOFT.STORAGE/STORAGEACCOUNTS'", ["1", "2"]],
    ["type !~ 'microsoft.storage/storageaccounts'", ["3"]],
    ["type == 'microsoft.storage/storageaccounts'", ["1"]],
    ["type != 'microsoft.storage/storageaccounts'", ["2", "3"]],
    ["name in ('Alpha', 'gamma')", ["1", "3"]],
    ["name in~ ('ALPHA', 'BETA')", ["1", "2"]],
    ["name !in ('Alpha')", ["2", "3"]],
    ["name !in~ ('alpha', 'GAMMA')", ["2"]],
    ["name endswith 'TA'", ["2"]],
    ["name startswith 'al'", ["1"]],
    ["name contains 'MM'", ["3"]],
    ["name !contains 'a'", []],
    ["tostring(properties.s) has 'WORLD'", ["1"]],
    ["tostring(properties.s) contains 'world'", ["1", "2"]],
    ["type has 'storage'", ["1", "2"]],
    ["type has 'stor'", []],
    ["type has 'storageaccount'", []],
    ["type has 'microsoft'", ["1", "2", "3"]],
    ["name endswith_cs 'ta'", ["2"]],
    ["name contains_cs 'ALP'", []],
    ["(name == 'Alpha' or name == 'beta') and not(name == 'beta')", ["1"]],
    ["name == 'Alpha' or name == 'beta' and name == 'gamma'", ["1"]],
    ["isnotempty(kind)", ["1"]],
    ["isempty(kind)", ["2", "3"]],
    ["isnull(properties.n)", ["3"]],
    ["isnotnull(properties.n)", ["1", "2"]],
    ["properties.n > 5", ["2"]],
    ["toint(properties.n) >= 3 and toint(properties.n) < 10", ["1"]],
    ["tobool(properties.flag) == true", ["1"]],
    ["properties.flag == false", ["2"]],
    ["properties.missing == 'x'", []],
    ["properties.missing != 'x'", []],
    ["tostring(properties.missing) != 'x'", ["1", "2", "3"]],
    ["properties.tags[0] == 'x'", ["1"]],
    ["properties['s'] == 'helloworld'", ["2"]],
    ["tolower(name) == 'alpha' and toupper(name) == 'ALPHA'", ["1"]],
    ["name in~ (dynamic(['ALPHA', 'gamma']))", ["1", "3"]],
    ["name in (properties.tags, 'beta')", ["2"]],
  ])("%s", (predicate, expected) => {
    expect(ids(q(`resources | where ${predicate}`, rows))).toEqual(expected);
  });
});

describe("tabular operators", () => {
  const rows: Row[] = [
    { id: "a", name: "one", properties: { list: [{ v: 1 }, { v: 2 }], key: "K1" } },
    { id: "b", name: "two", properties: { list: [], key: "k1" } },
    { id: "c", name: "three", properties: { key: null } },
  ];

  it("extend and project with computed names, in projected order, later items seeing earlier ones", () => {
    const out = q("resources | extend k = tolower(tostring(properties.key)), k2 = strcat(k, '!') | project k2, id, upper = toupper(name)", rows);
    expect(out).toEqual([
      { k2: "k1!", id: "a", upper: "ONE" },
      { k2: "k1!", id: "b", upper: "TWO" },
      { k2: "!", id: "c", upper: "THREE" },
    ]);
    expect(Object.keys(out[0])).toEqual(["k2", "id", "upper"]);
  });

  it("summarize groups by the `by` values (group columns first) with count(), make_list() and make_set()", () => {
    const out = q("resources | extend k = tolower(tostring(properties.key)) | summarize n = count(), ids = make_list(id), names = make_set(name) by k", rows);
    expect(out).toEqual([
      { k: "k1", n: 2, ids: ["a", "b"], names: ["one", "two"] },
      { k: "", n: 1, ids: ["c"], names: ["three"] },
    ]);
    expect(Object.keys(out[0])).toEqual(["k", "n", "ids", "names"]);
    // Kusto's default names; make_list's maximum size; make_set keeps one of each value.
    expect(q("resources | extend k = 'x' | summarize count(), make_list(id, 2), make_set(k) by key = 'same' | project count_, list_id, set_k", rows)).toEqual([
      { count_: 3, list_id: ["a", "b"], set_k: ["x"] },
    ]);
    // Without `by`, an empty input still gives one row; with `by`, none.
    expect(q("resources | where id == 'none' | summarize n = count(), l = make_list(id)", rows)).toEqual([{ n: 0, l: [] }]);
    expect(q("resources | where id == 'none' | summarize n = count() by id", rows)).toEqual([]);
    // Bags pack whole documents into one row per group, as the collector's verdict queries do.
    expect(
      q("resources | where id != 'c' | summarize docs = make_list(bag_pack('id', id, 'key', properties.key)) by k = tolower(tostring(properties.key))", rows),
    ).toEqual([
      {
        k: "k1",
        docs: [
          { id: "a", key: "K1" },
          { id: "b", key: "k1" },
        ],
      },
    ]);
    kqlFails("resources | summarize n = count() by tolower(id)", rows, /need a name/);
  });

  it("mv-expand yields one row per element, keeps rows with empty or missing arrays (null), expands bags", () => {
    const out = q("resources | mv-expand item = properties.list | project id, v = toint(item.v)", rows);
    expect(out).toEqual([
      { id: "a", v: 1 },
      { id: "a", v: 2 },
      { id: "b", v: null },
      { id: "c", v: null },
    ]);
    expect(q("resources | mv-expand item = properties.list limit 400 | project id", rows)).toHaveLength(4);
    const bag = q("resources | where id == 'a' | mv-expand p = properties | project p", rows);
    expect(bag).toEqual([{ p: { list: [{ v: 1 }, { v: 2 }] } }, { p: { key: "K1" } }]);
  });

  it("distinct keeps the first of each value combination and only the named columns", () => {
    expect(q("resources | extend k = tolower(tostring(properties.key)) | distinct k", rows)).toEqual([{ k: "k1" }, { k: "" }]);
  });

  it("order by sorts ascending and descending (KQL's default), nulls first ascending and last descending", () => {
    const data = [
      { id: "x", n: 2 },
      { id: "y", n: null },
      { id: "z", n: 10 },
    ].map((r) => ({ id: r.id, properties: { n: r.n } }));
    expect(ids(q("resources | order by toint(properties.n) asc", data))).toEqual(["y", "x", "z"]);
    expect(ids(q("resources | order by toint(properties.n)", data))).toEqual(["z", "x", "y"]);
    expect(ids(q("resources | sort by id desc", data))).toEqual(["z", "y", "x"]);
    expect(ids(q("resources | order by toint(properties.n) asc nulls last", data))).toEqual(["x", "z", "y"]);
  });

  it("take, limit, top and count", () => {
    expect(ids(q("resources | take 2", rows))).toEqual(["a", "b"]);
    expect(ids(q("resources | limit 1", rows))).toEqual(["a"]);
    expect(ids(q("resources | top 1 by name asc", rows))).toEqual(["a"]);
    expect(q("resources | where name != 'one' | count", rows)).toEqual([{ Count: 2 }]);
  });

  it("join inner is a hash join keeping every match; right-side clashes are suffixed with 1", () => {
    const left = [
      ["l1", "k"],
      ["l2", "k"],
      ["l3", "K"],
      ["l4", null],
    ].map(([id, key]) => ({ id, properties: { key } }));
    const right = [
      ["r1", "k"],
      ["r2", "k"],
    ].map(([id, key]) => ({ id, properties: { key } }));
    const tables: Record<string, Row[]> = { resources: left, resourcecontainers: right };
    const run = (kind: string) =>
      runQuery(
        `resources | extend key = properties.key | join ${kind} (resourcecontainers | extend key = properties.key | project id, key) on key | project id, id1, key1`,
        (t) => tables[t],
      ).rows;
    expect(run("kind=inner")).toEqual([
      { id: "l1", id1: "r1", key1: "k" },
      { id: "l1", id1: "r2", key1: "k" },
      { id: "l2", id1: "r1", key1: "k" },
      { id: "l2", id1: "r2", key1: "k" },
    ]);
    // innerunique (the default) keeps one left row per key.
    expect(run("")).toEqual([
      { id: "l1", id1: "r1", key1: "k" },
      { id: "l1", id1: "r2", key1: "k" },
    ]);
    expect(run("kind=leftouter").map((r) => [r.id, r.id1])).toEqual([
      ["l1", "r1"],
      ["l1", "r2"],
      ["l2", "r1"],
      ["l2", "r2"],
      ["l3", ""],
      ["l4", ""],
    ]);
    // Unmatched dynamic columns are null (how a collector spots a missing linked storage account).
    const outer = runQuery(
      "resources | extend key = properties.key | join kind=leftouter (resourcecontainers | extend key = properties.key) on key | project id, p = properties1",
      (t) => tables[t],
    ).rows;
    expect(outer.filter((r) => r.p === null).map((r) => r.id)).toEqual(["l3", "l4"]);
    const onSides = runQuery(
      "resources | extend key = tostring(properties.key) | join kind=inner (resourcecontainers | project rid = id, rkey = tostring(properties.key)) on $left.key == $right.rkey | project id, rid",
      (t) => tables[t],
    ).rows;
    expect(onSides).toHaveLength(4);
  });

  it("kqlString() literals round-trip quotes and backslashes", () => {
    const data = [
      { id: "1", name: "it's a \\ test" },
      { id: "2", name: "other" },
    ];
    expect(ids(q(`resources | where name == ${kqlString("it's a \\ test")}`, data))).toEqual(["1"]);
    expect(ids(q(`resources | where name in~ (${kqlString("IT'S A \\ TEST")}, 'x')`, data))).toEqual(["1"]);
  });
});

describe("anything outside the subset is a KqlError naming the part", () => {
  const rows: Row[] = [{ id: "1" }];
  it.each([
    ["resources | summarize dcount(id) by type", /dcount/],
    ["resources | summarize id", /aggregation function/],
    ["resources | summarize make_list(tolower(id))", /needs a name/],
    ["resources | summarize make_list(id, 0)", /maximum size/],
    ["resources | summarize n = count(), n = make_list(id)", /'n' is produced twice/],
    ["resources | render table", /render/],
    ["resources | where foo == 1", /'foo'/],
    ["resources | extend x = bag_keys(properties)", /bag_keys/],
    ["resources | join kind=fullouter (resources) on id", /fullouter/],
    ["resources | join kind=leftanti (resources) on id", /leftanti/],
    ["let x = 1; resources", /let/],
    ["resources | where name matches regex 'a.*'", /matches/],
    ["resources | where id in (resources | project id)", /subquery/],
    ["union resources, resourcecontainers", /union/],
    ["securityresources | take 1", /securityresources/],
    ["resources | where timestamp > ago(1d)", /1d/],
    ["resources | where name has_any ('a')", /has_any/],
    ["resources | project tostring(name)", /name/],
    ["resources | mv-expand a = properties.x, b = properties.y", /several/],
    // Resource Graph: "mv-expand: RowLimit max of 400" (governance/resource-graph/concepts/query-language.md).
    ["resources | mv-expand item = properties.list limit 401", /maximum RowLimit of 400/],
    ["resources | join (resources) on id | join (resources) on id | join (resources) on id | join (resources) on id", /at most 3 join/],
    ["resources | where name == 'x' |", /Expected a query operator/],
    ["resources | where name == 'x'; resources", /Multiple statements/],
    ["resources | extend x = name + 1", /strings/],
    ["resources | where name", /predicate must be a boolean/],
  ])("%s", (query, pattern) => kqlFails(query, rows, pattern));

  it("reports the line and column", () => {
    kqlFails("resources\n| where id == 1\n| render table", rows, /line 3, column 3/);
  });
});

describe("the collector's queries against a small tenant", () => {
  const t = smallTenant();
  const run = (query: string) => runQuery(query, t.source);
  const DOC_COLUMNS = ["id", "name", "type", "kind", "location", "resourceGroup", "subscriptionId", "tenantId", "sku", "identity", "tags", "properties"];

  it("subscriptionsQuery lists subscription rows only, ordered by subscriptionId", () => {
    const r = run(subscriptionsQuery);
    expect(r.columns.map((c) => c.name)).toEqual(["subscriptionId", "name", "tenantId", "properties"]);
    expect(r.rows.map((x) => [x.subscriptionId, x.name, (x.properties as { state: string }).state])).toEqual([
      [S1, "contoso-one", "Warned"],
      [S2, "contoso-two", "Enabled"],
    ]);
  });

  it("speechAccountsQuery returns Speech kinds in any casing of kind and type, ordered by id, with the document columns", () => {
    const r = run(speechAccountsQuery);
    expect(r.columns.map((c) => c.name)).toEqual(DOC_COLUMNS);
    const names = r.rows.map((x) => x.name);
    expect([...names].sort()).toEqual(["ai-c", "empty-g", "legacy-f", "multi-d", "speech-a", "speech-b", "upper-h"]);
    expect(r.rows.map((x) => String(x.id))).toEqual(r.rows.map((x) => String(x.id)).sort());
    expect(names).not.toContain("lang-e");
  });

  it("linkedStorageQuery returns exactly the linked storage accounts, matched case-insensitively, once each", () => {
    const r = run(linkedStorageQuery);
    expect(r.columns.map((c) => c.name)).toEqual(DOC_COLUMNS);
    // st1 is linked twice (one link upper-cased), st2 once; st0 only by a non-Speech kind; "gone" does not exist.
    expect(ids(r.rows)).toEqual([t.st1.id, t.st2.id].sort());
    expect(r.rows[0]).toEqual(Object.fromEntries(DOC_COLUMNS.map((c) => [c, (t.resources.find((x) => x.id === r.rows[0].id) as Row)[c]])));
  });

  it("storageByIdQuery matches IDs case-insensitively and only storage accounts", () => {
    const r = run(
      storageByIdQuery([
        String(t.st0.id).toUpperCase(),
        String(t.unlinked.id),
        "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/it's",
      ]),
    );
    expect(ids(r.rows)).toEqual([t.st0.id, t.unlinked.id].sort());
  });

  it("keyVaultsByNameQuery matches vault names case-insensitively", () => {
    expect(run(keyVaultsByNameQuery(["KV-SPEECH-PROD", "kv-other", "kv-missing"])).rows.map((r) => r.name)).toEqual(["kv-speech-prod", "KV-Other"]);
  });

  it("blobContributorAssignmentsQuery keeps Storage Blob Data Contributor assignments only", () => {
    const r = run(blobContributorAssignmentsQuery);
    expect(r.columns.map((c) => c.name)).toEqual(["id", "name", "type", "subscriptionId", "properties"]);
    expect(r.rows.map((x) => x.name)).toEqual(["r1", "r3"]);
  });

  it("resourceByIdQuery finds one document whatever the casing", () => {
    expect(ids(run(resourceByIdQuery(String(t.st2.id).toLowerCase())).rows)).toEqual([t.st2.id]);
  });
});

describe("the collector's queries against the generated demo tenant", () => {
  const tenant = generateTenant();
  const index = new TenantIndex(tenant);
  const visible = index.visible.map((s) => s.subscriptionId.toLowerCase());
  const source = (t: string) => (t === "resources" || t === "resourcecontainers" || t === "authorizationresources" ? index.rows(t, visible) : undefined);

  it("linkedStorageQuery equals the linked storage computed directly from the documents", () => {
    const lower = (s: unknown) => String(s).toLowerCase();
    const inScope = tenant.resources.filter((r) => visible.includes(lower(r.subscriptionId)));
    const linked = new Set<string>();
    for (const a of inScope.filter(
      (r) => r.type === "microsoft.cognitiveservices/accounts" && ["speechservices", "aiservices", "cognitiveservices"].includes(lower(r.kind)),
    )) {
      for (const u of (a.properties?.userOwnedStorage as { resourceId?: string }[] | undefined) ?? []) if (u.resourceId) linked.add(lower(u.resourceId));
    }
    const expected = inScope
      .filter((r) => r.type === "microsoft.storage/storageaccounts" && linked.has(lower(r.id)))
      .map((r) => r.id)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(ids(runQuery(linkedStorageQuery, source).rows)).toEqual(expected);
  });

  it("speechAccountsQuery returns every Speech account of the visible subscriptions", () => {
    const rows = runQuery(speechAccountsQuery, source).rows;
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["SpeechServices", "AIServices", "CognitiveServices"]));
  });
});
