/**
 * The shapes evaluation produces: controls with their metadata, outcomes and findings.
 * Finding fields and statuses are a contract (CONTROLS.md §Result format).
 */
import type { AzureDocument, SnapshotError, UnknownReason } from "./snapshot";
import type { Json } from "./read";
import type { SnapshotIndex } from "./indexes";
import type { Agreement, AzureState } from "./vocabulary";

import type { Severity, Status } from "./vocabulary";

export type { Severity, Status } from "./vocabulary";
export type ControlFamily = "byos" | "cmk" | "net" | "iam" | "log" | "lbx";
export type ControlId =
  | "BYOS-1"
  | "BYOS-2"
  | "BYOS-3"
  | "CMK-1"
  | "CMK-2"
  | "CMK-3"
  | "CMK-4"
  | "CMK-5"
  | "NET-1"
  | "NET-2"
  | "NET-3"
  | "NET-4"
  | "IAM-1"
  | "IAM-2"
  | "IAM-3"
  | "LOG-1"
  | "LOG-2"
  | "LBX-1";

/** One fact behind a finding: `path` names a document and a JSON path inside it. */
export interface Evidence {
  readonly path: string;
  readonly actual: unknown;
  readonly expected: unknown;
}

/** What a control's `evaluate` returns for one account. Shared between findings: never mutate. */
export interface Outcome {
  readonly status: Status;
  readonly reason?: UnknownReason;
  readonly message: string;
  readonly evidence: readonly Evidence[];
}

/** Who accepted a muted finding's risk, why, and until when. */
export interface MutingException {
  readonly id: string;
  readonly owner: string;
  readonly reason: string;
  readonly expiresAt: string;
}

export interface Finding {
  readonly controlId: ControlId;
  /** The account's ID exactly as the source document spelled it. */
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly severity: Severity;
  readonly status: Status;
  readonly reason: UnknownReason | null;
  /** Set by an active exception; never changes `status` or the score. */
  readonly muted: boolean;
  /** On a muted finding: the exception that mutes it (the most specific when several do). */
  readonly exception?: MutingException;
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** What Azure Policy and Defender for Cloud say about the same thing (null: neither was collected). */
  readonly azure: AzureVerdict | null;
  /** Whether we agree with Azure (CONTROLS.md "Azure's own verdicts"). */
  readonly agreement: Agreement;
}

/** Azure Policy states and Defender assessments that speak to a finding (CONTROLS.md "Azure's own verdicts"). */
export interface PolicySource {
  readonly kind: "policy";
  readonly definitionId: string;
  readonly assignmentId: string | null;
  readonly resourceId: string;
  readonly complianceState: string | null;
  readonly timestamp: string | null;
}

export interface DefenderSource {
  readonly kind: "defender";
  readonly assessmentKey: string;
  readonly resourceId: string;
  readonly status: string | null;
}

export type AzureSource = PolicySource | DefenderSource;

export interface AzureVerdict {
  readonly state: AzureState;
  readonly sources: readonly AzureSource[];
}

export interface Remediation {
  /** Azure portal steps, in order. */
  readonly portal: readonly string[];
  readonly cli: string;
  readonly bicep: string;
}

export interface References {
  readonly azurePolicy?: { readonly id: string; readonly name: string };
  /** Microsoft cloud security benchmark controls. */
  readonly mcsb?: readonly string[];
  /** NIST SP 800-53 Rev. 5 controls. */
  readonly nist?: readonly string[];
  /** Defender for Cloud recommendation title. */
  readonly defender?: string;
}

export interface Control {
  readonly id: ControlId;
  readonly title: string;
  readonly severity: Severity;
  readonly family: ControlFamily;
  /** The rule in one or two sentences, for docs and the UI. */
  readonly rule: string;
  readonly rationale: string;
  readonly remediation: Remediation;
  readonly references: References;
  /** Pure: reads only the account view and the snapshot indexes. */
  evaluate(account: AccountView, ctx: SnapshotIndex): Outcome;
}

/** A storage account named in `properties.userOwnedStorage`, resolved against the snapshot. */
export interface LinkedStorage {
  /** The ID as the link spells it. */
  readonly id: string;
  readonly key: string;
  readonly name: string;
  /** The storage document, when the snapshot has it ("visible"). */
  readonly doc: AzureDocument | undefined;
  /** `properties` of the document (empty when not visible). */
  readonly props: Json;
  /** Whether the storage account's subscription was scanned. */
  readonly scanned: boolean;
  /** Lower-cased subscription ID from the storage ID ("" when the ID names none). */
  readonly subscriptionKey: string;
  /**
   * When not visible: the resourceGraph error that hides it (scoped to its ID or resource group),
   * else undefined. Such an account may exist; the scan was not allowed to see it.
   */
  readonly hiddenBy: SnapshotError | undefined;
  /** `storage:<id> `: the evidence path prefix. */
  readonly ref: string;
  /** "Linked storage account <name>": messages start with it. */
  readonly subject: string;
}

/** An in-scope account, prepared once so that every control reads precomputed facts. */
export interface AccountView {
  readonly doc: AzureDocument;
  /** As spelled in the document. */
  readonly id: string;
  readonly key: string;
  readonly name: string;
  /** The listed subscription's spelling when listed, else as found in the ID. */
  readonly subscriptionId: string;
  /** `/subscriptions/{id}` lower-cased: the scope of subscription-wide errors. */
  readonly subscriptionScope: string;
  readonly props: Json;
  readonly identity: Json;
  readonly linked: readonly LinkedStorage[];
  /** This account's `diagnosticSettings` / `speechEndpoints` lists (undefined: not collected). */
  readonly diagnosticSettings: readonly unknown[] | undefined;
  readonly speechEndpoints: readonly unknown[] | undefined;
  /** `account:<id> `: the evidence path prefix. */
  readonly ref: string;
  /** Outcomes already computed for this account, by control slot (see `outcomeOf`). */
  readonly memo: (Outcome | undefined)[];
}
