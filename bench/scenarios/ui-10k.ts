/**
 * ui-10k: the dashboard over a stored 10,000-account scan (500 subscriptions, 180,000 findings).
 * A child process seeds a fresh SQLite database; the production build is served by `next start`
 * in another; this process times 20 sequential requests per page (after two warm-ups) and sums
 * the gzip size of the scripts the overview's HTML loads.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Figure } from "@/bench/report";
import { runChild, startApp } from "@/bench/child";
// @ts-expect-error -- a plain ESM script without type declarations
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";

const DIR = "data/bench-ui";
const REQUESTS = 20;
const WARMUPS = 2;

interface SeedResult {
  scanId: string;
  resourceId: string;
  findings: number;
  resources: number;
  seedMs: number;
}

async function timeOnce(url: string): Promise<number> {
  const t = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${url} answered ${r.status}`);
  return ms;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

async function measure(url: string): Promise<number> {
  for (let i = 0; i < WARMUPS; i++) await timeOnce(url);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await timeOnce(url));
  return p95(times);
}

/** gzip bytes of every script the page's HTML loads (script src, and scripts preloaded with link rel=preload|modulepreload). */
async function firstLoadJs(base: string, path: string): Promise<{ bytes: number; files: number }> {
  const html = await (await fetch(`${base}${path}`)).text();
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) srcs.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="(?:preload|modulepreload)"[^>]*>/g)) {
    const tag = m[0];
    if (!/\bas="script"/.test(tag) && !/modulepreload/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) srcs.add(href);
  }
  let bytes = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src.replace(/&amp;/g, "&"), `${base}/`))).arrayBuffer());
    bytes += gzipSync(body).length;
  }
  return { bytes, files: srcs.size };
}

export async function ui10k(): Promise<Figure[]> {
  buildIfNeeded();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const db = resolve(join(DIR, "ui-10k.db"));
  const seed = await runChild<SeedResult>("bench/ui-seed-child.ts", [db]);

  const app = await startApp({ databaseUrl: db, emulatorState: join(DIR, "no-emulator") });
  const { base } = app;
  try {
    await app.waitUp("/controls", (r) => r.ok);
    const resourcePath = `/resources/${seed.resourceId.split("/").filter(Boolean).map(encodeURIComponent).join("/")}`;
    const overview = await measure(`${base}/`);
    const findings = await measure(`${base}/findings?controlId=CMK-2&severity=high&status=fail`);
    const resource = await measure(`${base}${resourcePath}`);
    const js = await firstLoadJs(base, "/");
    const s = "ui-10k";
    return [
      { scenario: s, metric: "stored scan: resources", value: seed.resources, unit: "" },
      { scenario: s, metric: "stored scan: findings", value: seed.findings, unit: "" },
      { scenario: s, metric: "seeding (generate, evaluate, store)", value: Number((seed.seedMs / 1000).toFixed(1)), unit: "s" },
      { scenario: s, metric: `overview p95 of ${REQUESTS} requests`, value: Number(overview.toFixed(1)), unit: "ms", target: 300, op: "<=" },
      { scenario: s, metric: `filtered findings page p95 of ${REQUESTS} requests`, value: Number(findings.toFixed(1)), unit: "ms", target: 300, op: "<=" },
      { scenario: s, metric: `resource page p95 of ${REQUESTS} requests`, value: Number(resource.toFixed(1)), unit: "ms", target: 300, op: "<=" },
      {
        scenario: s,
        metric: `overview first-load JS, gzip (${js.files} files)`,
        value: Number((js.bytes / 1024).toFixed(1)),
        unit: "KB",
        target: 250,
        op: "<=",
      },
    ];
  } finally {
    await app.stop();
  }
}
