/**
 * The encryption chain of one Speech resource: the resource → its linked storage account(s) → the
 * key vault(s) holding their keys, and the vault of the resource's own key. Each node carries the
 * facts an auditor asks about, read from the documents, and each fact, node and edge names the
 * controls that judge it, so a renderer (the resource page, the PDF) only has to colour them with
 * the findings. Pure: an account document and the snapshot's indexes in, the model out.
 */
import { prepareAccount } from "./account";
import { idKey, isGrantScopeFor, lastSegment, vaultUriKey } from "./ids";
import type { SnapshotIndex } from "./indexes";
import { buildIndexes } from "./indexes";
import { keyOf, keyVaultProperties, usesKeyVault, vaultNameFromUri } from "./key-vaults";
import { child, eqCi, list, obj, text, type Json } from "./read";
import { KEY_VAULT_TYPE, ROLE_ASSIGNMENT_TYPE, SNAPSHOT_KIND, SNAPSHOT_VERSION, STORAGE_ACCOUNT_TYPE, type AzureDocument } from "./snapshot";
import type { ControlId, LinkedStorage } from "./types";
import type { Status } from "./vocabulary";

/** A colour hint read from the value itself; the words carry the meaning. */
export type FactTone = Exclude<Status, "unknown">;

export interface ChainFact {
  readonly label: string;
  readonly value: string;
  readonly tone?: FactTone;
  /** The control that judges this fact. */
  readonly control?: ControlId;
}

export interface ChainNode {
  readonly key: string;
  readonly type: "speech" | "storage" | "vault" | "placeholder";
  /** What the box is ("Linked storage account (BYOS)", "Key vault (storage key)"). */
  readonly role: string;
  /** Its name. */
  readonly title: string;
  readonly resourceId: string | null;
  /** Whether the scan saw its document. */
  readonly visible: boolean;
  readonly facts: readonly ChainFact[];
  /** For nodes the scan could not see, or placeholders: why. */
  readonly note?: string;
  /** The controls judging this node, in the order a renderer lists them. */
  readonly controls: readonly ControlId[];
}

export interface ChainEdge {
  readonly key: string;
  readonly label: string;
  readonly detail: string;
  readonly controls: readonly ControlId[];
}

export interface StorageLink {
  /** `idKey` of the linked storage ID (findings name it in their evidence). */
  readonly storageKey: string;
  /** Speech → storage: the managed identity's role on the storage account. */
  readonly access: ChainEdge;
  readonly storage: ChainNode;
  /** Storage → its key: the vault's key, or "no customer key" (null when the storage is not visible). */
  readonly keyEdge: ChainEdge | null;
  /** Index into `vaults` of the vault holding this storage account's key. */
  readonly vault?: number;
  /** Stands where the vault would be when the storage uses Microsoft-managed keys. */
  readonly microsoftKey?: ChainNode;
}

export interface EncryptionChainModel {
  readonly account: ChainNode;
  /** When no storage is linked: the edge to, and the box of, Microsoft-managed storage. */
  readonly noStorage?: { readonly edge: ChainEdge; readonly node: ChainNode };
  readonly storages: readonly StorageLink[];
  /** Each key vault once, however many keys it holds. */
  readonly vaults: readonly ChainNode[];
  /** Index into `vaults` of the vault holding the resource's own key, and the edge to it. */
  readonly accountVault?: number;
  readonly accountKeyEdge?: ChainEdge;
}

/** The controls of the Speech resource box (CMK-1 joins them when the key is not drawn as an edge). */
export const SPEECH_NODE_CONTROLS: readonly ControlId[] = ["BYOS-1", "NET-1", "NET-2", "NET-4", "IAM-1", "IAM-3", "LOG-1", "LOG-2"];
export const STORAGE_NODE_CONTROLS: readonly ControlId[] = ["BYOS-2", "CMK-5", "NET-3", "IAM-2"];
export const STORAGE_KEY_CONTROLS: readonly ControlId[] = ["CMK-2", "CMK-4"];

const NOT_SET_ENABLED = "Enabled (not set)";
const CMK_WORDS = "Customer-managed key (Key Vault)";

/** The documents kept with an account of a scan (see lib/scan/run-scan-documents.ts). */
export interface ChainDocuments {
  readonly account: AzureDocument;
  readonly storage?: readonly AzureDocument[] | null;
  readonly keyVaults?: readonly AzureDocument[] | null;
  readonly roleAssignments?: readonly AzureDocument[] | null;
}

/** The chain from the documents kept with an account rather than a whole snapshot. */
export function encryptionChainOfDocuments(docs: ChainDocuments): EncryptionChainModel {
  // Each list holds one kind of document: type it so the indexes file it there even if unlabelled.
  const typed = (list: readonly AzureDocument[] | null | undefined, type: string) => (list ?? []).map((d) => (d.type ? d : { ...d, type }));
  const ix = buildIndexes({
    kind: SNAPSHOT_KIND,
    version: SNAPSHOT_VERSION,
    collectedAt: "",
    subscriptions: [],
    coverage: [],
    resources: [...typed(docs.storage, STORAGE_ACCOUNT_TYPE), ...typed(docs.keyVaults, KEY_VAULT_TYPE), ...typed(docs.roleAssignments, ROLE_ASSIGNMENT_TYPE)],
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
  });
  return encryptionChain(docs.account, ix);
}

/** Builds the chain of one account from the snapshot's indexes. */
export function encryptionChain(account: AzureDocument, ix: SnapshotIndex): EncryptionChainModel {
  const view = prepareAccount({ doc: account, key: idKey(account.id), diagnosticSettings: undefined, speechEndpoints: undefined }, ix);
  const props = view.props;
  const vaults: { node: ChainNode; uses: Set<string> }[] = [];
  const vaultAt = new Map<string, number>();
  const addVault = (uri: string | undefined, use: "storage key" | "resource key"): number => {
    const key = uri === undefined ? "" : vaultUriKey(uri);
    let i = vaultAt.get(key);
    if (i === undefined) {
      i = vaults.length;
      vaultAt.set(key, i);
      vaults.push({ node: vaultNode(uri, uri === undefined ? undefined : ix.vaults.get(key)?.doc, vaults.length), uses: new Set() });
    }
    vaults[i].uses.add(use);
    return i;
  };

  const principal = text(view.identity.principalId);
  const grants = principal === undefined ? [] : (ix.roleAssignments.get(idKey(principal)) ?? []);
  const identity = text(view.identity.type) ?? "no managed identity";
  const storages: StorageLink[] = view.linked.map((linked) => {
    const found = grants.filter((g) => g.blobDataContributor && isGrantScopeFor(g.scopeKey, linked.key));
    const access: ChainEdge = {
      key: `e-role-${linked.key}`,
      label: found.length ? "Storage Blob Data Contributor" : "No role assignment found",
      detail: found.length ? `${identity} identity, ${scopeWords(found[0].scopeKey, found[0].scope, linked.key)}` : `for the resource's identity (${identity})`,
      controls: ["BYOS-3"],
    };
    const storage = storageNode(linked);
    if (!linked.doc) return { storageKey: linked.key, access, storage, keyEdge: null };
    if (usesKeyVault(linked.props)) {
      const key = keyOf(linked.props);
      return {
        storageKey: linked.key,
        access,
        storage,
        vault: addVault(key.uri, "storage key"),
        keyEdge: {
          key: `e-key-${linked.key}`,
          label: `Key ${key.name ?? "(unnamed)"}`,
          detail: key.version ? "pinned version" : "automatic rotation",
          controls: STORAGE_KEY_CONTROLS,
        },
      };
    }
    return {
      storageKey: linked.key,
      access,
      storage,
      keyEdge: { key: `e-key-${linked.key}`, label: "No customer key", detail: "storage uses Microsoft-managed keys", controls: STORAGE_KEY_CONTROLS },
      microsoftKey: {
        key: `vault-none-${linked.key}`,
        type: "placeholder",
        role: "No key vault",
        title: "Microsoft-managed key",
        resourceId: null,
        visible: false,
        facts: [],
        note: "The customer cannot revoke or rotate the key that protects this storage account.",
        controls: STORAGE_KEY_CONTROLS,
      },
    };
  });

  const accountKey = keyOf(props);
  const accountCmk = usesKeyVault(props) && accountKey.uri !== undefined;
  const accountVault = accountCmk ? addVault(accountKey.uri, "resource key") : undefined;
  const accountNode: ChainNode = {
    key: "speech",
    type: "speech",
    role: "Speech resource",
    title: view.name,
    resourceId: view.id,
    visible: true,
    facts: accountFacts(props, view.identity),
    controls: accountCmk ? SPEECH_NODE_CONTROLS : [...SPEECH_NODE_CONTROLS, "CMK-1"],
  };
  return {
    account: accountNode,
    noStorage: view.linked.length === 0 ? noStorage() : undefined,
    storages,
    vaults: vaults.map(({ node, uses }) => ({ ...node, role: uses.size > 1 ? "Key vault (both keys)" : `Key vault (${[...uses][0]})` })),
    accountVault,
    accountKeyEdge: accountCmk
      ? {
          key: "e-account-key",
          label: `Resource key ${accountKey.name ?? ""}`.trim(),
          detail: accountKey.version ? "pinned version" : "latest version",
          controls: ["CMK-1"],
        }
      : undefined,
  };
}

function noStorage(): EncryptionChainModel["noStorage"] {
  return {
    edge: { key: "e-nobyos", label: "No customer-owned storage", detail: "userOwnedStorage is empty", controls: ["BYOS-1"] },
    node: {
      key: "ms-storage",
      type: "placeholder",
      role: "No customer-owned storage",
      title: "Microsoft-managed storage",
      resourceId: null,
      visible: false,
      facts: [],
      note: "Custom models, datasets and logs are kept in storage the customer does not control. BYOS can only be chosen when the resource is created.",
      controls: ["BYOS-1"],
    },
  };
}

function keySourceFact(props: Json, control: ControlId): ChainFact {
  const keySource = text(child(props, "encryption").keySource);
  const cmk = usesKeyVault(props);
  return { label: "Key source", value: cmk ? CMK_WORDS : `Microsoft-managed key${keySource ? ` (${keySource})` : ""}`, tone: cmk ? "pass" : "fail", control };
}

function accountFacts(props: Json, identity: Json): ChainFact[] {
  const facts: ChainFact[] = [keySourceFact(props, "CMK-1")];
  if (usesKeyVault(props)) {
    const key = keyOf(props);
    facts.push({
      label: "Key",
      value: `${key.name ?? "(no name)"} · ${key.version ? `pinned version ${key.version.slice(0, 8)}…` : "latest version"}`,
      control: "CMK-1",
    });
  }
  facts.push(...networkFacts(props, "NET-1", "NET-2"));
  const localAuthOff = props.disableLocalAuth === true;
  facts.push({ label: "Key (local) authentication", value: localAuthOff ? "Disabled" : "Enabled", tone: localAuthOff ? "pass" : "fail", control: "IAM-1" });
  const type = text(identity.type);
  const hasIdentity = type !== undefined && !eqCi(type, "none");
  facts.push({ label: "Managed identity", value: hasIdentity ? type : "None", tone: hasIdentity ? "pass" : "fail", control: "IAM-3" });
  const outbound = props.restrictOutboundNetworkAccess === true;
  facts.push({ label: "Outbound traffic", value: outbound ? "Restricted" : "Unrestricted", tone: outbound ? "pass" : "fail", control: "NET-4" });
  return facts;
}

function storageNode(linked: LinkedStorage): ChainNode {
  const base = {
    key: `storage-${linked.key}`,
    type: "storage" as const,
    role: "Linked storage account (BYOS)",
    controls: STORAGE_NODE_CONTROLS,
  };
  if (!linked.doc) {
    return {
      ...base,
      title: linked.name,
      resourceId: linked.id,
      visible: false,
      facts: [],
      note: linked.scanned ? DANGLING_STORAGE : UNSEEN_STORAGE,
    };
  }
  const props = linked.props;
  const facts: ChainFact[] = [keySourceFact(props, "CMK-2")];
  if (usesKeyVault(props)) {
    const key = keyOf(props);
    const rotated = text(keyVaultProperties(props).lastKeyRotationTimestamp);
    facts.push({ label: "Key", value: key.name ?? "(no name)", control: "CMK-2" });
    facts.push({
      label: "Version / rotation",
      value: `${key.version ? `pinned ${key.version.slice(0, 8)}…` : "automatic (latest version)"}${rotated ? ` · last rotated ${rotated.slice(0, 10)}` : ""}`,
      tone: key.version ? "fail" : "pass",
      control: "CMK-4",
    });
  }
  const infra = child(props, "encryption").requireInfrastructureEncryption === true;
  facts.push({ label: "Infrastructure encryption", value: infra ? "On (double encryption)" : "Off", tone: infra ? "pass" : "fail", control: "CMK-5" });
  facts.push(...networkFacts(props, "NET-3", undefined));
  const shared = props.allowSharedKeyAccess;
  facts.push({
    label: "Shared-key access",
    value: shared === false ? "Refused" : shared === true ? "Allowed" : "Allowed (not set)",
    tone: shared === false ? "pass" : "fail",
    control: "IAM-2",
  });
  return { ...base, title: text(linked.doc.name) ?? linked.name, resourceId: linked.doc.id, visible: true, facts };
}

/** Said of a linked storage account the scan did not see. */
export const DANGLING_STORAGE = "Not found although its subscription was scanned: a dangling link.";
export const UNSEEN_STORAGE = "Not visible to the scan (its subscription was not read).";

function networkFacts(props: Json, control: ControlId, endpointControl: ControlId | undefined): ChainFact[] {
  const pna = text(props.publicNetworkAccess);
  const acls = child(props, "networkAcls");
  const action = text(acls.defaultAction);
  const ipRules = list(acls.ipRules).length;
  const vnetRules = list(acls.virtualNetworkRules).length;
  const restricted = eqCi(pna, "disabled") || eqCi(action, "deny");
  const endpoints = list(props.privateEndpointConnections);
  const state = (pe: unknown) => child(child(obj(pe), "properties"), "privateLinkServiceConnectionState").status;
  return [
    { label: "Public network access", value: pna ?? NOT_SET_ENABLED, tone: eqCi(pna, "disabled") ? "pass" : restricted ? "not_applicable" : "fail", control },
    {
      label: "Firewall default action",
      value: `${action ?? "Allow (not set)"}${ipRules || vnetRules ? ` · ${ipRules} IP, ${vnetRules} VNet rule${ipRules + vnetRules === 1 ? "" : "s"}` : ""}`,
      tone: eqCi(action, "deny") ? "pass" : restricted ? "not_applicable" : "fail",
      control,
    },
    {
      label: "Private endpoints",
      value: endpoints.length
        ? endpoints
            .map((pe) => {
              const name = text(obj(pe)?.name) ?? lastSegment(text(child(child(obj(pe), "properties"), "privateEndpoint").id) ?? "endpoint");
              return `${name.split(".")[0]} (${text(state(pe)) ?? "unknown state"})`;
            })
            .join(", ")
        : "None",
      tone: endpoints.some((pe) => eqCi(state(pe), "approved")) ? "pass" : undefined,
      control: endpointControl,
    },
  ];
}

function vaultNode(uri: string | undefined, doc: AzureDocument | undefined, index: number): ChainNode {
  const base = { key: `vault-${index}`, type: "vault" as const, role: "Key vault", controls: ["CMK-3"] as const };
  if (!doc) {
    return {
      ...base,
      title: uri ? (vaultNameFromUri(uri) ?? uri) : "Key vault",
      resourceId: null,
      visible: false,
      facts: uri ? [{ label: "Vault URI", value: uri, control: "CMK-3" }] : [],
      note: uri ? "Not visible to the scan: its protection cannot be checked." : "The key vault URI is missing.",
    };
  }
  const p = child(doc, "properties");
  const soft = p.enableSoftDelete;
  const days = p.softDeleteRetentionInDays;
  const purge = p.enablePurgeProtection === true;
  return {
    ...base,
    title: text(doc.name) ?? (uri ? (vaultNameFromUri(uri) ?? uri) : lastSegment(doc.id)),
    resourceId: doc.id,
    visible: true,
    facts: [
      {
        label: "Soft delete",
        value: soft === false ? "Off" : `On${typeof days === "number" ? ` (${days} days)` : ""}`,
        tone: soft === false ? "fail" : "pass",
        control: "CMK-3",
      },
      { label: "Purge protection", value: purge ? "On" : "Off", tone: purge ? "pass" : "fail", control: "CMK-3" },
      { label: "Public network access", value: text(p.publicNetworkAccess) ?? NOT_SET_ENABLED },
      { label: "Access model", value: p.enableRbacAuthorization === true ? "Azure RBAC" : "Access policies" },
    ],
  };
}

/** A role assignment's scope relative to the storage account, in words. */
function scopeWords(scopeKey: string, scope: string, storageKey: string): string {
  if (scopeKey === storageKey) return "on the storage account";
  if (scopeKey === "/") return "at the root scope";
  const parts = scopeKey.split("/").filter(Boolean);
  if (parts.length === 2) return "on its subscription";
  if (parts.length === 4) return "on its resource group";
  return `on ${lastSegment(scope)}`;
}
