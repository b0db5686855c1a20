/**
 * Blast radius and search by dependency on both real databases: a storage account or key vault
 * lists exactly the Speech resources that depend on it (worked out here from the snapshot itself),
 * and the findings search matches linked storage-account and key-vault names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dependentsOf } from "./dependencies";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import type { Scan } from "./scans/scans";
import { isSpeechAccount, type AzureDocument } from "@/lib/posture/snapshot";
import { idKey, lastSegment } from "@/lib/posture/ids";

const q = (s = "") => parseFindingsQuery(new URLSearchParams(s));
const snapshot = snapshotOf(smallTenant(24, 3, 5), "2026-11-28T09:00:00Z");

type Props = { userOwnedStorage?: { resourceId: string }[]; encryption?: { keySource?: string; keyVaultProperties?: { keyVaultUri?: string } } };
const props = (d: AzureDocument) => (d.properties ?? {}) as Props;
const accounts = snapshot.resources.filter(isSpeechAccount);
const storageById = new Map(snapshot.resources.filter((d) => d.type?.toLowerCase() === "microsoft.storage/storageaccounts").map((d) => [idKey(d.id), d]));
const linkedStorage = (a: AzureDocument) => (props(a).userOwnedStorage ?? []).map((s) => idKey(s.resourceId));
const vaultName = (uri: string | undefined) => (uri ? new URL(uri).hostname.split(".")[0].toLowerCase() : undefined);
/** Vault names an account's keys live in: its own key, and its linked storage accounts' keys. */
function vaultsOf(a: AzureDocument): string[] {
  const names: (string | undefined)[] = [];
  const own = props(a).encryption;
  if (own?.keySource?.toLowerCase() === "microsoft.keyvault") names.push(vaultName(own.keyVaultProperties?.keyVaultUri));
  for (const s of linkedStorage(a)) {
    const enc = (storageById.get(s)?.properties as { encryption?: { keySource?: string; keyvaultproperties?: { keyvaulturi?: string } } } | undefined)
      ?.encryption;
    if (enc?.keySource?.toLowerCase() === "microsoft.keyvault") names.push(vaultName(enc.keyvaultproperties?.keyvaulturi));
  }
  return names.filter((n): n is string => n !== undefined);
}

afterAll(() => releaseDatabases());

describe.each(DATABASES)("dependencies on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  let scan: Scan;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => new Date("2026-11-28T10:00:00Z") });
    jobs = jobsFor(store);
    scan = await importAndWait(jobs, snapshot);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("lists every Speech resource that depends on a storage account, and only those", async () => {
    const counts = new Map<string, number>();
    for (const a of accounts) for (const s of linkedStorage(a)) counts.set(s, (counts.get(s) ?? 0) + 1);
    const [storageKey] = [...counts.entries()].filter(([k]) => storageById.has(k)).sort((a, b) => b[1] - a[1])[0];
    const storageId = storageById.get(storageKey)!.id;
    const expected = accounts.filter((a) => linkedStorage(a).includes(storageKey)).map((a) => a.id);

    const found = (await dependentsOf(store, scan.id, storageId.toUpperCase()))!;
    expect(found.kind).toBe("storage");
    expect(found.name).toBe(storageById.get(storageKey)!.name);
    expect(found.dependents.map((d) => d.resourceId).sort()).toEqual(expected.sort());
    expect(found.dependents.every((d) => d.via.some((v) => v.startsWith("linked storage")))).toBe(true);

    // Searching the findings for the storage account's name finds the findings of exactly those resources.
    const byName = await queryFindings(store, scan.id, q(`q=${encodeURIComponent(lastSegment(storageId))}&pageSize=500`));
    expect([...new Set(byName.items.map((f) => f.resourceId))].sort()).toEqual(expected.sort());
    expect(byName.total).toBe(expected.length * 18);
  });

  it("lists every Speech resource whose own key or whose storage's key a key vault holds", async () => {
    const users = new Map<string, string[]>();
    for (const a of accounts) for (const v of vaultsOf(a)) users.set(v, [...new Set([...(users.get(v) ?? []), a.id])]);
    expect(users.size).toBeGreaterThan(0);
    const [vault, expected] = [...users.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    const vaultDoc = snapshot.resources.find((d) => d.type?.toLowerCase() === "microsoft.keyvault/vaults" && d.name?.toLowerCase() === vault);
    const vaultId = vaultDoc?.id ?? `/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/${vault}`;
    const found = (await dependentsOf(store, scan.id, vaultId))!;
    expect(found.kind).toBe("vault");
    expect(found.dependents.map((d) => d.resourceId).sort()).toEqual([...expected].sort());
    expect(found.dependents.every((d) => d.via.every((v) => v.startsWith("key vault: holds")))).toBe(true);

    const byName = await queryFindings(store, scan.id, q(`q=${vault}&pageSize=500`));
    expect([...new Set(byName.items.map((f) => f.resourceId))].sort()).toEqual([...expected].sort());
  });

  it("answers nothing for an ID that is neither a storage account nor a key vault, and an empty list for one nobody uses", async () => {
    expect(await dependentsOf(store, scan.id, accounts[0].id)).toBeUndefined();
    const unused = await dependentsOf(store, scan.id, "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/nobodyuses");
    expect(unused).toMatchObject({ kind: "storage", name: "nobodyuses", dependents: [] });
  });
});
