import { describe, expect, it } from "vitest";
import { CATALOG } from "./controls";
import { encryptionChain, encryptionChainOfDocuments, DANGLING_STORAGE, UNSEEN_STORAGE, type ChainNode } from "./encryption-chain";
import { buildIndexes } from "./indexes";
import { ACCOUNT_ID, OTHER_SUB, RG, account, linking, roleAssignment, snapshot, storage, storageId, vault, vaultUri } from "./testing/fixtures";

const fact = (node: ChainNode, label: string) => node.facts.find((f) => f.label === label);
const KNOWN = new Set<string>(CATALOG.map((c) => c.id));

function chainOf(resources: Parameters<typeof snapshot>[0]["resources"], subscriptions?: string[]) {
  const snap = snapshot({ resources, subscriptions });
  return encryptionChain(resources[0], buildIndexes(snap));
}

describe("encryptionChain", () => {
  it("follows account → storage → vault, with one vault drawn once for both keys", () => {
    const acc = account({
      ...linking(storageId("stdata")),
      disableLocalAuth: true,
      encryption: {
        keySource: "Microsoft.KeyVault",
        keyVaultProperties: { keyName: "k-acc", keyVaultUri: "https://KV-SPEECH.vault.azure.net", keyVersion: "" },
      },
    });
    const chain = chainOf([acc, storage("stdata"), vault("kv-speech", { enablePurgeProtection: false }), roleAssignment(RG)]);
    expect(chain.account.title).toBe("speech-prod-01");
    expect(fact(chain.account, "Key source")).toMatchObject({ value: "Customer-managed key (Key Vault)", tone: "pass", control: "CMK-1" });
    expect(fact(chain.account, "Key (local) authentication")).toMatchObject({ value: "Disabled", control: "IAM-1" });
    // The key is drawn as an edge, so CMK-1 is not one of the box's own controls.
    expect(chain.account.controls).not.toContain("CMK-1");
    expect(chain.noStorage).toBeUndefined();
    const [link] = chain.storages;
    expect(link.storage).toMatchObject({ title: "stdata", visible: true, role: "Linked storage account (BYOS)" });
    expect(fact(link.storage, "Version / rotation")).toMatchObject({ value: "automatic (latest version)", control: "CMK-4", tone: "pass" });
    expect(fact(link.storage, "Public network access")?.control).toBe("NET-3");
    expect(fact(link.storage, "Shared-key access")).toMatchObject({ value: "Refused", control: "IAM-2" });
    expect(link.access).toMatchObject({
      label: "Storage Blob Data Contributor",
      detail: "SystemAssigned identity, on its resource group",
      controls: ["BYOS-3"],
    });
    expect(link.keyEdge).toMatchObject({ label: "Key byos-key", detail: "automatic rotation", controls: ["CMK-2", "CMK-4"] });
    // The account's key and the storage key are in the same vault (URIs match case-insensitively).
    expect(chain.vaults).toHaveLength(1);
    expect(link.vault).toBe(0);
    expect(chain.accountVault).toBe(0);
    expect(chain.vaults[0]).toMatchObject({ title: "kv-speech", role: "Key vault (both keys)", visible: true, controls: ["CMK-3"] });
    expect(fact(chain.vaults[0], "Purge protection")).toMatchObject({ value: "Off", tone: "fail", control: "CMK-3" });
    expect(chain.accountKeyEdge).toMatchObject({ label: "Resource key k-acc", detail: "latest version", controls: ["CMK-1"] });
  });

  it("tags every fact, node and edge with a control of the catalogue", () => {
    const chain = chainOf([account(linking(storageId("stdata"))), storage("stdata"), vault("kv-speech")]);
    const nodes = [chain.account, ...chain.storages.map((s) => s.storage), ...chain.vaults];
    const tags = [
      ...nodes.flatMap((n) => [...n.controls, ...n.facts.flatMap((f) => (f.control ? [f.control] : []))]),
      ...chain.storages.flatMap((s) => [...s.access.controls, ...(s.keyEdge?.controls ?? [])]),
    ];
    expect(tags.length).toBeGreaterThan(10);
    for (const id of tags) expect(KNOWN).toContain(id);
  });

  it("stands Microsoft-managed storage in for no linked storage, and judges CMK-1 on the resource", () => {
    const chain = chainOf([account()]);
    expect(chain.storages).toEqual([]);
    expect(chain.noStorage?.node).toMatchObject({ type: "placeholder", title: "Microsoft-managed storage", controls: ["BYOS-1"] });
    expect(chain.noStorage?.edge.label).toBe("No customer-owned storage");
    expect(fact(chain.account, "Key source")).toMatchObject({ value: "Microsoft-managed key", tone: "fail" });
    expect(chain.account.controls).toContain("CMK-1");
    expect(chain.accountVault).toBeUndefined();
  });

  it("says whether an unseen storage account's subscription was read, and names a vault it cannot see", () => {
    const missing = storageId("stgone");
    const elsewhere = storageId("stother", OTHER_SUB);
    const chain = chainOf([account(linking(missing, elsewhere))]);
    expect(chain.storages.map((s) => [s.storage.visible, s.storage.note, s.keyEdge])).toEqual([
      [false, DANGLING_STORAGE, null],
      [false, UNSEEN_STORAGE, null],
    ]);
    const unseenVault = chainOf([account(linking(storageId("stdata"))), storage("stdata")]);
    expect(unseenVault.vaults[0]).toMatchObject({ title: "kv-speech", visible: false, role: "Key vault (storage key)" });
    expect(fact(unseenVault.vaults[0], "Vault URI")).toMatchObject({ value: vaultUri("kv-speech"), control: "CMK-3" });
  });

  it("draws a placeholder for a storage key Microsoft manages, and no role it cannot find", () => {
    const chain = chainOf([account(linking(storageId("stdata"))), storage("stdata", { encryption: { keySource: "Microsoft.Storage" } })]);
    const [link] = chain.storages;
    expect(link.vault).toBeUndefined();
    expect(link.keyEdge?.label).toBe("No customer key");
    expect(link.microsoftKey).toMatchObject({ type: "placeholder", title: "Microsoft-managed key" });
    expect(link.access.label).toBe("No role assignment found");
    expect(fact(link.storage, "Key source")?.value).toBe("Microsoft-managed key (Microsoft.Storage)");
  });

  it("reads the same chain from the documents kept with an account", () => {
    const acc = account(linking(storageId("stdata")));
    const docs = [acc, storage("stdata"), vault("kv-speech"), roleAssignment(storageId("stdata"))];
    const fromSnapshot = chainOf(docs);
    const stripped = (d: (typeof docs)[number]) => ({ ...d, type: undefined });
    const fromDocuments = encryptionChainOfDocuments({
      account: acc,
      storage: [stripped(docs[1])],
      keyVaults: [stripped(docs[2])],
      roleAssignments: [stripped(docs[3])],
    });
    expect(fromDocuments).toEqual(fromSnapshot);
    expect(fromDocuments.storages[0].access.detail).toContain("on the storage account");
    expect(fromDocuments.account.resourceId).toBe(ACCOUNT_ID);
  });
});
