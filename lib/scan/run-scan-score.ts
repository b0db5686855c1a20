/**
 * Scores for storage, per CONTROLS.md §Statuses: Σ weight(pass) / Σ weight(pass + fail), rounded
 * down, null when nothing is judged. (Kept here until lib/posture/score.ts is the single source.)
 */
export interface Counts {
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
}

const WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };

export class ScoreTally {
  readonly counts: Counts = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 };
  private passWeight = 0;
  private judgedWeight = 0;

  add(status: string, severity: string): void {
    if (status in this.counts) this.counts[status as keyof Counts]++;
    const w = WEIGHT[severity] ?? 0;
    if (status === "pass") {
      this.passWeight += w;
      this.judgedWeight += w;
    } else if (status === "fail") this.judgedWeight += w;
  }

  get score(): number | null {
    return this.judgedWeight === 0 ? null : Math.floor((100 * this.passWeight) / this.judgedWeight);
  }
}
