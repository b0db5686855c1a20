/**
 * The encryption picture of one Speech resource, as a view model: the resource → its linked
 * storage account(s) → the key vault(s) holding their keys, and the resource's own key vault.
 * Each node carries the facts an auditor asks about (key source, key and rotation, network
 * exposure, local/shared-key auth) read from the stored documents, and each node and edge carries
 * the verdicts of the controls about it, so it can be coloured and labelled by its findings.
 * Pure: documents and findings in, view model out.
 */

export type Tone = "pass" | "fail" | "unknown" | "not_applicable";

export interface ChainFinding {
  controlId: string;
  status: string;
  reason: string | null;
  muted: boolean;
}

export interface Fact {
  label: string;
  value: string;
  /** Colour hint for the value; the words carry the meaning. */
  tone?: Tone;
}

export interface ChainNode {
  key: string;
  type: "speech" | "storage" | "vault" | "placeholder";
  title: string;
  subtitle: string;
  resourceId: string | null;
  visible: boolean;
  facts: Fact[];
  /** For nodes the scan could not see, or placeholders: why. */
  note?: string;
  findings: ChainFinding[];
  status: Tone;
}

export interface ChainEdge {
  key: string;
  label: string;
  detail: string;
  findings: ChainFinding[];
  status: Tone;
}

export interface ChainRow {
  /** Edge from the Speech resource to the middle node. */
  toMiddle: ChainEdge;
  middle: ChainNode;
  /** Edge from the middle node to the vault, when the middle node uses a key vault. */
  toVault: ChainEdge | null;
  vault: ChainNode | null;
  /** The account's own key: an edge that skips the middle column. */
  direct?: boolean;
}

export interface EncryptionChain {
  speech: ChainNode;
  rows: ChainRow[];
  /** LBX-1: the combined verdict over the storage chain. */
  lockbox: ChainFinding | null;
}

type Doc = Record<string, unknown>;

export interface ChainDocuments {
  account?: Doc | null;
  storage?: Doc[] | null;
  keyVaults?: Doc[] | null;
  roleAssignments?: Doc[] | null;
}

export interface ChainInputFinding extends ChainFinding {
  evidence: readonly unknown[];
}

const SPEECH_CONTROLS = ["BYOS-1", "NET-1", "NET-2", "NET-4", "IAM-1", "IAM-3", "LOG-1", "LOG-2"];
const STORAGE_CONTROLS = ["BYOS-2", "CMK-5", "NET-3", "IAM-2"];
const STORAGE_KEY_CONTROLS = ["CMK-2", "CMK-4"];

/** Case-insensitive property read along a dotted path. */
export function ci(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!cur || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    const rec = cur as Record<string, unknown>;
    if (part in rec) {
      cur = rec[part];
      continue;
    }
    const lower = part.toLowerCase();
    const hit = Object.keys(rec).find((k) => k.toLowerCase() === lower);
    cur = hit === undefined ? undefined : rec[hit];
  }
  return cur;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : "");
const lastSegment = (id: string) => id.split("/").filter(Boolean).pop() ?? id;
const trimSlash = (s: string) => s.trim().toLowerCase().replace(/\/+$/, "");

const RANK: Record<string, number> = { fail: 3, unknown: 2, pass: 1, not_applicable: 0 };

export function worst(findings: readonly ChainFinding[], fallback: Tone = "not_applicable"): Tone {
  let best: Tone | null = null;
  for (const f of findings) if (best === null || (RANK[f.status] ?? 0) > RANK[best]) best = (f.status as Tone) ?? best;
  return best ?? fallback;
}

/** Whether a finding's evidence names this resource ID (evidence paths are `kind:<id> <json path>`). */
function mentions(f: ChainInputFinding, id: string): boolean {
  const key = id.trim().toLowerCase();
  return f.evidence.some((e) => {
    const path = (e as { path?: unknown })?.path;
    if (typeof path !== "string") return false;
    const m = /^[A-Za-z]+:(\S+)/.exec(path);
    return !!m && m[1].toLowerCase() === key;
  });
}

function pick(findings: readonly ChainInputFinding[], ids: readonly string[]): ChainFinding[] {
  return findings.filter((f) => ids.includes(f.controlId)).map(({ controlId, status, reason, muted }) => ({ controlId, status, reason, muted }));
}

function publicAccess(props: unknown): Fact[] {
  const pna = str(ci(props, "publicNetworkAccess"));
  const action = str(ci(props, "networkAcls.defaultAction"));
  const ipRules = arr(ci(props, "networkAcls.ipRules")).length;
  const vnetRules = arr(ci(props, "networkAcls.virtualNetworkRules")).length;
  const restricted = lower(pna) === "disabled" || lower(action) === "deny";
  const facts: Fact[] = [
    { label: "Public network access", value: pna ?? "Enabled (not set)", tone: lower(pna) === "disabled" ? "pass" : restricted ? "not_applicable" : "fail" },
    {
      label: "Firewall default action",
      value: `${action ?? "Allow (not set)"}${ipRules || vnetRules ? ` · ${ipRules} IP, ${vnetRules} VNet rule${ipRules + vnetRules === 1 ? "" : "s"}` : ""}`,
      tone: lower(action) === "deny" ? "pass" : restricted ? "not_applicable" : "fail",
    },
  ];
  const pes = arr(ci(props, "privateEndpointConnections"));
  facts.push({
    label: "Private endpoints",
    value: pes.length
      ? pes
          .map((pe) => {
            const name = str(ci(pe, "name")) ?? lastSegment(str(ci(pe, "properties.privateEndpoint.id")) ?? "endpoint");
            const state = str(ci(pe, "properties.privateLinkServiceConnectionState.status")) ?? "unknown state";
            return `${name.split(".")[0]} (${state})`;
          })
          .join(", ")
      : "None",
    tone: pes.some((pe) => lower(ci(pe, "properties.privateLinkServiceConnectionState.status")) === "approved") ? "pass" : undefined,
  });
  return facts;
}

function accountFacts(doc: Doc): Fact[] {
  const props = ci(doc, "properties");
  const keySource = str(ci(props, "encryption.keySource"));
  const cmk = lower(keySource) === "microsoft.keyvault";
  const keyName = str(ci(props, "encryption.keyVaultProperties.keyName"));
  const keyVersion = str(ci(props, "encryption.keyVaultProperties.keyVersion"));
  const identity = str(ci(doc, "identity.type"));
  const facts: Fact[] = [
    {
      label: "Key source",
      value: cmk ? "Customer-managed key (Key Vault)" : `Microsoft-managed key${keySource ? ` (${keySource})` : ""}`,
      tone: cmk ? "pass" : "fail",
    },
  ];
  if (cmk) facts.push({ label: "Key", value: `${keyName ?? "(no name)"} · ${keyVersion ? `pinned version ${keyVersion.slice(0, 8)}…` : "latest version"}` });
  facts.push(...publicAccess(props));
  const localAuthOff = ci(props, "disableLocalAuth") === true;
  facts.push({ label: "Key (local) auth", value: localAuthOff ? "Disabled" : "Enabled", tone: localAuthOff ? "pass" : "fail" });
  facts.push({
    label: "Managed identity",
    value: identity && lower(identity) !== "none" ? identity : "None",
    tone: identity && lower(identity) !== "none" ? "pass" : "fail",
  });
  const outbound = ci(props, "restrictOutboundNetworkAccess") === true;
  facts.push({ label: "Outbound traffic", value: outbound ? "Restricted" : "Unrestricted", tone: outbound ? "pass" : "fail" });
  return facts;
}

function storageFacts(doc: Doc): Fact[] {
  const props = ci(doc, "properties");
  const keySource = str(ci(props, "encryption.keySource"));
  const cmk = lower(keySource) === "microsoft.keyvault";
  const keyName = str(ci(props, "encryption.keyvaultproperties.keyname"));
  const keyVersion = str(ci(props, "encryption.keyvaultproperties.keyversion"));
  const rotated = str(ci(props, "encryption.keyvaultproperties.lastKeyRotationTimestamp"));
  const facts: Fact[] = [
    {
      label: "Key source",
      value: cmk ? "Customer-managed key (Key Vault)" : `Microsoft-managed key${keySource ? ` (${keySource})` : ""}`,
      tone: cmk ? "pass" : "fail",
    },
  ];
  if (cmk) {
    facts.push({ label: "Key", value: keyName ?? "(no name)" });
    facts.push({
      label: "Version / rotation",
      value: `${keyVersion ? `pinned ${keyVersion.slice(0, 8)}…` : "automatic (latest version)"}${rotated ? ` · last rotated ${rotated.slice(0, 10)}` : ""}`,
      tone: keyVersion ? "fail" : "pass",
    });
  }
  const infra = ci(props, "encryption.requireInfrastructureEncryption") === true;
  facts.push({ label: "Infrastructure encryption", value: infra ? "On (double encryption)" : "Off", tone: infra ? "pass" : "fail" });
  facts.push(...publicAccess(props));
  const shared = ci(props, "allowSharedKeyAccess");
  facts.push({
    label: "Shared-key access",
    value: shared === false ? "Refused" : shared === true ? "Allowed" : "Allowed (not set)",
    tone: shared === false ? "pass" : "fail",
  });
  return facts;
}

function vaultFacts(doc: Doc): Fact[] {
  const props = ci(doc, "properties");
  const soft = ci(props, "enableSoftDelete");
  const days = ci(props, "softDeleteRetentionInDays");
  const purge = ci(props, "enablePurgeProtection") === true;
  const rbac = ci(props, "enableRbacAuthorization") === true;
  const facts: Fact[] = [
    { label: "Soft delete", value: soft === false ? "Off" : `On${typeof days === "number" ? ` (${days} days)` : ""}`, tone: soft === false ? "fail" : "pass" },
    { label: "Purge protection", value: purge ? "On" : "Off", tone: purge ? "pass" : "fail" },
    { label: "Public network access", value: str(ci(props, "publicNetworkAccess")) ?? "Enabled (not set)" },
    { label: "Access model", value: rbac ? "Azure RBAC" : "Access policies" },
  ];
  return facts;
}

function vaultNameFromUri(uri: string): string {
  try {
    return new URL(uri).hostname.split(".")[0];
  } catch {
    return uri;
  }
}

/** A role assignment's scope relative to the storage account, in words. */
function scopeWords(scope: string, storageId: string): string {
  const s = trimSlash(scope);
  const t = trimSlash(storageId);
  if (s === t) return "on the storage account";
  if (s === "" || s === "/") return "at the root scope";
  const parts = s.split("/").filter(Boolean);
  if (parts.length === 2) return "on its subscription";
  if (parts.length === 4) return "on its resource group";
  return `on ${lastSegment(scope)}`;
}

function isAncestor(scope: string, target: string): boolean {
  const s = trimSlash(scope);
  const t = trimSlash(target);
  return s === "" || s === "/" || t === s || t.startsWith(`${s}/`);
}

export function buildEncryptionChain(
  resource: { id: string; name: string; kind: string; location: string | null },
  documents: ChainDocuments | null,
  findings: readonly ChainInputFinding[],
): EncryptionChain {
  const account = (documents?.account ?? null) as Doc | null;
  const props = account ? ci(account, "properties") : undefined;
  const storageDocs = documents?.storage ?? [];
  const vaultDocs = documents?.keyVaults ?? [];
  const roles = documents?.roleAssignments ?? [];
  const accountKeyToVault = lower(ci(props, "encryption.keySource")) === "microsoft.keyvault" && !!str(ci(props, "encryption.keyVaultProperties.keyVaultUri"));
  const speechFindings = pick(findings, accountKeyToVault ? SPEECH_CONTROLS : [...SPEECH_CONTROLS, "CMK-1"]);
  const speech: ChainNode = {
    key: "speech",
    type: "speech",
    title: resource.name,
    subtitle: `Speech resource · ${resource.kind}${resource.location ? ` · ${resource.location}` : ""}`,
    resourceId: resource.id,
    visible: !!account,
    facts: account ? accountFacts(account) : [],
    note: account ? undefined : "The documents behind this scan were not kept; the verdicts below still apply.",
    findings: speechFindings,
    status: worst(speechFindings),
  };

  const vaultByUri = new Map<string, Doc>();
  for (const v of vaultDocs) {
    const uri = str(ci(v, "properties.vaultUri"));
    if (uri) vaultByUri.set(trimSlash(uri), v);
  }
  const cmk3 = findings.filter((f) => f.controlId === "CMK-3");
  const vaultNode = (uri: string | undefined, keyFor: string): ChainNode => {
    const doc = uri ? vaultByUri.get(trimSlash(uri)) : undefined;
    const id = doc ? (str(ci(doc, "id")) ?? null) : null;
    const attached = cmk3.filter((f) => !id || mentions(f, id) || !f.evidence.some((e) => /^vault:/i.test(String((e as { path?: unknown })?.path ?? ""))));
    const vf = pick(attached, ["CMK-3"]);
    return {
      key: `vault-${keyFor}`,
      type: "vault",
      title: doc ? (str(ci(doc, "name")) ?? vaultNameFromUri(uri ?? "")) : uri ? vaultNameFromUri(uri) : "Key vault",
      subtitle: "Key vault",
      resourceId: id,
      visible: !!doc,
      facts: doc ? vaultFacts(doc) : uri ? [{ label: "Vault URI", value: uri }] : [],
      note: doc ? undefined : uri ? "Not visible to the scan: its protection cannot be checked." : "The key vault URI is missing.",
      findings: vf,
      status: worst(vf),
    };
  };

  const rows: ChainRow[] = [];
  const linked = arr(ci(props, "userOwnedStorage"))
    .map((u) => str(ci(u, "resourceId")))
    .filter((x): x is string => !!x);
  const storageFindings = findings.filter((f) => [...STORAGE_CONTROLS, ...STORAGE_KEY_CONTROLS, "BYOS-3"].includes(f.controlId));
  const principal = lower(ci(account, "identity.principalId"));
  const byos3 = pick(findings, ["BYOS-3"]);

  if (account && linked.length === 0) {
    const byos1 = pick(findings, ["BYOS-1"]);
    rows.push({
      toMiddle: { key: "e-nobyos", label: "No customer-owned storage", detail: "userOwnedStorage is empty", findings: byos1, status: worst(byos1, "fail") },
      middle: {
        key: "ms-storage",
        type: "placeholder",
        title: "Microsoft-managed storage",
        subtitle: "Not customer-owned",
        resourceId: null,
        visible: false,
        facts: [],
        note: "Custom models, datasets and logs are kept in storage the customer does not control. BYOS can only be chosen when the resource is created.",
        findings: byos1,
        status: worst(byos1, "fail"),
      },
      toVault: null,
      vault: null,
    });
  }

  for (const id of linked) {
    const doc = storageDocs.find((d) => lower(ci(d, "id")) === id.trim().toLowerCase());
    const own = storageFindings.filter((f) => linked.length === 1 || mentions(f, id) || !f.evidence.length);
    const nodeFindings = pick(own, STORAGE_CONTROLS);
    const middle: ChainNode = {
      key: `storage-${id.toLowerCase()}`,
      type: "storage",
      title: doc ? (str(ci(doc, "name")) ?? lastSegment(id)) : lastSegment(id),
      subtitle: "Linked storage account (BYOS)",
      resourceId: doc ? (str(ci(doc, "id")) ?? id) : id,
      visible: !!doc,
      facts: doc ? storageFacts(doc) : [],
      note: doc
        ? undefined
        : nodeFindings.some((f) => f.controlId === "BYOS-2" && f.status === "fail")
          ? "Not found although its subscription was scanned: a dangling link."
          : "Not visible to the scan (its subscription was not read).",
      findings: nodeFindings,
      status: worst(nodeFindings),
    };
    const grants = roles.filter((r) => lower(ci(r, "properties.principalId")) === principal && isAncestor(String(ci(r, "properties.scope") ?? ""), id));
    const identity = str(ci(account, "identity.type")) ?? "no managed identity";
    const toMiddle: ChainEdge = {
      key: `e-role-${id.toLowerCase()}`,
      label: grants.length ? "Storage Blob Data Contributor" : "No role assignment found",
      detail: grants.length
        ? `${identity} identity, ${scopeWords(String(ci(grants[0], "properties.scope") ?? ""), id)}`
        : `for the resource's identity (${identity})`,
      findings: byos3,
      status: worst(byos3),
    };
    let toVault: ChainEdge | null = null;
    let vault: ChainNode | null = null;
    const keyFindings = pick(own, STORAGE_KEY_CONTROLS);
    if (doc && lower(ci(doc, "properties.encryption.keySource")) === "microsoft.keyvault") {
      const uri = str(ci(doc, "properties.encryption.keyvaultproperties.keyvaulturi"));
      const keyName = str(ci(doc, "properties.encryption.keyvaultproperties.keyname"));
      const version = str(ci(doc, "properties.encryption.keyvaultproperties.keyversion"));
      vault = vaultNode(uri, id.toLowerCase());
      toVault = {
        key: `e-key-${id.toLowerCase()}`,
        label: `Key ${keyName ?? "(unnamed)"}`,
        detail: version ? "pinned version" : "automatic rotation",
        findings: keyFindings,
        status: worst(keyFindings),
      };
    } else if (doc) {
      toVault = {
        key: `e-key-${id.toLowerCase()}`,
        label: "No customer key",
        detail: "storage uses Microsoft-managed keys",
        findings: keyFindings,
        status: worst(keyFindings, "fail"),
      };
      vault = {
        key: `vault-none-${id.toLowerCase()}`,
        type: "placeholder",
        title: "Microsoft-managed key",
        subtitle: "No key vault",
        resourceId: null,
        visible: false,
        facts: [],
        note: "The customer cannot revoke or rotate the key that protects this storage account.",
        findings: keyFindings,
        status: worst(keyFindings, "fail"),
      };
    }
    rows.push({ toMiddle, middle, toVault, vault });
  }

  if (accountKeyToVault) {
    const uri = str(ci(props, "encryption.keyVaultProperties.keyVaultUri"));
    const keyName = str(ci(props, "encryption.keyVaultProperties.keyName"));
    const version = str(ci(props, "encryption.keyVaultProperties.keyVersion"));
    const cmk1 = pick(findings, ["CMK-1"]);
    let vault = vaultNode(uri, "account");
    const shared = rows.find((r) => r.vault?.type === "vault" && r.vault.title === vault.title && r.vault.resourceId === vault.resourceId);
    if (shared) {
      // The same vault already drawn for a storage key: refer to it instead of repeating its facts.
      vault = { ...vault, key: "vault-account-ref", facts: [], note: "The same key vault as the storage key above: see its protection there." };
    }
    rows.push({
      direct: true,
      toMiddle: {
        key: "e-account-key",
        label: `Resource key ${keyName ?? ""}`.trim(),
        detail: version ? "pinned version" : "latest version",
        findings: cmk1,
        status: worst(cmk1),
      },
      middle: vault,
      toVault: null,
      vault: null,
    });
  }

  const lbx = findings.find((f) => f.controlId === "LBX-1");
  return { speech, rows, lockbox: lbx ? { controlId: lbx.controlId, status: lbx.status, reason: lbx.reason, muted: lbx.muted } : null };
}
