/**
 * Scores and coverage (CONTROLS.md §Statuses). Score = floor(100 × Σw(pass) / Σw(pass + fail))
 * with weights high 3, medium 2, low 1; unknown and not_applicable count in neither and are
 * reported as coverage; nothing to judge gives null, not 100.
 *
 * Muting never changes a finding's status, so it never changes a score: a muted failure still
 * counts as a failure. `counts.muted` only reports how many findings an exception covers.
 */
import { idKey } from "./ids";
import type { UnknownReason } from "./snapshot";
import type { Finding, Severity } from "./types";

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

export interface Counts {
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
  muted: number;
}

/** How many findings are unknown, by reason. */
export type Coverage = Record<UnknownReason, number>;

export interface Tally {
  /** 0–100, or null when no finding passed or failed. */
  readonly score: number | null;
  readonly counts: Counts;
  readonly coverage: Coverage;
}

type Scored = Pick<Finding, "status" | "severity" | "reason" | "muted">;

/** Accumulates findings one at a time (so per-resource and per-subscription tallies share one pass). */
export class ScoreTally {
  private readonly counts: Counts = { pass: 0, fail: 0, unknown: 0, not_applicable: 0, muted: 0 };
  private readonly coverage: Coverage = { not_collected: 0, not_visible: 0, access_denied: 0, network_blocked: 0, collection_error: 0 };
  private passWeight = 0;
  private judgedWeight = 0;

  add(finding: Scored): void {
    const weight = SEVERITY_WEIGHT[finding.severity] ?? 0;
    switch (finding.status) {
      case "pass":
        this.counts.pass++;
        this.passWeight += weight;
        this.judgedWeight += weight;
        break;
      case "fail":
        this.counts.fail++;
        this.judgedWeight += weight;
        break;
      case "unknown":
        this.counts.unknown++;
        this.coverage[finding.reason !== null && finding.reason in this.coverage ? finding.reason : "collection_error"]++;
        break;
      case "not_applicable":
        this.counts.not_applicable++;
        break;
    }
    if (finding.muted) this.counts.muted++;
  }

  get score(): number | null {
    return this.judgedWeight === 0 ? null : Math.floor((100 * this.passWeight) / this.judgedWeight);
  }

  /** A snapshot of the tally, detached from later `add` calls. */
  result(): Tally {
    return { score: this.score, counts: { ...this.counts }, coverage: { ...this.coverage } };
  }
}

export function scoreFindings(findings: readonly Scored[]): Tally {
  const tally = new ScoreTally();
  for (let i = 0; i < findings.length; i++) tally.add(findings[i]);
  return tally.result();
}

export interface ScoreSummary {
  readonly tenant: Tally;
  /** By lower-cased subscription ID. */
  readonly bySubscription: ReadonlyMap<string, Tally>;
  /** By lower-cased resource ID. */
  readonly byResource: ReadonlyMap<string, Tally>;
}

/** Tenant, per-subscription and per-resource tallies in one pass over the findings. */
export function summarizeScores(findings: readonly Finding[]): ScoreSummary {
  const tenant = new ScoreTally();
  const subscriptions = new Map<string, ScoreTally>();
  const resources = new Map<string, ScoreTally>();
  tallyFindings(findings, tenant, subscriptions, resources);
  return { tenant: tenant.result(), bySubscription: results(subscriptions), byResource: results(resources) };
}

/** Adds each finding to the tenant's tally and to its subscription's and resource's (by lower-cased ID, created as needed). */
export function tallyFindings(
  findings: readonly Finding[],
  tenant: ScoreTally,
  subscriptions: Map<string, ScoreTally>,
  resources: Map<string, ScoreTally>,
): void {
  // Findings come grouped by resource: remember the last one instead of re-keying every finding.
  let lastResource: string | undefined;
  let resourceTally: ScoreTally | undefined;
  let lastSubscription: string | undefined;
  let subscriptionTally: ScoreTally | undefined;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    tenant.add(f);
    if (f.resourceId !== lastResource || resourceTally === undefined) {
      lastResource = f.resourceId;
      resourceTally = tallyFor(resources, idKey(f.resourceId));
    }
    resourceTally.add(f);
    if (f.subscriptionId !== lastSubscription || subscriptionTally === undefined) {
      lastSubscription = f.subscriptionId;
      subscriptionTally = tallyFor(subscriptions, idKey(f.subscriptionId));
    }
    subscriptionTally.add(f);
  }
}

function tallyFor(map: Map<string, ScoreTally>, key: string): ScoreTally {
  let tally = map.get(key);
  if (tally === undefined) map.set(key, (tally = new ScoreTally()));
  return tally;
}

function results(map: Map<string, ScoreTally>): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [key, tally] of map) out.set(key, tally.result());
  return out;
}
