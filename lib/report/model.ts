/**
 * What the renderers read: the scan result (CONTROLS.md §Result format) plus, optionally, the
 * snapshot it was computed from and the previous scan's result. Structural types, so a result
 * read back from the store or from a JSON file fits as well as one built in memory.
 */
import type { Snapshot } from "../posture/snapshot";

export type ReportStatus = "pass" | "fail" | "unknown" | "not_applicable";
export type ReportSeverity = "high" | "medium" | "low";

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
  readonly message: string;
  readonly evidence?: readonly ReportEvidence[];
}

export interface ReportResource {
  readonly id: string;
  readonly name: string;
  readonly kind?: string | null;
  readonly location?: string | null;
  readonly subscriptionId: string;
  readonly resourceGroup?: string | null;
  readonly score?: number | null;
}

export interface ReportSubscription {
  readonly subscriptionId: string;
  readonly displayName?: string | null;
  readonly score?: number | null;
  readonly resources?: number;
  readonly counts?: ReportCounts;
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
 * An exception (a mute) as the renderers show it. Only owner, reason and expiry are relied on;
 * the scope fields are read when present to tie an exception to the findings it covers.
 */
export interface ReportException {
  readonly id?: string | number | null;
  readonly controlId?: string | null;
  readonly resourceId?: string | null;
  readonly subscriptionId?: string | null;
  /** A resource, resource group or subscription ID the exception covers. */
  readonly scope?: string | null;
  readonly owner?: string | null;
  readonly reason?: string | null;
  readonly expiresAt?: string | null;
  readonly createdAt?: string | null;
  readonly [key: string]: unknown;
}

/** The CONTROLS.md result object, with the optional exceptions block. */
export interface ReportResult {
  readonly kind?: string;
  readonly version?: number;
  readonly scan: ReportScan;
  readonly summary: { readonly score: number | null; readonly resources: number; readonly counts: ReportCounts };
  readonly subscriptions: readonly ReportSubscription[];
  readonly resources: readonly ReportResource[];
  readonly findings: readonly ReportFinding[];
  readonly errors: readonly ReportError[];
  readonly exceptions?: { readonly active: readonly ReportException[]; readonly expired: readonly ReportException[] };
}

export interface ReportInput {
  readonly result: ReportResult;
  /** The documents the result was computed from: used to draw each resource's encryption chain. */
  readonly snapshot?: Snapshot;
  /** The previous scan's result, for "what changed". */
  readonly previous?: ReportResult;
  readonly generatedAt: Date;
}

export const STATUSES: readonly ReportStatus[] = ["pass", "fail", "unknown", "not_applicable"];
export const SEVERITIES: readonly ReportSeverity[] = ["high", "medium", "low"];
export const SEVERITY_WEIGHT: Readonly<Record<string, number>> = { high: 3, medium: 2, low: 1 };
