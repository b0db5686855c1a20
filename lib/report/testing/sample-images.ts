/**
 * Regenerates the report images in docs/images from a seeded synthetic tenant:
 *   npx tsx lib/report/testing/sample-images.ts [out-dir]
 * Writes report-cover.png, report-summary.png, report-control.png and report-chain.png (pages of
 * a subscription report, rendered by pdftoppm), and the sample PDF itself next to them when
 * SAMPLE_PDF=1.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { idKey } from "@/lib/posture/ids";
import { renderSubscriptionPdf } from "@/lib/report/pdf";
import { PdfFile } from "./poppler";
import { tenantFixture } from "./fixture";

const out = resolve(process.argv[2] ?? "docs/images");
mkdirSync(out, { recursive: true });

const base = tenantFixture({ accounts: 60, subscriptions: 4, seed: 42 });
const sub = [...base.result.subscriptions].sort((a, b) => b.resources - a.resources)[0];
const failing = base.result.findings.filter((f) => idKey(f.subscriptionId) === idKey(sub.subscriptionId) && f.status === "fail");
const net3 = failing.find((f) => f.controlId === "NET-3") ?? failing[0];
const fx = tenantFixture({
  accounts: 60,
  subscriptions: 4,
  seed: 42,
  exceptions: [
    {
      id: "ex-1",
      controlId: net3.controlId,
      resourceId: net3.resourceId,
      owner: "dana.owner@contoso.com",
      reason: "Custom neural voice training needs the storage firewall open until the March release.",
      expiresAt: "2027-03-31",
    },
  ],
  mutateSnapshot: (s) => {
    s.errors.push({
      scope: `/subscriptions/${sub.subscriptionId}`,
      source: "speechEndpoints",
      reason: "network_blocked",
      code: "ConnectionRefused",
      message: "Speech data plane not reachable from the scanner network",
    });
  },
});
const fails = fx.result.findings.filter((f) => f.status === "fail");
const flipped = new Set(fails.filter((_, i) => i % 40 === 0));
const previous = {
  ...fx.result,
  scan: { ...fx.result.scan, id: "scan-0000", finishedAt: "2026-11-21T10:01:00.000Z" },
  summary: { ...fx.result.summary, score: (fx.result.summary.score ?? 0) + 3 },
  findings: fx.result.findings.map((f) => (flipped.has(f) ? { ...f, status: "pass" as const } : f)),
};
const pdfBytes = await renderSubscriptionPdf(
  { result: fx.result, snapshot: fx.snapshot, previous, generatedAt: new Date("2026-11-28T12:00:00Z") },
  sub.subscriptionId,
);
const pdf = new PdfFile(pdfBytes, "sample.pdf");
try {
  const outline = pdf.outline();
  const pageOf = (title: string) => outline.find((o) => o.title.startsWith(title))?.page ?? 1;
  const shots: [string, number][] = [
    ["report-cover.png", 1],
    ["report-summary.png", pageOf("1. Executive summary")],
    ["report-control.png", pageOf("NET-1 ")],
    ["report-chain.png", pageOf("3. Encryption state") + 1],
  ];
  for (const [name, page] of shots) {
    const prefix = join(pdf.dir, name.replace(/\.png$/, ""));
    const r = spawnSync("pdftoppm", ["-png", "-r", "110", "-singlefile", "-f", String(page), "-l", String(page), pdf.path, prefix]);
    if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
    copyFileSync(`${prefix}.png`, join(out, name));
    console.log(`${join(out, name)} (page ${page})`);
  }
  if (process.env.SAMPLE_PDF === "1") writeFileSync(join(out, "report-sample.pdf"), pdfBytes);
} finally {
  pdf.dispose();
}
