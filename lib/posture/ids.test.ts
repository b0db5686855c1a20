import { describe, expect, it } from "vitest";
import { idKey, isGrantScopeFor, scopesAbove, lastSegment, resourceGroupOf, subscriptionOf, vaultUriKey } from "./ids";
import { buildIndexes, enclosingScopes, ListsById } from "./indexes";
import { eqCi, text } from "./read";
import { snapshot, storage, vault } from "./testing/fixtures";

const ST = "/subscriptions/AbC/resourceGroups/RG-1/providers/Microsoft.Storage/storageAccounts/stspeech01";

describe("resource IDs", () => {
  it("reads subscription, resource group and name as spelled, case-insensitively by segment name", () => {
    expect(subscriptionOf(ST)).toBe("AbC");
    expect(subscriptionOf(" /SUBSCRIPTIONS/x")).toBe("x");
    expect(subscriptionOf("/providers/Microsoft.Management/managementGroups/mg")).toBeUndefined();
    expect(resourceGroupOf(ST.replace("resourceGroups", "RESOURCEGROUPS"))).toBe("RG-1");
    expect(resourceGroupOf("/subscriptions/x")).toBeUndefined();
    expect(lastSegment(`${ST}/`)).toBe("stspeech01");
    expect(idKey(`  ${ST} `)).toBe(ST.toLowerCase());
  });

  it.each([
    ["/", ST, true],
    ["/subscriptions/abc", ST, true],
    ["/subscriptions/abc/resourcegroups/rg-1/", ST, true],
    [ST.toLowerCase(), ST, true],
    ["/subscriptions/abc/resourcegroups/rg-1/providers/microsoft.storage/storageaccounts/stspeech0", ST, false],
    ["/subscriptions/ab", ST, false],
    [`${ST}/blobServices/default`, ST, false],
    ["/subscriptions", ST, false],
    ["/subscriptions/abc/resourcegroups", ST, false],
    ["/subscriptions/abc/resourcegroups/rg-1/providers", ST, false],
    ["/subscriptions/abc/resourcegroups/rg-1/providers/microsoft.storage", ST, false],
    ["/subscriptions/abc/resourcegroups/rg-1/providers/microsoft.storage/storageaccounts", ST, false],
  ])("a grant at scope %s reaches %s: %s", (scope, target, expected) => {
    expect(isGrantScopeFor(idKey(scope), idKey(target))).toBe(expected);
  });

  it("keys IDs without trailing slashes, keeping the root scope", () => {
    expect(idKey(`${ST}/`)).toBe(ST.toLowerCase());
    expect(idKey(` ${ST}// `)).toBe(ST.toLowerCase());
    expect(idKey("/")).toBe("/");
    expect(idKey("//")).toBe("/");
  });

  it.each([
    ["https://KV-1.vault.azure.net/", "kv-1.vault.azure.net"],
    ["https://kv-1.vault.azure.net", "kv-1.vault.azure.net"],
    ["https://kv-1.vault.azure.net:443/", "kv-1.vault.azure.net"],
    ["https://kv-1.vault.azure.net:8443/", "kv-1.vault.azure.net:8443"],
    ["http://kv-1.vault.azure.net/keys/k/1?api-version=7.4#x", "kv-1.vault.azure.net"],
    ["kv-1.vault.azure.net", "kv-1.vault.azure.net"],
    ["  https://kv-1.vault.azure.net//  ", "kv-1.vault.azure.net"],
    ["https://user@kv-1.vault.azure.net/", "kv-1.vault.azure.net"],
    ["https://kv-1.vault.azure.net:/", "kv-1.vault.azure.net"],
  ])("keys the vault URI %s by host and port: %s", (uri, key) => {
    expect(vaultUriKey(uri)).toBe(key);
  });
});

describe("enclosing scopes of a resource key", () => {
  it.each([
    ["/subscriptions/s/resourcegroups/rg/providers/p/t/n", "/subscriptions/s/resourcegroups/rg", "/subscriptions/s"],
    ["/subscriptions/s/resourcegroups/rg", undefined, "/subscriptions/s"],
    ["/subscriptions/s/providers/p/t/n", undefined, "/subscriptions/s"],
    ["/subscriptions/s", undefined, undefined],
    ["/subscriptions//resourcegroups/rg/x", undefined, undefined],
    ["/subscriptions/s/resourcegroups//x", undefined, "/subscriptions/s"],
    ["/providers/microsoft.management/managementgroups/mg", undefined, undefined],
  ])("%s → %s, %s", (key, group, subscription) => {
    expect(enclosingScopes(key)).toEqual([group, subscription]);
  });
});

describe("readers", () => {
  it("treat blank strings as absent and compare enums case-insensitively", () => {
    expect(text(" \t")).toBeUndefined();
    expect(text("\u3000")).toBeUndefined();
    expect(text(" x ")).toBe(" x ");
    expect(eqCi(" Disabled ", "disabled")).toBe(true);
    expect(eqCi("Disabledx", "disabled")).toBe(false);
    expect(eqCi(true, "true")).toBe(false);
  });
});

describe("indexes", () => {
  it("index storage by lower-cased ID and vaults by normalised URI, keeping a protected document", () => {
    const ix = buildIndexes(
      snapshot({
        resources: [storage("st", {}, ST), vault("kv", { vaultUri: "https://KV.vault.azure.net", enablePurgeProtection: false }), vault("kv")],
      }),
    );
    expect(ix.storage.get(ST.toLowerCase())?.id).toBe(ST);
    expect(ix.vaults.get("kv.vault.azure.net")?.protected).toBe(true);
  });

  it("read map keys case-insensitively: an exact key first, else the first key equal ignoring case", () => {
    const lists = new ListsById({ "/A": [1], "/a": [2], "/b": [3], "/X": [4] });
    expect(lists.lookup("/a", "/a")).toEqual([2]);
    expect(lists.lookup("/B", "/b")).toEqual([3]);
    expect(lists.lookup("/c", "/c")).toBeUndefined();
    expect(lists.get("/A")).toEqual([1]);
    expect(lists.get("/x")).toEqual([4]);
    expect(new ListsById({}).lookup("constructor", "constructor")).toBeUndefined();
    expect(new ListsById({ a: [] }).lookup("constructor", "constructor")).toBeUndefined();
  });

  it("resolve many accounts at once, folding case only when some key is not an exact ID", () => {
    expect(new ListsById({ "/A": [1], "/b": [2] }).resolve(["/a", "/b", "/c"], ["/a", "/b", "/c"])).toEqual([[1], [2], undefined]);
    expect(new ListsById({ "/b": [2] }).resolve(["/b", "/c"], ["/b", "/c"])).toEqual([[2], undefined]);
  });

  it("mark a listed subscription as not scanned when Resource Graph failed for it", () => {
    const snap = snapshot({
      resources: [],
      subscriptions: ["S1", "s2"],
      errors: [{ scope: "/subscriptions/s1/", source: "resourceGraph", reason: "access_denied" }],
    });
    expect([...buildIndexes(snap).scannedSubscriptions]).toEqual(["s2"]);
  });
});

describe("scopesAbove", () => {
  it("lists the key and every scope above it, nearest first", () => {
    expect(scopesAbove("/subscriptions/s/resourcegroups/rg/providers/p/accounts/a")).toEqual([
      "/subscriptions/s/resourcegroups/rg/providers/p/accounts/a",
      "/subscriptions/s/resourcegroups/rg/providers/p/accounts",
      "/subscriptions/s/resourcegroups/rg/providers/p",
      "/subscriptions/s/resourcegroups/rg/providers",
      "/subscriptions/s/resourcegroups/rg",
      "/subscriptions/s/resourcegroups",
      "/subscriptions/s",
      "/subscriptions",
    ]);
  });
});
