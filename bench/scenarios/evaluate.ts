/**
 * evaluate-100k: a 100,000-account snapshot evaluated in process (parsing reported separately).
 * scan-cli-10k: `speech-posture scan` end to end on a 10,000-account snapshot file.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import type { Figure } from "@/bench/report";
import { runChild } from "@/bench/child";

const DIR = "data/bench";

async function snapshotFile(name: string, subs: number, accounts: number): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const file = `${DIR}/${name}.json`;
  await runChild("bench/make-snapshot.ts", [file, String(subs), String(accounts), "100"]);
  return file;
}

export async function evaluate100k(): Promise<Figure[]> {
  const file = await snapshotFile("snapshot-100k", 2000, 100_000);
  const r = await runChild<{ parseMs: number; evaluateMs: number; findings: number; resources: number; peakRssMb: number }>("bench/evaluate-child.ts", [file]);
  const floor = await runChild<{ floorMs: number }>("bench/evaluate-floor-child.ts", [file]);
  const s = "evaluate-100k";
  return [
    { scenario: s, metric: "evaluate (parsing excluded)", value: r.evaluateMs / 1000, unit: "s" },
    // A ratio to the floor measured in the same run holds on a noisy machine where an absolute time does not.
    { scenario: s, metric: "evaluate ÷ floor", value: Number((r.evaluateMs / floor.floorMs).toFixed(2)), unit: "×", target: 2, op: "<=" },
    { scenario: s, metric: "peak RSS", value: r.peakRssMb, unit: "MB", target: 1536, op: "<=" },
    { scenario: s, metric: "floor: only allocating the findings (object, message, one evidence entry each)", value: floor.floorMs / 1000, unit: "s" },
    { scenario: s, metric: "read + parse + validate", value: r.parseMs / 1000, unit: "s" },
    { scenario: s, metric: "snapshot file size", value: Math.round(statSync(file).size / 1048576), unit: "MB" },
    { scenario: s, metric: "accounts evaluated", value: r.resources, unit: "", target: 100_000, op: ">=" },
    { scenario: s, metric: "findings", value: r.findings, unit: "" },
  ];
}

export async function scanCli10k(): Promise<Figure[]> {
  const file = await snapshotFile("snapshot-10k", 500, 10_000);
  const started = performance.now();
  const r = spawnSync(process.execPath, ["bin/speech-posture", "scan", "--snapshot", file, "--format", "json", "--out", `${DIR}/result-10k.json`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`speech-posture scan exited ${r.status}`);
  return [
    { scenario: "scan-cli-10k", metric: "CLI scan end to end (start, read, evaluate, write JSON)", value: wall, unit: "s", target: 5, op: "<=" },
    { scenario: "scan-cli-10k", metric: "result file size", value: Math.round(statSync(`${DIR}/result-10k.json`).size / 1048576), unit: "MB" },
  ];
}
