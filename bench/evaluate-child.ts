/**
 * Child of evaluate-100k: read and validate a snapshot file the way the CLI does, then evaluate
 * it; reading and parsing are timed separately. The peak RSS is the whole process's.
 */
import { parseSnapshotFile } from "@/lib/posture/parse";
import { evaluateSnapshot } from "@/lib/posture/evaluate";

const t0 = performance.now();
const snapshot = parseSnapshotFile(process.argv[2]);
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
