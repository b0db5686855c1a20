/**
 * The encryption chain of one Speech resource for the PDF: the chain model of lib/posture (the
 * account, each linked storage account and the key vaults holding the keys, with their facts) with
 * each tagged fact and edge given the status of its control from the result's findings.
 */
import { encryptionChain, type ChainNode as ModelNode } from "@/lib/posture/encryption-chain";
import { idKey } from "@/lib/posture/ids";
import { buildIndexes } from "@/lib/posture/indexes";
import type { Snapshot } from "@/lib/posture/snapshot";
import type { ReportFinding } from "@/lib/report/model";

interface Verdict {
  readonly control?: string;
  readonly status?: string;
  readonly muted?: boolean;
}

export interface Fact extends Verdict {
  readonly label: string;
  readonly value: string;
}

export interface ChainNode {
  readonly role: string;
  readonly name: string;
  readonly visible: boolean;
  readonly facts: readonly Fact[];
  /** Why a node is not visible, or what a placeholder stands for; `verdict` tags it. */
  readonly note?: string;
  readonly verdict?: Verdict;
}

export interface ChainEdge extends Verdict {
  readonly label: string;
  readonly control: string;
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
  /** Empty when no storage is linked; `noStorage` then stands in its place. */
  readonly storages: readonly StorageLink[];
  readonly noStorage?: { readonly node: ChainNode; readonly edge: ChainEdge };
  readonly vaults: readonly ChainNode[];
  /** Index into `vaults` of the vault holding the resource's own key, and the edge to it. */
  readonly accountVault?: number;
  readonly accountKeyEdge?: ChainEdge;
}

type Findings = ReadonlyMap<string, ReportFinding>;

/** Builds the chain finder for a snapshot once; each call reads one account. */
export function chainReader(snapshot: Snapshot): (resourceId: string, findings: Findings | undefined) => Chain | undefined {
  const ix = buildIndexes(snapshot);
  const accounts = new Map(ix.accounts.map((a) => [a.key, a]));
  return (resourceId, findings) => {
    const entry = accounts.get(idKey(resourceId));
    if (!entry) return undefined;
    const model = encryptionChain(entry.doc, ix);
    const tag = (control: string): Verdict => {
      const f = findings?.get(control);
      return { control, status: f?.status, muted: f?.muted === true };
    };
    const node = (n: ModelNode): ChainNode => ({
      role: n.role,
      name: n.title,
      visible: n.visible,
      facts: n.facts.map((f) => ({ label: f.label, value: f.value, ...(f.control ? tag(f.control) : {}) })),
      note: n.note,
      verdict: n.note && n.controls.length ? tag(n.controls[0]) : undefined,
    });
    const edge = (label: string, controls: readonly string[]): ChainEdge => ({ label, ...tag(controls[0]), control: controls[0] });
    return {
      account: node(model.account),
      storages: model.storages.map((s) => ({
        storage: node(s.storage),
        access: edge(s.access.label, s.access.controls),
        vault: s.vault,
        keyEdge: s.vault !== undefined && s.keyEdge ? edge(s.keyEdge.label, s.keyEdge.controls) : undefined,
      })),
      noStorage: model.noStorage ? { node: node(model.noStorage.node), edge: edge(model.noStorage.edge.label, model.noStorage.edge.controls) } : undefined,
      vaults: model.vaults.map(node),
      accountVault: model.accountVault,
      accountKeyEdge: model.accountKeyEdge ? edge(model.accountKeyEdge.label, model.accountKeyEdge.controls) : undefined,
    };
  };
}
