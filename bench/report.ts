/** Benchmark figures: each measured value beside its target, printed and written to bench-results.json. */
export interface Figure {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** Absent for figures shown for information only. */
  target?: number;
  op?: "<=" | ">=";
}

export function meets(f: Figure): boolean | undefined {
  if (f.target === undefined || f.op === undefined) return undefined;
  return f.op === "<=" ? f.value <= f.target : f.value >= f.target;
}

export function formatFigures(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const ok = meets(f);
    const target = f.target === undefined ? "" : `${f.op} ${round(f.target)} ${f.unit}`;
    const verdict = ok === undefined ? "info" : ok ? "ok" : "MISSED";
    return [f.scenario, f.metric, `${round(f.value)} ${f.unit}`, target, verdict];
  });
  const header = ["scenario", "metric", "value", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}
