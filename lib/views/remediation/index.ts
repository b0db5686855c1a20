/**
 * Remediation filled in for one resource: the catalogue's steps with the resource's real names
 * (subscription, resource group, account, linked storage, key vaults) instead of placeholders,
 * each script starting from the state the finding describes (an identity turned on before it is
 * read, a vault protected before it holds a key), and portal links to the resources involved.
 * The controls page and the docs keep the catalogue's placeholders.
 */
import { LOCKBOX_PARTS } from "@/lib/posture/controls/lbx";
import type { Control, ControlId, Evidence } from "@/lib/posture/types";
import type { Status } from "@/lib/posture/vocabulary";
import * as account from "./account-scripts";
import { portalResourceHref } from "./portal";
import * as storage from "./storage-scripts";
import { where, type FilledScripts } from "./steps";
import type { NamedResource, RemediationTarget } from "./target";

export { remediationTarget, type RemediationTarget } from "./target";
export { portalResourceHref } from "./portal";

export interface PortalLink {
  readonly label: string;
  readonly href: string;
}

export interface FilledRemediation extends FilledScripts {
  /** The resources the steps change, each opened in the Azure portal. */
  readonly links: readonly PortalLink[];
}

/** The finding a remediation answers, and the statuses of the resource's other findings (LBX-1 reads them). */
export interface FindingState {
  readonly evidence: readonly Evidence[];
  readonly statuses: ReadonlyMap<string, Status>;
}

type Filler = (t: RemediationTarget, evidence: readonly Evidence[]) => Omit<FilledScripts, "portal">;

const FILLERS: Record<Exclude<ControlId, "LBX-1">, Filler> = {
  "BYOS-1": storage.byos1,
  "BYOS-2": storage.byos2,
  "BYOS-3": storage.byos3,
  "CMK-1": account.cmk1,
  "CMK-2": storage.cmk2,
  "CMK-3": storage.cmk3,
  "CMK-4": storage.cmk4,
  "CMK-5": storage.cmk5,
  "NET-1": account.net1,
  "NET-2": account.net2,
  "NET-3": storage.net3,
  "NET-4": account.net4,
  "IAM-1": account.iam1,
  "IAM-2": storage.iam2,
  "IAM-3": account.iam3,
  "LOG-1": account.log1,
  "LOG-2": account.log2,
};

/** Which resources a control's steps change: the account, its linked storage, or the vaults in use. */
const SUBJECT: Record<ControlId, "account" | "storage" | "vault" | "all"> = {
  "BYOS-1": "account",
  "BYOS-2": "storage",
  "BYOS-3": "storage",
  "CMK-1": "account",
  "CMK-2": "storage",
  "CMK-3": "vault",
  "CMK-4": "storage",
  "CMK-5": "storage",
  "NET-1": "account",
  "NET-2": "account",
  "NET-3": "storage",
  "NET-4": "account",
  "IAM-1": "account",
  "IAM-2": "storage",
  "IAM-3": "account",
  "LOG-1": "account",
  "LOG-2": "account",
  "LBX-1": "all",
};

export function fillRemediation(control: Control, target: RemediationTarget, finding: FindingState): FilledRemediation {
  const subjects = subjectsOf(control.id, target);
  const links = subjects.map((r) => ({ label: `Open ${r.name} in the Azure portal`, href: portalResourceHref(target.tenantId, r.id) }));
  const opening = subjects.map((r) => `Open ${where(r)} in the Azure portal.`);
  if (control.id === "LBX-1") return { ...lockbox(target, finding), portal: [...opening, ...control.remediation.portal], links };
  const scripts = FILLERS[control.id](target, finding.evidence);
  return { portal: [...opening, ...control.remediation.portal], cli: scripts.cli, bicep: scripts.bicep, links };
}

function subjectsOf(id: ControlId, t: RemediationTarget): NamedResource[] {
  const subject = SUBJECT[id];
  if (subject === "account") return [t];
  if (subject === "storage") return t.storage.length ? [...t.storage] : [t];
  if (subject === "vault") return t.vaults.length ? [...t.vaults] : [t];
  return [t, ...t.storage, ...t.vaults];
}

/** LBX-1: the filled-in steps of each part that fails, in LBX-1's order. */
function lockbox(t: RemediationTarget, finding: FindingState): Omit<FilledScripts, "portal"> {
  const failing = LOCKBOX_PARTS.filter((id) => finding.statuses.get(id) === "fail" || finding.statuses.get(id) === "unknown");
  if (failing.length === 0) return { cli: "# None of BYOS-1, BYOS-2, CMK-2, CMK-3, IAM-2 and NET-3 fails.", bicep: "// Nothing to change." };
  const parts = failing.map((id) => ({ id, ...FILLERS[id as Exclude<ControlId, "LBX-1">](t, []) }));
  return {
    cli: parts.map((p) => `# --- ${p.id} (${finding.statuses.get(p.id)}) ---\n${p.cli}`).join("\n\n"),
    bicep: parts.map((p) => `// --- ${p.id} ---\n${p.bicep}`).join("\n\n"),
  };
}
