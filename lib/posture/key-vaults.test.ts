import { describe, expect, it } from "vitest";
import { keyOf, vaultNameFromUri, vaultUrisInUse } from "./key-vaults";

const account = (props: Record<string, unknown>) => ({
  id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a",
  properties: props,
});

describe("key vaults in use", () => {
  it("names vaults", () => {
    expect(vaultNameFromUri("https://kv-speech-01.vault.azure.net/")).toBe("kv-speech-01");
    expect(vaultNameFromUri(" https://kv-speech-01.vault.azure.net")).toBe("kv-speech-01");
    expect(vaultNameFromUri("not a url")).toBeUndefined();
    expect(vaultNameFromUri("https://x.vault.azure.net/")).toBeUndefined();
  });

  it("finds vaults from account (KeyVault) and storage (Keyvault) key sources, any casing, skipping Microsoft-managed keys", () => {
    const acc = account({ encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: "https://kv-a.vault.azure.net/" } } });
    const mmk = account({
      encryption: { keySource: "Microsoft.CognitiveServices", keyVaultProperties: { keyVaultUri: "https://kv-ignored.vault.azure.net/" } },
    });
    const blank = account({ encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: "  " } } });
    const st = {
      id: "st",
      properties: { encryption: { keySource: "microsoft.keyvault", keyvaultproperties: { keyvaulturi: "https://kv-b.vault.azure.net" } } },
    };
    expect(vaultUrisInUse([acc, mmk, blank], [st])).toEqual(["https://kv-a.vault.azure.net/", "https://kv-b.vault.azure.net"]);
  });

  it("reads a key in either spelling", () => {
    expect(keyOf({ encryption: { keyvaultproperties: { keyname: "k", keyversion: "v1", keyvaulturi: "u" } } })).toEqual({ uri: "u", name: "k", version: "v1" });
    expect(keyOf({ encryption: { keyVaultProperties: { keyName: "k", keyVersion: "" } } })).toEqual({ uri: undefined, name: "k", version: undefined });
  });
});
