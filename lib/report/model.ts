/**
 * What the renderers read: the scan result (CONTROLS.md §Result format) plus, optionally, the
 * snapshot it was computed from and the previous scan's result. Structural types, so a result
 * read back from the store or from a JSON file fits as well as one built in memory.
 */
import type { Snapshot } from "@/lib/posture/snapshot";
import type { Severity, Status } from "@/lib/posture/vocabulary";

export type ReportStatus = Status;
export type ReportSeverity = Severity;

export interface ReportCounts {
  readonly pass: number;
  readonly fail: number;
  readonly unknown: number;
  readonly not_applicable: number;
  readonly muted?: number;
}

export interface ReportEvidence {
  readonly path: string;
  readonly actual: unknown;
  readonly expected: unknown;
}

export interface ReportFinding {
  readonly controlId: string;
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly severity: ReportSeverity | string;
  readonly status: ReportStatus | string;
  readonly reason?: string | null;
  readonly muted?: boolean;
  /** On a muted finding: the exception muting it. */
  readonly exception?: { readonly id: string; readonly owner: string; readonly reason: string; readonly expiresAt: string } | null;
  readonly message: string;
  readonly evidence?: readonly ReportEvidence[];
  /** Azure Policy's and Defender's verdict (absent or null: not collected). */
  readonly azure?: { readonly state: string; readonly sources: readonly unknown[] } | null;
  readonly agreement?: string;
}

export interface ReportResource {
  readonly id: string;
  readonly name: string;
  readonly kind?: string | null;
  readonly location?: string | null;
  readonly subscriptionId: string;
  readonly resourceGroup?: string | null;
  readonly score?: number | null;
  /** The account's tags (exceptions can be scoped by tag). */
  readonly tags?: Readonly<Record<string, string>> | null;
}

export interface ReportSubscription {
  readonly subscriptionId: string;
  readonly displayName?: string | null;
  readonly score?: number | null;
  readonly resources?: number;
  readonly counts?: ReportCounts;
  readonly coverage?: Readonly<Record<string, number>>;
}

export interface ReportScan {
  readonly id: string;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly source?: string | null;
  readonly tenantId?: string | null;
  readonly catalogVersion?: number | null;
}

export interface ReportError {
  readonly scope: string;
  readonly source: string;
  readonly reason?: string | null;
  readonly code?: string | null;
  readonly message?: string | null;
}

/**
 * An exception rule (lib/posture/exceptions.ts ExceptionRule): it covers a finding when every
 * scope field it sets matches. Owner, reason and expiry are what the reports print.
 */
export interface ReportException {
  readonly id?: string | number | null;
  readonly controlId?: string | null;
  readonly subscriptionId?: string | null;
  readonly resourceId?: string | null;
  readonly tenantId?: string | null;
  /** Tag name compared case-insensitively, value exactly. */
  readonly tag?: { readonly name: string; readonly value: string } | null;
  readonly owner?: string | null;
  readonly reason?: string | null;
  readonly expiresAt?: string | null;
  readonly createdBy?: string | null;
  readonly createdAt?: string | null;
}

/**
 * The CONTROLS.md result object with the optional exceptions block: what `buildResult`
 * (lib/posture/result.ts) returns, typed structurally so a result read back from JSON fits too.
 */
export interface ReportResult {
  readonly kind?: string;
  readonly version?: number;
  readonly scan: ReportScan;
  readonly summary: {
    readonly score: number | null;
    readonly resources: number;
    readonly counts: ReportCounts;
    /** Unknown findings by reason. */
    readonly coverage?: Readonly<Record<string, number>>;
  };
  readonly subscriptions: readonly ReportSubscription[];
  readonly resources: readonly ReportResource[];
  readonly findings: readonly ReportFinding[];
  readonly errors: readonly ReportError[];
  readonly exceptions?: { readonly active: readonly ReportException[]; readonly expired: readonly ReportException[] };
}

/** One tenant of an estate scan, for the estate report's per-tenant sections. */
export interface ReportTenant {
  readonly tenantId: string;
  /** The scan target's name, when one names this tenant. */
  readonly displayName: string | null;
  readonly subscriptionIds: readonly string[];
  readonly resources: number;
  readonly score: number | null;
  readonly counts: ReportCounts;
}

export interface ReportInput {
  readonly result: ReportResult;
  /** The documents the result was computed from: used to draw each resource's encryption chain. */
  readonly snapshot?: Snapshot;
  /** The previous scan's result, for "what changed". */
  readonly previous?: ReportResult;
  readonly generatedAt: Date;
  /** Who generated the report (the signed-in user), printed as "Prepared by" on the cover's sign-off. */
  readonly preparedBy?: string;
  /**
   * `resultSha256(result)` when the caller already has it (e.g. stored with the scan): hashing a
   * 10,000-resource result takes seconds. Must be that exact value; computed when absent.
   */
  readonly resultSha256?: string;
  /** An estate scan's tenants (two or more): the tenant report then scores and lists each on its own. */
  readonly tenants?: readonly ReportTenant[];
}
