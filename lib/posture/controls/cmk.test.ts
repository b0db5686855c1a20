import { describe, expect, it } from "vitest";
import { account, judge, linking, OTHER_SUB, storage, storageId, vault, vaultUri } from "@/lib/posture/testing/fixtures";

const ST = storageId("stspeech01");
const accountCmk = (uri = vaultUri("kv-acct"), keySource = "Microsoft.KeyVault") => ({
  encryption: { keySource, keyVaultProperties: { keyName: "acct-key", keyVersion: "", keyVaultUri: uri } },
});
const storageEncryption = (overrides: Record<string, unknown>) => ({
  encryption: {
    keySource: "Microsoft.Keyvault",
    keyvaultproperties: { keyname: "byos-key", keyversion: "", keyvaulturi: vaultUri("kv-speech") },
    requireInfrastructureEncryption: true,
    ...overrides,
  },
});

describe("CMK-1 resource customer-managed key", () => {
  it.each([
    ["Microsoft.KeyVault with URI and key name", accountCmk(), "pass"],
    ["any casing of the key source", accountCmk(vaultUri("kv"), "microsoft.keyvault"), "pass"],
    ["no encryption (Microsoft-managed keys)", {}, "fail"],
    ["encryption without keySource", { encryption: {} }, "fail"],
    ["Microsoft.CognitiveServices key source", { encryption: { keySource: "Microsoft.CognitiveServices" } }, "fail"],
    ["a blank vault URI", accountCmk("  "), "fail"],
    ["no key name", { encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: vaultUri("kv") } } }, "fail"],
  ])("%s → %s", (_, props, status) => {
    expect(judge("CMK-1", { resources: [account(props)] }).status).toBe(status);
  });

  it("names the missing key property", () => {
    const f = judge("CMK-1", {
      resources: [account({ encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: vaultUri("kv") } } })],
    });
    expect(f.message).toBe("speech-prod-01 is set to use a customer-managed key, but its key name is missing.");
  });
});

describe("CMK-2 linked storage customer-managed key", () => {
  it.each([
    ["no BYOS", [account()], "not_applicable", null],
    ["storage not in the snapshot", [account(linking(ST))], "unknown", "not_visible"],
    ["storage with Microsoft.Keyvault", [account(linking(ST)), storage("stspeech01")], "pass", null],
    ["storage with MICROSOFT.KEYVAULT", [account(linking(ST)), storage("stspeech01", storageEncryption({ keySource: "MICROSOFT.KEYVAULT" }))], "pass", null],
    ["storage with Microsoft.Storage", [account(linking(ST)), storage("stspeech01", storageEncryption({ keySource: "Microsoft.Storage" }))], "fail", null],
    ["storage without encryption block", [account(linking(ST)), storage("stspeech01", { encryption: undefined })], "fail", null],
  ])("%s → %s", (_, resources, status, reason) => {
    expect(judge("CMK-2", { resources })).toMatchObject({ status, reason });
  });

  it("combines several linked accounts: a visible failure beats an invisible one", () => {
    const hidden = storageId("sthidden");
    const weak = storage("stweak", storageEncryption({ keySource: "Microsoft.Storage" }));
    expect(judge("CMK-2", { resources: [account(linking(hidden, weak.id)), weak] }).status).toBe("fail");
    expect(judge("CMK-2", { resources: [account(linking(hidden, ST)), storage("stspeech01")] })).toMatchObject({ status: "unknown", reason: "not_visible" });
    expect(judge("CMK-2", { resources: [account(linking(storageId("st2"), ST)), storage("stspeech01"), storage("st2")] }).status).toBe("pass");
  });
});

describe("CMK-3 key vaults cannot lose keys", () => {
  it("is not applicable when neither the account nor its storage uses a customer key", () => {
    const mmkStorage = storage("stspeech01", storageEncryption({ keySource: "Microsoft.Storage" }));
    expect(judge("CMK-3", { resources: [account()] }).status).toBe("not_applicable");
    expect(judge("CMK-3", { resources: [account(linking(ST)), mmkStorage] }).status).toBe("not_applicable");
  });

  it("passes when the account's vault is protected, matching the URI with or without trailing slash and in any case", () => {
    const v = vault("kv-acct", { vaultUri: "https://KV-ACCT.vault.azure.net" });
    expect(judge("CMK-3", { resources: [account(accountCmk("https://kv-acct.vault.azure.net/")), v] }).status).toBe("pass");
  });

  it.each([
    ["purge protection off", { enablePurgeProtection: false }, "purge protection is not enabled"],
    ["purge protection absent", { enablePurgeProtection: undefined }, "purge protection is not enabled"],
    ["soft delete disabled", { enableSoftDelete: false }, "soft delete is disabled"],
  ])("fails when the vault has %s", (_, props, words) => {
    const f = judge("CMK-3", { resources: [account(accountCmk()), vault("kv-acct", props)] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain(`kv-acct (${words})`);
  });

  it.each([
    ["the same URI", "https://kv-acct.vault.azure.net/", "https://kv-acct.vault.azure.net/", "pass"],
    ["port 443 on one side", "https://kv-acct.vault.azure.net:443/", "https://kv-acct.vault.azure.net", "pass"],
    ["a key path on the account's URI", "https://kv-acct.vault.azure.net/keys/acct-key/abc", "https://KV-ACCT.vault.azure.net/", "pass"],
    ["no scheme on one side", "kv-acct.vault.azure.net", "https://kv-acct.vault.azure.net/", "pass"],
    ["another scheme, padded", " HTTP://kv-acct.vault.azure.net// ", "https://kv-acct.vault.azure.net/", "pass"],
    ["another port", "https://kv-acct.vault.azure.net:8443/", "https://kv-acct.vault.azure.net/", "unknown"],
    ["another host", "https://kv-acct2.vault.azure.net/", "https://kv-acct.vault.azure.net/", "unknown"],
    ["a host that is a suffix", "https://acct.vault.azure.net/", "https://kv-acct.vault.azure.net/", "unknown"],
  ])("matches the vault by host and port: %s → %s", (_, used, vaultUriValue, status) => {
    const f = judge("CMK-3", { resources: [account(accountCmk(used)), vault("kv-acct", { vaultUri: vaultUriValue })] });
    expect(f.status).toBe(status);
  });

  it("treats an absent enableSoftDelete as on", () => {
    expect(judge("CMK-3", { resources: [account(accountCmk()), vault("kv-acct", { enableSoftDelete: null })] }).status).toBe("pass");
  });

  it("is protected when some document with the vault URI is protected", () => {
    const weak = vault("kv-acct", { enablePurgeProtection: false });
    const strong = { ...vault("kv-acct"), id: `${vault("kv-acct").id}-copy` };
    expect(judge("CMK-3", { resources: [account(accountCmk()), weak, strong] }).status).toBe("pass");
  });

  it("checks the storage account's vault (lower-case keyvaulturi) too", () => {
    const resources = [account(linking(ST)), storage("stspeech01"), vault("kv-speech", { enablePurgeProtection: false })];
    expect(judge("CMK-3", { resources }).status).toBe("fail");
  });

  it("is unknown not_visible when a vault in use is not in the snapshot", () => {
    expect(judge("CMK-3", { resources: [account(accountCmk())] })).toMatchObject({ status: "unknown", reason: "not_visible" });
  });

  it("is unknown not_visible when a linked storage account is not visible, even without other vaults", () => {
    expect(judge("CMK-3", { resources: [account(linking(storageId("st", OTHER_SUB)))] })).toMatchObject({ status: "unknown", reason: "not_visible" });
  });

  it("counts a customer-keyed storage account without keyvaulturi as a vault that is not visible", () => {
    const noUri = storage("stspeech01", storageEncryption({ keyvaultproperties: { keyname: "k" } }));
    const f = judge("CMK-3", { resources: [account(linking(ST)), noUri] });
    expect(f).toMatchObject({ status: "unknown", reason: "not_visible" });
    expect(f.message).toContain("names no key vault");
  });

  it("fails on a visible unprotected vault even when another vault is not visible", () => {
    const resources = [
      account({ ...linking(ST), ...accountCmk(vaultUri("kv-missing")) }),
      storage("stspeech01"),
      vault("kv-speech", { enablePurgeProtection: false }),
    ];
    expect(judge("CMK-3", { resources }).status).toBe("fail");
  });

  it("ignores the account's vault while CMK-1 fails", () => {
    const incomplete = { encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: vaultUri("kv-acct") } } };
    expect(judge("CMK-3", { resources: [account(incomplete), vault("kv-acct", { enablePurgeProtection: false })] }).status).toBe("not_applicable");
  });
});

describe("CMK-4 key version follows rotation", () => {
  it.each([
    ["an empty keyversion", storageEncryption({}), "pass"],
    ["no keyversion", storageEncryption({ keyvaultproperties: { keyname: "k", keyvaulturi: vaultUri("kv") } }), "pass"],
    ["a pinned keyversion", storageEncryption({ keyvaultproperties: { keyname: "k", keyvaulturi: vaultUri("kv"), keyversion: "0123456789abcdef" } }), "fail"],
    ["a Microsoft-managed key", storageEncryption({ keySource: "Microsoft.Storage" }), "not_applicable"],
  ])("%s → %s", (_, props, status) => {
    expect(judge("CMK-4", { resources: [account(linking(ST)), storage("stspeech01", props)] }).status).toBe(status);
  });

  it("is not applicable when CMK-2 is unknown or BYOS is absent", () => {
    expect(judge("CMK-4", { resources: [account(linking(ST))] }).status).toBe("not_applicable");
    expect(judge("CMK-4", { resources: [account()] }).status).toBe("not_applicable");
  });
});

describe("CMK-5 infrastructure encryption", () => {
  it.each([
    ["true", true, "pass"],
    ["false", false, "fail"],
    ["absent", undefined, "fail"],
  ])("requireInfrastructureEncryption %s → %s", (_, value, status) => {
    const props = storageEncryption({ requireInfrastructureEncryption: value });
    expect(judge("CMK-5", { resources: [account(linking(ST)), storage("stspeech01", props)] }).status).toBe(status);
  });

  it("is not applicable without BYOS and unknown when the storage is not visible", () => {
    expect(judge("CMK-5", { resources: [account()] }).status).toBe("not_applicable");
    expect(judge("CMK-5", { resources: [account(linking(ST))] })).toMatchObject({ status: "unknown", reason: "not_visible" });
  });
});
