/**
 * LBX-1: Speech does not support Customer Lockbox; Microsoft's stated equivalent is BYOS. The
 * control summarises the six controls that together keep stored data under the customer's control.
 */
import type { Control, ControlId, Evidence, Outcome, Status } from "@/lib/posture/types";
import type { UnknownReason } from "@/lib/posture/snapshot";
import { STATUSES } from "@/lib/posture/vocabulary";
import { byos1, byos2 } from "./byos";
import { cmk2, cmk3 } from "./cmk";
import { ev, joinNames, outcomeOf } from "./common";
import { iam2 } from "./iam";
import { net3 } from "./net";

interface Part {
  readonly control: Control;
  readonly what: string;
}

/** In the order CONTROLS.md gives: the first unknown among them supplies the reason. */
const PARTS: readonly Part[] = [
  { control: byos1, what: "customer-owned storage" },
  { control: byos2, what: "the linked storage exists" },
  { control: cmk2, what: "storage customer-managed key" },
  { control: cmk3, what: "key vaults protected" },
  { control: iam2, what: "storage refuses shared keys" },
  { control: net3, what: "storage closed to public networks" },
];

/** The controls LBX-1 combines, in its order. */
export const LOCKBOX_PARTS: readonly ControlId[] = PARTS.map((p) => p.control.id);

/** What LBX-1 concludes from one combination of its parts' statuses (without the account name). */
interface Verdict {
  readonly status: Status;
  /** Follows the account's name in the message. */
  readonly tail: string;
  readonly evidence: readonly Evidence[];
}

/**
 * The verdict depends only on the six statuses (and, when unknown, the first unknown's reason),
 * so each combination is worked out once and its evidence list shared by every finding with it.
 */
const verdicts = new Map<number, Verdict>();

/** `code` holds the six statuses as base-4 digits (index in STATUSES), first part most significant. */
function verdictFor(code: number): Verdict {
  let verdict = verdicts.get(code);
  if (verdict === undefined) {
    const statuses = PARTS.map((_, i) => STATUSES[Math.floor(code / 4 ** (PARTS.length - 1 - i)) % 4]);
    verdict = judge(statuses);
    verdicts.set(code, verdict);
  }
  return verdict;
}

function judge(statuses: readonly Status[]): Verdict {
  const evidence = Object.freeze(PARTS.map((p, i) => ev(`control:${p.control.id} status`, statuses[i], "pass")));
  const having = (status: Status) => joinNames(PARTS.filter((_, i) => statuses[i] === status).map((p) => `${p.control.id} (${p.what})`));
  const failing = statuses.filter((s) => s === "fail").length;
  if (failing > 0) {
    return {
      status: "fail",
      // What fails comes first: a clamped or truncated message still names it.
      tail:
        `: ${having("fail")} ${failing === 1 ? "fails" : "fail"}, so it lacks Lockbox-equivalent control of its stored data ` +
        "(Speech does not support Customer Lockbox; its equivalent is BYOS).",
      evidence,
    };
  }
  if (statuses.includes("unknown")) {
    return {
      status: "unknown",
      tail: `: ${having("unknown")} could not be checked, so Lockbox-equivalent control of stored data cannot be confirmed.`,
      evidence,
    };
  }
  if (statuses.includes("not_applicable")) {
    // Not reachable with the catalogue's own rules; kept so a change there cannot turn this into a silent pass.
    return { status: "not_applicable", tail: `: Lockbox-equivalent control cannot be judged; ${having("not_applicable")} did not apply.`, evidence };
  }
  return {
    status: "pass",
    tail:
      " has Lockbox-equivalent control of its stored data: customer-owned storage that exists, is encrypted with a " +
      "customer-managed key in a protected key vault, refuses shared keys and is closed to public networks.",
    evidence,
  };
}

export const lbx1: Control = {
  id: "LBX-1",
  title: "Lockbox-equivalent control of stored data",
  severity: "high",
  family: "lbx",
  rule:
    "Speech does not support Customer Lockbox; Microsoft's stated equivalent is BYOS. Pass when BYOS-1, BYOS-2, CMK-2, " +
    "CMK-3, IAM-2 and NET-3 all pass; fail when any of them fails (the message lists which); unknown, with the reason " +
    "of the first unknown among them in that order, when none fails but some is unknown.",
  rationale:
    "Customer Lockbox lets a customer approve or refuse Microsoft engineers' access to their data. Speech does not " +
    "offer it; keeping the data in customer-owned storage, encrypted with a customer key in a protected vault, " +
    "closed to shared keys and public networks, gives the customer the equivalent control.",
  remediation: {
    portal: [
      "Fix each failing control listed in the finding, in this order: BYOS-1, BYOS-2, CMK-2, CMK-3, IAM-2, NET-3.",
      "A resource without BYOS has to be recreated with a linked storage account (BYOS-1).",
    ],
    cli: "# See the CLI steps of BYOS-1, BYOS-2, CMK-2, CMK-3, IAM-2 and NET-3.",
    bicep: "// See the Bicep of BYOS-1, CMK-2, CMK-3, IAM-2 and NET-3: together they describe a Lockbox-equivalent deployment.",
  },
  references: { nist: ["SC-28(1)"] },
  evaluate(account, ctx): Outcome {
    let code = 0;
    let reason: UnknownReason | undefined;
    for (let i = 0; i < PARTS.length; i++) {
      const outcome = outcomeOf(PARTS[i].control, account, ctx);
      code = code * 4 + STATUSES.indexOf(outcome.status);
      if (outcome.status === "unknown" && reason === undefined) reason = outcome.reason ?? "collection_error";
    }
    const verdict = verdictFor(code);
    const message = account.name + verdict.tail;
    return { status: verdict.status, reason: verdict.status === "unknown" ? reason : undefined, message, evidence: verdict.evidence };
  },
};

export const LBX_CONTROLS: readonly Control[] = [lbx1];
