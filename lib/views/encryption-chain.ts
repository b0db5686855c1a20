/**
 * The encryption picture of one Speech resource for its page: the chain model of lib/posture
 * (resource → linked storage → key vault, and the resource's own key) laid out in rows, each node
 * and edge carrying the findings of the controls the model names for it, so it can be coloured
 * and labelled by its verdicts. Pure: documents and findings in, view model out.
 */
import {
  encryptionChainOfDocuments,
  DANGLING_STORAGE,
  SPEECH_NODE_CONTROLS,
  UNSEEN_STORAGE,
  type ChainDocuments,
  type ChainEdge as ModelEdge,
  type ChainFact,
  type ChainNode as ModelNode,
  type EncryptionChainModel,
} from "@/lib/posture/encryption-chain";
import { LOCKBOX_PARTS } from "@/lib/posture/controls/lbx";
import { idKey } from "@/lib/posture/ids";
import type { AzureDocument } from "@/lib/posture/snapshot";
import type { Status } from "@/lib/posture/vocabulary";

export type Tone = Status;

export interface ChainFinding {
  controlId: string;
  status: string;
  reason: string | null;
  muted: boolean;
}

export type Fact = ChainFact;

export interface ChainNode {
  key: string;
  type: ModelNode["type"];
  title: string;
  subtitle: string;
  resourceId: string | null;
  visible: boolean;
  facts: readonly Fact[];
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
  /** The controls LBX-1 combines. */
  lockboxParts: readonly string[];
}

/** The documents stored with an account; the account may be missing when they were not kept. */
export interface StoredChainDocuments extends Omit<ChainDocuments, "account"> {
  account?: AzureDocument | null;
}

export interface ChainInputFinding extends ChainFinding {
  evidence: readonly unknown[];
}

const RANK: Record<string, number> = { fail: 3, unknown: 2, pass: 1, not_applicable: 0 };

export function worst(findings: readonly ChainFinding[], fallback: Tone = "not_applicable"): Tone {
  let best: Tone | null = null;
  for (const f of findings) if (best === null || (RANK[f.status] ?? 0) > RANK[best]) best = (f.status as Tone) ?? best;
  return best ?? fallback;
}

/** Whether a finding's evidence names this resource ID (evidence paths are `kind:<id> <json path>`). */
function mentions(f: ChainInputFinding, key: string): boolean {
  return f.evidence.some((e) => {
    const path = (e as { path?: unknown })?.path;
    if (typeof path !== "string") return false;
    const m = /^[A-Za-z]+:(\S+)/.exec(path);
    return !!m && idKey(m[1]) === key;
  });
}

function pick(findings: readonly ChainInputFinding[], ids: readonly string[]): ChainFinding[] {
  return findings.filter((f) => ids.includes(f.controlId)).map(({ controlId, status, reason, muted }) => ({ controlId, status, reason, muted }));
}

function node(model: ModelNode, findings: ChainFinding[], fallback?: Tone, subtitle = model.role): ChainNode {
  const { key, type, title, resourceId, visible, facts, note } = model;
  return { key, type, title, subtitle, resourceId, visible, facts, note, findings, status: worst(findings, fallback) };
}

function edge(model: ModelEdge, findings: ChainFinding[], fallback?: Tone): ChainEdge {
  return { key: model.key, label: model.label, detail: model.detail, findings, status: worst(findings, fallback) };
}

export function layoutEncryptionChain(
  resource: { id: string; name: string; kind: string; location: string | null },
  documents: StoredChainDocuments | null,
  findings: readonly ChainInputFinding[],
): EncryptionChain {
  const account = documents?.account ?? null;
  const lbx = findings.find((f) => f.controlId === "LBX-1");
  const lockbox = lbx ? { controlId: lbx.controlId, status: lbx.status, reason: lbx.reason, muted: lbx.muted } : null;
  const subtitle = `Speech resource · ${resource.kind}${resource.location ? ` · ${resource.location}` : ""}`;
  if (!account) {
    const speechFindings = pick(findings, [...SPEECH_NODE_CONTROLS, "CMK-1"]);
    const speech: ChainNode = {
      key: "speech",
      type: "speech",
      title: resource.name,
      subtitle,
      resourceId: resource.id,
      visible: false,
      facts: [],
      note: "The documents behind this scan were not kept; the verdicts below still apply.",
      findings: speechFindings,
      status: worst(speechFindings),
    };
    return { speech, rows: [], lockbox, lockboxParts: LOCKBOX_PARTS };
  }
  const model = encryptionChainOfDocuments({ ...documents, account });
  return {
    speech: { ...node(model.account, pick(findings, model.account.controls), undefined, subtitle), title: resource.name },
    rows: rows(model, findings),
    lockbox,
    lockboxParts: LOCKBOX_PARTS,
  };
}

function rows(model: EncryptionChainModel, findings: readonly ChainInputFinding[]): ChainRow[] {
  const out: ChainRow[] = [];
  if (model.noStorage) {
    const byos1 = pick(findings, model.noStorage.edge.controls);
    out.push({ toMiddle: edge(model.noStorage.edge, byos1, "fail"), middle: node(model.noStorage.node, byos1, "fail"), toVault: null, vault: null });
  }
  const cmk3 = findings.filter((f) => f.controlId === "CMK-3");
  const vaultNode = (i: number): ChainNode => {
    const v = model.vaults[i];
    const key = v.resourceId === null ? undefined : idKey(v.resourceId);
    // A CMK-3 finding belongs to this vault when its evidence names it, or names no vault at all.
    const attached = cmk3.filter((f) => !key || mentions(f, key) || !f.evidence.some((e) => /^vault:/i.test(String((e as { path?: unknown })?.path ?? ""))));
    return node(v, pick(attached, v.controls));
  };
  const single = model.storages.length === 1;
  for (const link of model.storages) {
    // With several storage accounts, a finding belongs to the one its evidence names.
    const own = findings.filter((f) => single || mentions(f, link.storageKey) || !f.evidence.length);
    const middle = node(link.storage, pick(own, link.storage.controls));
    if (!link.storage.visible) {
      // The documents kept do not say which subscriptions were read; BYOS-2's verdict does.
      middle.note = middle.findings.some((f) => f.controlId === "BYOS-2" && f.status === "fail") ? DANGLING_STORAGE : UNSEEN_STORAGE;
    }
    const keyFindings = link.keyEdge ? pick(own, link.keyEdge.controls) : [];
    const fallback: Tone | undefined = link.microsoftKey ? "fail" : undefined;
    out.push({
      toMiddle: edge(link.access, pick(findings, link.access.controls)),
      middle,
      toVault: link.keyEdge ? edge(link.keyEdge, keyFindings, fallback) : null,
      vault: link.vault !== undefined ? vaultNode(link.vault) : link.microsoftKey ? node(link.microsoftKey, keyFindings, "fail") : null,
    });
  }
  if (model.accountVault !== undefined && model.accountKeyEdge) {
    let vault = vaultNode(model.accountVault);
    if (model.storages.some((s) => s.vault === model.accountVault)) {
      // The same vault already drawn for a storage key: refer to it instead of repeating its facts.
      vault = { ...vault, key: "vault-account-ref", facts: [], note: "The same key vault as the storage key above: see its protection there." };
    }
    out.push({ direct: true, toMiddle: edge(model.accountKeyEdge, pick(findings, model.accountKeyEdge.controls)), middle: vault, toVault: null, vault: null });
  }
  return out;
}
