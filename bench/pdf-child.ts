/**
 * Child process of pdf-10k: builds a 10,000-account scan (generator → snapshot → evaluation →
 * result), then renders one PDF and prints its figures as JSON on the last line.
 *   tenant                 the tenant PDF, hashing the result inside the render
 *   subscription <n>       the PDF of the subscription whose account count is nearest n, with the
 *                          scan's hash computed beforehand (as stored with a scan), then again cold
 */
import { resultSha256 } from "@/lib/report/canonical";
import { renderSubscriptionPdf, renderTenantPdf } from "@/lib/report/pdf";
import { tenantFixture } from "@/lib/report/testing/fixture";

const [mode, arg] = process.argv.slice(2);
const SEED = 10_000;
const started = performance.now();
const { snapshot, result } = tenantFixture({ seed: SEED, subscriptions: 500, accounts: 10_000, scanId: "bench-pdf-10k" });
const buildMs = performance.now() - started;
const generatedAt = new Date("2026-11-28T12:00:00Z");
const pages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;

if (mode === "tenant") {
  const t = performance.now();
  const pdf = await renderTenantPdf({ result, snapshot, generatedAt });
  const renderMs = performance.now() - t;
  console.log(
    JSON.stringify({
      buildMs,
      renderMs,
      bytes: pdf.length,
      pages: pages(pdf),
      resources: result.resources.length,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} else if (mode === "subscription") {
  const want = Number(arg ?? 20);
  const sub = [...result.subscriptions].sort((a, b) => Math.abs(a.resources - want) - Math.abs(b.resources - want))[0];
  const hashStarted = performance.now();
  const sha = resultSha256(result);
  const hashMs = performance.now() - hashStarted;
  const t = performance.now();
  const pdf = await renderSubscriptionPdf({ result, snapshot, generatedAt, resultSha256: sha }, sub.subscriptionId);
  const renderMs = performance.now() - t;
  // Cold: a copy of the result, so nothing is remembered, and no stored hash.
  const t2 = performance.now();
  await renderSubscriptionPdf({ result: { ...result }, snapshot, generatedAt }, sub.subscriptionId);
  const coldMs = performance.now() - t2;
  console.log(
    JSON.stringify({
      buildMs,
      hashMs,
      renderMs,
      coldMs,
      bytes: pdf.length,
      pages: pages(pdf),
      resources: sub.resources,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} else {
  console.error("usage: pdf-child.ts tenant | subscription <accounts>");
  process.exit(2);
}
