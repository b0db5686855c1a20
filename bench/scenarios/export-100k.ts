/**
 * export-100k: JSON, CSV and OCSF of a stored 100,000-account scan (2,000 subscriptions, 1.8M
 * findings, two exceptions in force) downloaded through the API of the production build, on
 * SQLite and on PostgreSQL (BENCH_DATABASE_URL, an empty database, else a throwaway cluster).
 * A child process seeds the store; `next start` serves it in another, whose resident memory (with
 * any process it starts) is sampled every 50 ms; this process downloads each export once, counting
 * the bytes and discarding them. Targets: each export ≤ 20 s, the server's peak RSS ≤ 500 MB.
 */
import { mkdirSync, rmSync } from "node:fs";
import { get } from "node:http";
import { join, resolve } from "node:path";
import type { Figure } from "@/bench/report";
import { processTree, runChild, startApp, statusKb } from "@/bench/child";
import { startCluster } from "@/lib/store/testing/postgres-cluster";
// @ts-expect-error -- a plain ESM script without type declarations
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";

const DIR = "data/bench-export";
const FORMATS = ["json", "csv", "ocsf"] as const;

export interface SeedResult {
  scanId: string;
  findings: number;
  resources: number;
  seedMs: number;
}

/** Samples the server tree's resident memory; `peakMb()` is the highest sum seen (or a process's own high-water mark, if higher). */
function rssSampler(root: number) {
  let peakKb = 0;
  let tree = processTree(root);
  let ticks = 0;
  const timer = setInterval(() => {
    if (ticks++ % 20 === 0) tree = processTree(root);
    peakKb = Math.max(
      peakKb,
      tree.reduce((n, pid) => n + statusKb(pid, "VmRSS"), 0),
    );
  }, 50);
  return {
    nowMb: () => tree.reduce((n, pid) => n + statusKb(pid, "VmRSS"), 0) / 1024,
    peakMb: () => Math.max(peakKb, ...tree.map((pid) => statusKb(pid, "VmHWM"))) / 1024,
    stop: () => clearInterval(timer),
  };
}

/**
 * Downloads one export over plain node:http (as curl would: the client's own cost stays small
 * beside the server's on two cores), counting bytes and line ends and keeping only the first and
 * last byte.
 */
function download(url: string): Promise<{ seconds: number; bytes: number; lines: number; first: number; last: number }> {
  const t = performance.now();
  return new Promise((resolvePromise, reject) => {
    const req = get(url, (res) => {
      if (res.statusCode !== 200) {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => reject(new Error(`${url} answered ${res.statusCode}: ${text}`)));
        return;
      }
      let bytes = 0;
      let lines = 0;
      let first = -1;
      let last = -1;
      res.on("data", (chunk: Buffer) => {
        if (first < 0 && chunk.length) first = chunk[0];
        if (chunk.length) last = chunk[chunk.length - 1];
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on("end", () => resolvePromise({ seconds: (performance.now() - t) / 1000, bytes, lines, first, last }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

async function measure(kind: string, url: string): Promise<Figure[]> {
  // Generating, evaluating and writing 1.8M findings in one go takes several GB: the seeding child gets them.
  const seed = await runChild<SeedResult>("bench/export-seed-child.ts", [url], ["--max-old-space-size=16384"]);
  return downloads(kind, url, seed);
}

/** Serves a seeded store with the production build and downloads each export once. */
export async function downloads(kind: string, url: string, seed: SeedResult): Promise<Figure[]> {
  const app = await startApp({ databaseUrl: url, emulatorState: join(DIR, "no-emulator") });
  const { base, server } = app;
  const s = `export-100k ${kind}`;
  try {
    await app.waitUp("/api/scans?limit=1", (r) => r.ok);
    const memory = rssSampler(server.pid!);
    const idleMb = memory.nowMb();
    const out: Figure[] = [
      {
        scenario: s,
        metric: `stored scan (${seed.resources} accounts, ${seed.findings} findings), seeding`,
        value: Number((seed.seedMs / 1000).toFixed(1)),
        unit: "s",
      },
    ];
    for (const format of FORMATS) {
      const got = await download(`${base}/api/scans/${encodeURIComponent(seed.scanId)}/export?format=${format}`);
      // A download that ended early would time less than the whole: count what arrived.
      const expectedLines = format === "json" ? 0 : format === "csv" ? seed.findings + 1 : seed.findings;
      if (got.lines !== expectedLines) throw new Error(`${format}: ${got.lines} lines, expected ${expectedLines}`);
      if (format === "json" && (got.first !== 0x7b || got.last !== 0x7d)) throw new Error("json: not one object");
      out.push({ scenario: s, metric: `${format.toUpperCase()} export over HTTP`, value: Number(got.seconds.toFixed(2)), unit: "s", target: 20, op: "<=" });
      out.push({ scenario: s, metric: `${format.toUpperCase()} export size`, value: Math.round(got.bytes / 1048576), unit: "MB" });
    }
    memory.stop();
    out.push({
      scenario: s,
      metric: "server peak RSS (the exports, one after another)",
      value: Math.round(memory.peakMb()),
      unit: "MB",
      target: 500,
      op: "<=",
    });
    out.push({ scenario: s, metric: "server RSS before the first export", value: Math.round(idleMb), unit: "MB" });
    return out;
  } finally {
    await app.stop();
  }
}

export async function export100k(): Promise<Figure[]> {
  buildIfNeeded();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const out: Figure[] = [];
  try {
    out.push(...(await measure("sqlite", resolve(join(DIR, "export-100k.db")))));
  } finally {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
  }
  const cluster = process.env.BENCH_DATABASE_URL ? undefined : await startCluster();
  try {
    out.push(...(await measure("postgres", process.env.BENCH_DATABASE_URL ?? cluster!.url)));
  } finally {
    cluster?.stop();
    rmSync(DIR, { recursive: true, force: true });
  }
  return out;
}
