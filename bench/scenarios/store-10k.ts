/**
 * store-10k: on SQLite and on PostgreSQL, persist a 10,000-account scan (180,000 findings), then
 * 100 varied filtered + sorted findings pages with facets, and the score trend over 50 scans.
 * PostgreSQL: BENCH_DATABASE_URL (an empty database), else a throwaway cluster with default
 * (durable) settings. Each database is measured in its own process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure } from "@/bench/report";
import { runChild } from "@/bench/child";
import { startCluster } from "@/lib/store/testing/postgres-cluster";

interface StoreChildResult {
  kind: string;
  findings: number;
  resources: number;
  evaluateMs: number;
  persistMs: number;
  coldPageMs: number;
  pageP50: number;
  pageP95: number;
  pageMax: number;
  trendP50: number;
  trendMax: number;
  trendPoints: number;
}

function figures(r: StoreChildResult): Figure[] {
  const s = `store-10k ${r.kind}`;
  const round = (n: number) => Number(n.toFixed(2));
  return [
    {
      scenario: s,
      metric: `persist one scan (${r.resources} accounts, ${r.findings} findings)`,
      value: round(r.persistMs / 1000),
      unit: "s",
      target: 5,
      op: "<=",
    },
    { scenario: s, metric: "evaluate the snapshot (before persisting)", value: round(r.evaluateMs / 1000), unit: "s" },
    { scenario: s, metric: "findings page + facets, p95 of 100 varied", value: round(r.pageP95), unit: "ms", target: 50, op: "<=" },
    { scenario: s, metric: "findings page + facets, p50", value: round(r.pageP50), unit: "ms" },
    { scenario: s, metric: "first page after start (loads the scan's findings index)", value: round(r.coldPageMs), unit: "ms" },
    { scenario: s, metric: "score trend over 50 scans (slowest of 10)", value: round(r.trendMax), unit: "ms", target: 100, op: "<=" },
    { scenario: s, metric: "trend points (tenant + subscription)", value: r.trendPoints, unit: "" },
  ];
}

export async function store10k(): Promise<Figure[]> {
  const out: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), "speech-posture-bench-"));
  try {
    out.push(...figures(await runChild<StoreChildResult>("bench/store-child.ts", ["sqlite", join(dir, "bench.db")])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cluster = process.env.BENCH_DATABASE_URL ? undefined : await startCluster();
  try {
    out.push(...figures(await runChild<StoreChildResult>("bench/store-child.ts", ["postgres", process.env.BENCH_DATABASE_URL ?? cluster!.url])));
  } finally {
    cluster?.stop();
  }
  return out;
}
