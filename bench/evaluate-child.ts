/** Child of evaluate-100k: parse a snapshot file, then evaluate it; parsing is timed separately. */
import { readFileSync } from "node:fs";
import { parseSnapshotText } from "../lib/posture/parse";
import { evaluateSnapshot } from "../lib/posture/evaluate";

const text = readFileSync(process.argv[2], "utf8");
const t0 = performance.now();
const snapshot = parseSnapshotText(text);
const t1 = performance.now();
const evaluation = evaluateSnapshot(snapshot);
const t2 = performance.now();
console.log(
  JSON.stringify({
    parseMs: t1 - t0,
    evaluateMs: t2 - t1,
    findings: evaluation.findings.length,
    resources: evaluation.resources.length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
