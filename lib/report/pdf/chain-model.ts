/**
 * The encryption chain of one Speech resource, read from the snapshot: the account, each linked
 * storage account and the key vaults holding the keys, with the facts an auditor checks (key
 * source, key and version, network exposure, shared-key and local auth, the identity's role) and,
 * for each, the status of the control that judges it (from the result's findings).
 */
import { prepareAccount } from "@/lib/posture/account";
import { buildIndexes, type SnapshotIndex } from "@/lib/posture/indexes";
import { idKey, lastSegment, vaultUriKey } from "@/lib/posture/ids";
import type { AzureDocument, Snapshot } from "@/lib/posture/snapshot";
import type { ReportFinding } from "@/lib/report/model";

export interface Fact {
  readonly label: string;
  readonly value: string;
  /** The control judging this fact, and its status for the resource. */
  readonly control?: string;
  readonly status?: string;
  readonly muted?: boolean;
}

export interface ChainNode {
  readonly role: string;
  readonly name: string;
  readonly visible: boolean;
  readonly facts: readonly Fact[];
}

export interface ChainEdge {
  readonly label: string;
  readonly control: string;
  readonly status?: string;
  readonly muted?: boolean;
}

export interface StorageLink {
  readonly storage: ChainNode;
  /** Speech → storage: the managed identity's role on the storage account. */
  readonly access: ChainEdge;
  /** Index into `vaults` of the vault holding this storage account's key. */
  readonly vault?: number;
  readonly keyEdge?: ChainEdge;
}

export interface Chain {
  readonly account: ChainNode;
  readonly storages: readonly StorageLink[];
  readonly vaults: readonly ChainNode[];
  /** Index into `vaults` of the vault holding the resource's own key. */
  readonly accountVault?: number;
}

type Json = Record<string, unknown>;

const rec = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const either = (o: Json, a: string, b: string): unknown => (o[a] !== undefined ? o[a] : o[b]);

/** Builds the chain finder for a snapshot once; each call reads one account. */
export function chainReader(snapshot: Snapshot): (resourceId: string, findings: ReadonlyMap<string, ReportFinding> | undefined) => Chain | undefined {
  const ix = buildIndexes(snapshot);
  const accounts = new Map(ix.accounts.map((a) => [a.key, a]));
  return (resourceId, findings) => {
    const entry = accounts.get(idKey(resourceId));
    if (!entry) return undefined;
    return readChain(entry, ix, findings ?? new Map());
  };
}

function readChain(entry: SnapshotIndex["accounts"][number], ix: SnapshotIndex, findings: ReadonlyMap<string, ReportFinding>): Chain {
  const account = prepareAccount(entry, ix);
  const tag = (control: string) => {
    const f = findings.get(control);
    return { control, status: f?.status, muted: f?.muted === true };
  };
  const props = account.props as Json;
  const encryption = rec(props.encryption);
  const cmk = rec(either(encryption, "keyVaultProperties", "keyvaultproperties"));
  const accountCmk = str(encryption.keySource)?.toLowerCase() === "microsoft.keyvault";
  const vaults: ChainNode[] = [];
  const vaultIndex = new Map<string, number>();
  const roles = new Map<number, Set<string>>();
  const addVault = (uri: string | undefined, role: string): number | undefined => {
    if (!uri) return undefined;
    const key = vaultUriKey(uri);
    let i = vaultIndex.get(key);
    if (i === undefined) {
      i = vaults.length;
      vaultIndex.set(key, i);
      vaults.push(vaultNode(uri, ix.vaults.get(key)?.doc, tag("CMK-3")));
      roles.set(i, new Set());
    }
    roles.get(i)?.add(role);
    return i;
  };

  const accountVault = accountCmk ? addVault(str(either(cmk, "keyVaultUri", "keyvaulturi")), "resource key") : undefined;
  const pna = str(props.publicNetworkAccess) ?? "Enabled (not set)";
  const acls = rec(props.networkAcls);
  const identityType = str(rec(account.identity).type) ?? "None";
  const accountNode: ChainNode = {
    role: "Speech resource",
    name: account.name,
    visible: true,
    facts: [
      { label: "Key source", value: accountCmk ? "Customer-managed (Key Vault)" : "Microsoft-managed", ...tag("CMK-1") },
      ...(accountCmk ? [{ label: "Key / version", value: keyText(cmk, "keyName", "keyVersion") }] : []),
      { label: "Public network access", value: `${pna}${str(acls.defaultAction) ? `; default action ${acls.defaultAction}` : ""}`, ...tag("NET-1") },
      { label: "Private endpoints", value: endpointText(props.privateEndpointConnections), ...tag("NET-2") },
      { label: "Local (key) auth", value: props.disableLocalAuth === true ? "Disabled" : "Enabled", ...tag("IAM-1") },
      { label: "Managed identity", value: identityType, ...tag("IAM-3") },
    ],
  };

  const storages: StorageLink[] = account.linked.map((linked) => {
    const sp = linked.props as Json;
    const senc = rec(sp.encryption);
    const skv = rec(either(senc, "keyVaultProperties", "keyvaultproperties"));
    const storageCmk = str(senc.keySource)?.toLowerCase() === "microsoft.keyvault";
    const vault = linked.doc && storageCmk ? addVault(str(either(skv, "keyVaultUri", "keyvaulturi")) ?? "(no key vault URI)", "storage key") : undefined;
    const sacls = rec(sp.networkAcls);
    const version = str(either(skv, "keyVersion", "keyversion"));
    const node: ChainNode = linked.doc
      ? {
          role: "Storage account (BYOS)",
          name: linked.name,
          visible: true,
          facts: [
            { label: "Key source", value: storageCmk ? "Customer-managed (Key Vault)" : "Microsoft-managed", ...tag("CMK-2") },
            ...(storageCmk ? [{ label: "Key rotation", value: version ? `Pinned to version ${version}` : "Automatic (latest version)", ...tag("CMK-4") }] : []),
            { label: "Infrastructure encryption", value: senc.requireInfrastructureEncryption === true ? "On" : "Off", ...tag("CMK-5") },
            {
              label: "Public network access",
              value: `${str(sp.publicNetworkAccess) ?? "Enabled (not set)"}${str(sacls.defaultAction) ? `; default action ${sacls.defaultAction}` : ""}`,
              ...tag("NET-3"),
            },
            { label: "Private endpoints", value: endpointText(sp.privateEndpointConnections) },
            { label: "Shared-key access", value: sp.allowSharedKeyAccess === false ? "Refused" : "Allowed", ...tag("IAM-2") },
          ],
        }
      : {
          role: "Storage account (BYOS)",
          name: linked.name,
          visible: false,
          facts: [{ label: "Document", value: linked.scanned ? "Missing (subscription scanned)" : "Not visible (not scanned)", ...tag("BYOS-2") }],
        };
    return {
      storage: node,
      access: { label: "Managed identity, Storage Blob Data Contributor", ...tag("BYOS-3") },
      vault,
      keyEdge: vault !== undefined ? { label: "Storage key", ...tag("CMK-2") } : undefined,
    };
  });

  const namedVaults = vaults.map((v, i) => {
    const r = roles.get(i) ?? new Set<string>();
    return { ...v, role: r.size > 1 ? "Key vault (both keys)" : `Key vault (${[...r].join("")})` };
  });
  return { account: accountNode, storages, vaults: namedVaults, accountVault };
}

function vaultNode(uri: string, doc: AzureDocument | undefined, cmk3: { control: string; status?: string; muted: boolean }): ChainNode {
  const name = vaultName(uri, doc);
  if (!doc) {
    return { role: "Key vault", name, visible: false, facts: [{ label: "Document", value: "Not visible in this scan", ...cmk3 }] };
  }
  const p = rec(doc.properties);
  return {
    role: "Key vault",
    name,
    visible: true,
    facts: [
      { label: "Soft delete", value: p.enableSoftDelete === false ? "Off" : "On" },
      { label: "Purge protection", value: p.enablePurgeProtection === true ? "On" : "Off", ...cmk3 },
      {
        label: "Public network access",
        value: `${str(p.publicNetworkAccess) ?? "Enabled (not set)"}${str(rec(p.networkAcls).defaultAction) ? `; default action ${rec(p.networkAcls).defaultAction}` : ""}`,
      },
    ],
  };
}

function vaultName(uri: string, doc: AzureDocument | undefined): string {
  if (doc && str(doc.name)) return doc.name as string;
  try {
    return new URL(uri).hostname.split(".")[0] || uri;
  } catch {
    return lastSegment(uri) || uri;
  }
}

function keyText(kv: Json, nameKey: string, versionKey: string): string {
  const name = str(either(kv, nameKey, nameKey.toLowerCase())) ?? "(no key name)";
  const version = str(either(kv, versionKey, versionKey.toLowerCase()));
  return `${name} / ${version ? `version ${version}` : "latest version"}`;
}

function endpointText(value: unknown): string {
  const list = Array.isArray(value) ? value : [];
  if (list.length === 0) return "None";
  const approved = list.filter((c) => str(rec(rec(rec(c).properties).privateLinkServiceConnectionState).status)?.toLowerCase() === "approved").length;
  return `${approved} approved of ${list.length}`;
}
