/**
 * pdf-10k: the tenant PDF of a 10,000-account scan (500 subscriptions), and one subscription's PDF
 * (about 20 accounts) from the same scan. Each render runs in its own process, so its peak RSS is
 * its own; that figure includes building the scan in the same process.
 */
import { runChild } from "@/bench/child";
import type { Figure } from "@/bench/report";

interface TenantChild {
  buildMs: number;
  renderMs: number;
  bytes: number;
  pages: number;
  resources: number;
  peakRssMb: number;
}

interface SubscriptionChild extends TenantChild {
  hashMs: number;
  coldMs: number;
}

export async function pdf10k(): Promise<Figure[]> {
  const s = "pdf-10k";
  const t = await runChild<TenantChild>("bench/pdf-child.ts", ["tenant"]);
  const sub = await runChild<SubscriptionChild>("bench/pdf-child.ts", ["subscription", "20"]);
  return [
    {
      scenario: s,
      metric: `tenant PDF render, ${t.resources.toLocaleString("en-US")} accounts (incl. hashing the result)`,
      value: t.renderMs / 1000,
      unit: "s",
      target: 10,
      op: "<=",
    },
    { scenario: s, metric: "tenant PDF: peak RSS of the rendering process (incl. building the scan)", value: t.peakRssMb, unit: "MB", target: 800, op: "<=" },
    { scenario: s, metric: "tenant PDF pages", value: t.pages, unit: "" },
    { scenario: s, metric: "tenant PDF size", value: Number((t.bytes / 1024 / 1024).toFixed(2)), unit: "MB" },
    { scenario: s, metric: "building the scan (generate, evaluate, buildResult)", value: t.buildMs / 1000, unit: "s" },
    {
      scenario: s,
      metric: `subscription PDF render, ${sub.resources} accounts (scan hash as stored)`,
      value: sub.renderMs / 1000,
      unit: "s",
      target: 1,
      op: "<=",
    },
    { scenario: s, metric: "subscription PDF render, hashing the whole 10k scan too", value: sub.coldMs / 1000, unit: "s" },
    { scenario: s, metric: "hashing the 10k result (canonical JSON, SHA-256)", value: sub.hashMs / 1000, unit: "s" },
    { scenario: s, metric: "subscription PDF pages", value: sub.pages, unit: "" },
    { scenario: s, metric: "subscription: peak RSS of the rendering process", value: sub.peakRssMb, unit: "MB" },
  ];
}
