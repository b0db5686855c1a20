/**
 * collect-10k: 10,000 Speech accounts in 500 subscriptions, quota enforced, 20 ms per call.
 * The collector runs in its own process; the emulator in another.
 */
import type { Figure } from "@/bench/report";
import { runChild, startEmulatorProcess } from "@/bench/child";

const ACCOUNTS = 10_000;
const SUBSCRIPTIONS = 500;
const LATENCY_MS = 20;
const CONCURRENCY = 16;

export interface CollectChildResult {
  wallMs: number;
  argRequests: number;
  argThrottled: number;
  perResourceCalls: number;
  failedCalls: number;
  peakRssMb: number;
  accounts: number;
  subscriptions: number;
  storage: number;
  vaults: number;
}

export async function collect10k(): Promise<Figure[]> {
  const emu = await startEmulatorProcess("data/bench-emulator", [
    "--subscriptions",
    String(SUBSCRIPTIONS),
    "--accounts",
    String(ACCOUNTS),
    "--latency",
    String(LATENCY_MS),
    "--seed",
    "10000",
    "--private-network",
  ]);
  try {
    const r = await runChild<CollectChildResult>("bench/collect-child.ts", [emu.stateDir, String(CONCURRENCY)]);
    const s = "collect-10k";
    const argBound = 5 * Math.ceil(r.argRequests / 15);
    const perResourceBound = (r.perResourceCalls * LATENCY_MS) / 1000 / CONCURRENCY;
    const bound = Math.max(argBound, perResourceBound);
    // What per-subscription ARM listing would need: accounts, storage accounts, vaults and role
    // assignments listed in every subscription (one page each at best), before the same per-resource calls.
    const armListing = SUBSCRIPTIONS * 4;
    return [
      { scenario: s, metric: "wall time", value: r.wallMs / 1000, unit: "s", target: Number((1.3 * bound).toFixed(2)), op: "<=" },
      { scenario: s, metric: "lower bound max(5 s×ceil(ARG/15), calls×latency/concurrency)", value: Number(bound.toFixed(2)), unit: "s" },
      { scenario: s, metric: "Resource Graph requests", value: r.argRequests, unit: "req" },
      {
        scenario: s,
        metric: "Resource Graph requests per 1,000 accounts",
        value: Number(((r.argRequests * 1000) / r.accounts).toFixed(2)),
        unit: "req",
        target: 6,
        op: "<=",
      },
      { scenario: s, metric: "429s received", value: r.argThrottled, unit: "" },
      { scenario: s, metric: "per-resource calls", value: r.perResourceCalls, unit: "calls" },
      { scenario: s, metric: "failed calls", value: r.failedCalls, unit: "calls", target: 0, op: "<=" },
      { scenario: s, metric: "peak RSS of the collecting process", value: r.peakRssMb, unit: "MB", target: 600, op: "<=" },
      { scenario: s, metric: "accounts collected", value: r.accounts, unit: "", target: ACCOUNTS * 0.9, op: ">=" },
      { scenario: s, metric: "per-subscription ARM listing would need (list requests, same per-resource calls)", value: armListing, unit: "req" },
    ];
  } finally {
    await emu.stop();
  }
}
