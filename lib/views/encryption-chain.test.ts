import { describe, expect, it } from "vitest";
import { layoutEncryptionChain, worst, type ChainInputFinding } from "./encryption-chain";

const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111";
const ACCOUNT = `${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/spch`;
const STORAGE = `${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata`;
const VAULT = `${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv1`;

function docs(overrides: { accountKey?: boolean; storageKey?: boolean; byos?: boolean } = {}) {
  const { accountKey = true, storageKey = true, byos = true } = overrides;
  return {
    account: {
      id: ACCOUNT,
      name: "spch",
      identity: { type: "SystemAssigned", principalId: "p1" },
      properties: {
        userOwnedStorage: byos ? [{ resourceId: STORAGE }] : [],
        publicNetworkAccess: "Disabled",
        disableLocalAuth: true,
        encryption: accountKey
          ? { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyName: "k-acc", keyVaultUri: "https://kv1.vault.azure.net/", keyVersion: "" } }
          : undefined,
      },
    },
    storage: [
      {
        id: STORAGE,
        name: "stdata",
        properties: {
          allowSharedKeyAccess: false,
          networkAcls: { defaultAction: "Deny" },
          encryption: storageKey
            ? { keySource: "Microsoft.Keyvault", keyvaultproperties: { keyname: "k-st", keyvaulturi: "https://KV1.vault.azure.net", keyversion: "abc123" } }
            : { keySource: "Microsoft.Storage" },
        },
      },
    ],
    keyVaults: [{ id: VAULT, name: "kv1", properties: { vaultUri: "https://kv1.vault.azure.net/", enableSoftDelete: true, enablePurgeProtection: false } }],
    roleAssignments: [
      {
        id: `${STORAGE}/providers/Microsoft.Authorization/roleAssignments/r1`,
        properties: {
          principalId: "P1",
          scope: `${SUB}/resourceGroups/rg-data`,
          roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
        },
      },
    ],
  };
}

const f = (controlId: string, status: string, evidencePaths: string[] = []): ChainInputFinding => ({
  controlId,
  status,
  reason: status === "unknown" ? "not_visible" : null,
  muted: false,
  evidence: evidencePaths.map((path) => ({ path, actual: null, expected: null })),
});

const resource = { id: ACCOUNT, name: "spch", kind: "SpeechServices", location: "westeurope" };

describe("layoutEncryptionChain", () => {
  it("draws resource → storage → vault and the resource's own key, with facts read case-insensitively", () => {
    const chain = layoutEncryptionChain(resource, docs(), [
      f("BYOS-1", "pass"),
      f("BYOS-3", "pass"),
      f("CMK-1", "pass"),
      f("CMK-2", "pass", [`storage:${STORAGE} properties.encryption.keySource`]),
      f("CMK-4", "fail", [`storage:${STORAGE} properties.encryption.keyvaultproperties.keyversion`]),
      f("CMK-3", "fail", [`vault:${VAULT} properties.enablePurgeProtection`]),
      f("NET-3", "pass"),
      f("LBX-1", "fail"),
    ]);
    expect(chain.rows).toHaveLength(2);
    const [storageRow, accountRow] = chain.rows;
    expect(storageRow.middle.title).toBe("stdata");
    expect(storageRow.middle.facts.find((x) => x.label === "Key source")?.value).toBe("Customer-managed key (Key Vault)");
    expect(storageRow.middle.facts.find((x) => x.label === "Version / rotation")?.value).toMatch(/^pinned abc123/);
    expect(storageRow.toMiddle.label).toBe("Storage Blob Data Contributor");
    expect(storageRow.toMiddle.detail).toContain("on its resource group");
    expect(storageRow.toVault?.status).toBe("fail");
    expect(storageRow.toVault?.findings.map((x) => `${x.controlId}:${x.status}`)).toEqual(["CMK-2:pass", "CMK-4:fail"]);
    expect(storageRow.vault?.title).toBe("kv1");
    expect(storageRow.vault?.status).toBe("fail");
    expect(storageRow.vault?.facts.find((x) => x.label === "Purge protection")?.value).toBe("Off");
    // The account's key lives in the same vault: referred to, not repeated.
    expect(accountRow.direct).toBe(true);
    expect(accountRow.toMiddle.findings.map((x) => x.controlId)).toEqual(["CMK-1"]);
    expect(accountRow.middle.facts).toEqual([]);
    expect(accountRow.middle.note).toMatch(/same key vault/);
    expect(chain.speech.findings.map((x) => x.controlId)).not.toContain("CMK-1");
    expect(chain.lockbox?.status).toBe("fail");
    expect(chain.lockboxParts).toEqual(["BYOS-1", "BYOS-2", "CMK-2", "CMK-3", "IAM-2", "NET-3"]);
  });

  it("shows Microsoft-managed storage when no customer storage is linked", () => {
    const chain = layoutEncryptionChain(resource, docs({ byos: false, accountKey: false }), [f("BYOS-1", "fail"), f("CMK-1", "fail")]);
    expect(chain.rows).toHaveLength(1);
    expect(chain.rows[0].middle.type).toBe("placeholder");
    expect(chain.rows[0].middle.title).toBe("Microsoft-managed storage");
    expect(chain.rows[0].toMiddle.status).toBe("fail");
    // Without a customer key, CMK-1 is judged on the resource itself.
    expect(chain.speech.findings.map((x) => x.controlId)).toContain("CMK-1");
    expect(chain.speech.facts.find((x) => x.label === "Key source")?.value).toBe("Microsoft-managed key");
  });

  it("marks a linked storage account the scan could not see", () => {
    const d = docs();
    d.storage = [];
    const chain = layoutEncryptionChain(resource, d, [f("BYOS-2", "unknown", [`storage:${STORAGE} id`]), f("CMK-2", "unknown", [`storage:${STORAGE} id`])]);
    const row = chain.rows[0];
    expect(row.middle.visible).toBe(false);
    expect(row.middle.status).toBe("unknown");
    expect(row.middle.note).toMatch(/not visible/i);
    expect(row.vault).toBeNull();
  });

  it("works without stored documents", () => {
    const chain = layoutEncryptionChain(resource, null, [f("NET-1", "fail")]);
    expect(chain.speech.visible).toBe(false);
    expect(chain.speech.status).toBe("fail");
    expect(chain.rows).toEqual([]);
  });
});

describe("helpers", () => {
  it("worst orders fail > unknown > pass > not applicable", () => {
    expect(worst([f("A", "pass"), f("B", "unknown")])).toBe("unknown");
    expect(worst([f("A", "pass"), f("B", "fail"), f("C", "unknown")])).toBe("fail");
    expect(worst([])).toBe("not_applicable");
  });
});
