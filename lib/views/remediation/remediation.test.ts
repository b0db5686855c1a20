import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CATALOG } from "@/lib/posture/controls";
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { Control, Evidence } from "@/lib/posture/types";
import type { Status } from "@/lib/posture/vocabulary";
import type { AccountDocuments } from "@/lib/store/scans/documents";
import { fillRemediation, portalResourceHref, remediationTarget, type FindingState } from "./index";

const SUB = "6f1c2a7e-0b1d-4c55-9a61-2f3e4d5c6b7a";
const STORAGE_SUB = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg-speech-prod/providers/Microsoft.CognitiveServices/accounts/speech-contoso-01`;
const STORAGE_ID = `/subscriptions/${STORAGE_SUB}/resourceGroups/rg-speech-data/providers/Microsoft.Storage/storageAccounts/stcontosospeech01`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-contoso-keys`;
const VAULT_URI = "https://kv-contoso-keys.vault.azure.net/";

interface Shape {
  identity?: boolean;
  storageIdentity?: boolean;
  vaultProtected?: boolean;
  accountCmk?: boolean;
  name?: string;
}

function documents(shape: Shape = {}): AccountDocuments {
  const name = shape.name ?? "speech-contoso-01";
  const id = ACCOUNT_ID.replace(/speech-contoso-01$/, name);
  const account: AzureDocument = {
    id,
    name,
    type: "Microsoft.CognitiveServices/accounts",
    kind: "SpeechServices",
    location: "westeurope",
    sku: { name: "S0" },
    ...(shape.identity === false ? {} : { identity: { type: "SystemAssigned", principalId: "11111111-2222-3333-4444-555555555555" } }),
    properties: {
      customSubDomainName: name,
      userOwnedStorage: [{ resourceId: STORAGE_ID }],
      ...(shape.accountCmk ? { encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: VAULT_URI, keyName: "speech-key" } } } : {}),
    },
  };
  const storage: AzureDocument = {
    id: STORAGE_ID,
    name: "stcontosospeech01",
    type: "Microsoft.Storage/storageAccounts",
    ...(shape.storageIdentity ? { identity: { type: "SystemAssigned", principalId: "99999999-2222-3333-4444-555555555555" } } : {}),
    properties: {
      primaryEndpoints: { blob: "https://stcontosospeech01.blob.core.windows.net/" },
      encryption: { keySource: "Microsoft.Keyvault", keyvaultproperties: { keyvaulturi: VAULT_URI, keyname: "storage-key", keyversion: "0123abcd" } },
    },
  };
  const vault: AzureDocument = {
    id: VAULT_ID,
    name: "kv-contoso-keys",
    type: "Microsoft.KeyVault/vaults",
    properties: { vaultUri: VAULT_URI, enableSoftDelete: true, enablePurgeProtection: shape.vaultProtected ?? true, enableRbacAuthorization: true },
  };
  return {
    account,
    storage: [storage],
    keyVaults: [vault],
    roleAssignments: [],
    diagnosticSettings: [],
    speechEndpoints: [
      {
        self: `https://${name}.cognitiveservices.azure.com/speechtotext/endpoints/7d3c9a10-1111-4a4b-9c9c-0123456789ab?api-version=2024-11-15`,
        displayName: "call-centre-en",
        properties: { loggingEnabled: true },
      },
    ],
  };
}

const state = (statuses: Record<string, Status> = {}, evidence: Evidence[] = []): FindingState => ({ evidence, statuses: new Map(Object.entries(statuses)) });
const control = (id: string): Control => CATALOG.find((c) => c.id === id)!;
const fill = (id: string, shape: Shape = {}, finding: FindingState = state({ "BYOS-1": "fail" })) =>
  fillRemediation(control(id), remediationTarget(documents(shape), TENANT), finding);

/** A placeholder of the catalogue: `<speech-name>`, `<rg>`, `<linked-storage-id>`… */
const PLACEHOLDER = /<[a-z][a-z-]*>/;

describe("filled-in remediation", () => {
  it.each(CATALOG.map((c) => c.id))("%s: the CLI and Bicep name the resource's real names and keep no placeholder", (id) => {
    const r = fill(id, { vaultProtected: false }, state({ "BYOS-1": "pass", "IAM-2": "fail", "NET-3": "fail" }));
    expect(r.cli).not.toMatch(PLACEHOLDER);
    expect(r.bicep).not.toMatch(PLACEHOLDER);
    expect(r.portal.join("\n")).not.toMatch(PLACEHOLDER);
    // Every script acts on this resource's real account, storage or vault.
    expect(r.cli).toMatch(/speech-contoso-01|stcontosospeech01|kv-contoso-keys/);
    // Valid POSIX shell, quoting included.
    const syntax = spawnSync("bash", ["-n"], { input: r.cli, encoding: "utf8" });
    expect(syntax.status, syntax.stderr).toBe(0);
  });

  it("the catalogue keeps its placeholders for the controls page and the docs", () => {
    expect(control("BYOS-3").remediation.cli).toContain("<speech-name>");
    expect(control("IAM-2").remediation.cli).toContain("<storage>");
  });

  it("BYOS-3 turns on the account's identity before reading its principal ID when it has none", () => {
    const cli = fill("BYOS-3", { identity: false }).cli;
    const assign = cli.indexOf("az cognitiveservices account identity assign --name speech-contoso-01 --resource-group rg-speech-prod");
    const read = cli.indexOf("--query identity.principalId");
    expect(assign).toBeGreaterThanOrEqual(0);
    expect(read).toBeGreaterThan(assign);
    expect(cli).toContain(`--subscription ${SUB}`);
    expect(cli).toContain(`--scope ${STORAGE_ID}`);
  });

  it("BYOS-3 reads the existing identity without assigning one when the account has it", () => {
    const cli = fill("BYOS-3", { identity: true }).cli;
    expect(cli).not.toContain("identity assign");
    expect(cli).toContain("principal=$(az cognitiveservices account show --name speech-contoso-01 --resource-group rg-speech-prod");
  });

  it("BYOS-3's Bicep is deployed where the storage is and refers to the account across resource groups", () => {
    const bicep = fill("BYOS-3").bicep;
    expect(bicep).toContain(`Deploy to resource group rg-speech-data (subscription ${STORAGE_SUB})`);
    expect(bicep).toContain(`scope: resourceGroup('${SUB}', 'rg-speech-prod')`);
    expect(bicep).toContain("existing = { name: 'stcontosospeech01' }");
  });

  it("CMK-1 assigns an identity, protects the vault, grants key use and creates the key before pointing the account at it", () => {
    const cli = fill("CMK-1", { identity: false, vaultProtected: false }).cli;
    const order = [
      "az cognitiveservices account identity assign",
      "--query identity.principalId",
      `az keyvault update --name kv-contoso-keys --resource-group rg-keys --subscription ${SUB} --enable-purge-protection true`,
      "Key Vault Crypto Service Encryption User",
      "az keyvault key create --vault-name kv-contoso-keys",
      "az cognitiveservices account update --name speech-contoso-01",
    ].map((s) => cli.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(cli).toContain(VAULT_URI);
  });

  it("CMK-1 keeps the key the account already names", () => {
    const cli = fill("CMK-1", { accountCmk: true }).cli;
    expect(cli).not.toContain("az keyvault key create");
    expect(cli).toContain('"keyName":"speech-key"');
  });

  it("CMK-2 turns on the storage account's identity before reading it", () => {
    const cli = fill("CMK-2", { storageIdentity: false }).cli;
    // The fixture's storage already uses a key: make it Microsoft-managed.
    const docs = documents({ storageIdentity: false });
    (docs.storage[0].properties as Record<string, unknown>).encryption = { keySource: "Microsoft.Storage" };
    const filled = fillRemediation(control("CMK-2"), remediationTarget(docs, TENANT), state()).cli;
    const assign = filled.indexOf(
      `az storage account update --name stcontosospeech01 --resource-group rg-speech-data --subscription ${STORAGE_SUB} --assign-identity`,
    );
    expect(assign).toBeGreaterThanOrEqual(0);
    expect(filled.indexOf("storage_principal=$(az storage account show")).toBeGreaterThan(assign);
    expect(filled).toContain("--encryption-key-source Microsoft.Keyvault");
    expect(cli).toContain("already uses a customer-managed key");
  });

  it("CMK-4 unpins the storage key with its real vault and key", () => {
    const cli = fill("CMK-4").cli;
    expect(cli).toContain(`--encryption-key-vault ${VAULT_URI} \\`);
    expect(cli).toContain('--encryption-key-name storage-key --encryption-key-version ""');
  });

  it("NET-3 adds the resource-instance rule for the account before denying public networks", () => {
    const cli = fill("NET-3").cli;
    const rule = cli.indexOf(`--resource-id ${ACCOUNT_ID} --tenant-id ${TENANT}`);
    expect(rule).toBeGreaterThanOrEqual(0);
    expect(cli.indexOf("--default-action Deny")).toBeGreaterThan(rule);
  });

  it("NET-1 enforces the perimeter association the evidence shows in Learning mode", () => {
    const assoc = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityPerimeters/nsp-speech/resourceAssociations/speech-assoc`;
    const r = fill("NET-1", {}, state({}, [{ path: `perimeter:${assoc} properties.accessMode`, actual: "Learning", expected: "Enforced" }]));
    expect(r.cli).toContain(`az network perimeter association update --perimeter-name nsp-speech --resource-group rg-net`);
    expect(r.cli).toContain("--name speech-assoc --access-mode Enforced");
  });

  it("NET-4 allows the linked storage's real blob host", () => {
    expect(fill("NET-4").cli).toContain(`'properties.allowedFqdnList=["stcontosospeech01.blob.core.windows.net"]'`);
  });

  it("LOG-1 patches each logging endpoint at its own URL with the current API version and a Microsoft Entra token", () => {
    const cli = fill("LOG-1").cli;
    expect(cli).toContain(
      "https://speech-contoso-01.cognitiveservices.azure.com/speechtotext/endpoints/7d3c9a10-1111-4a4b-9c9c-0123456789ab?api-version=2025-10-15",
    );
    expect(cli).toContain("az account get-access-token --resource https://cognitiveservices.azure.com");
    expect(cli).not.toContain("v3.2");
  });

  it("LBX-1 carries the filled-in steps of exactly the parts that fail", () => {
    const cli = fill("LBX-1", {}, state({ "BYOS-1": "pass", "BYOS-2": "pass", "CMK-2": "pass", "CMK-3": "pass", "IAM-2": "fail", "NET-3": "fail" })).cli;
    expect(cli).toContain("# --- IAM-2 (fail) ---");
    expect(cli).toContain("# --- NET-3 (fail) ---");
    expect(cli).not.toContain("--- BYOS-1");
    expect(cli).toContain("--allow-shared-key-access false");
  });

  it("links each resource the steps change to its blade in the portal, in its tenant", () => {
    expect(fill("IAM-1").links).toEqual([
      { label: "Open speech-contoso-01 in the Azure portal", href: `https://portal.azure.com/#@${TENANT}/resource${ACCOUNT_ID}` },
    ]);
    expect(fill("IAM-2").links.map((l) => l.href)).toEqual([`https://portal.azure.com/#@${TENANT}/resource${STORAGE_ID}`]);
    expect(fill("CMK-3").links.map((l) => l.href)).toEqual([`https://portal.azure.com/#@${TENANT}/resource${VAULT_ID}`]);
    expect(fill("IAM-1").portal[0]).toContain("`speech-contoso-01` (resource group `rg-speech-prod`");
  });

  it("quotes hostile names so they stay one argument and a line break cannot start a command", () => {
    const name = "speech'; rm -rf ~ #\nrm -rf /";
    const r = fill("IAM-3", { name });
    expect(r.cli).toContain(`--name 'speech'\\''; rm -rf ~ #\nrm -rf /'`);
    for (const id of ["IAM-3", "BYOS-3", "CMK-1", "LOG-1"]) {
      const cli = fill(id, { name, identity: false }).cli;
      // Run it with az, curl and rm replaced by recorders: only the stand-ins may run, and rm never.
      const run = spawnSync("bash", ["-c", `az() { echo "az:$2"; }; curl() { echo curl; }; rm() { echo RAN-RM; }; PATH=/nonexistent\n${cli}`], {
        encoding: "utf8",
      });
      expect(run.stdout, id).not.toContain("RAN-RM");
      expect(run.stderr, id).not.toMatch(/command not found/);
    }
    expect(fill("BYOS-3", { name, identity: false }).cli).toContain("[U+000A]rm -rf /");
  });

  it("portal links encode unusual characters and leave out a tenant that is not a tenant", () => {
    expect(portalResourceHref(null, "/subscriptions/s/resourceGroups/rg/providers/P/x/a b")).toBe(
      "https://portal.azure.com/#resource/subscriptions/s/resourceGroups/rg/providers/P/x/a%20b",
    );
    expect(portalResourceHref("evil/../x", "/subscriptions/s")).toBe("https://portal.azure.com/#resource/subscriptions/s");
  });
});
