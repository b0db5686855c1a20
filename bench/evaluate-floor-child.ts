/**
 * Child of evaluate-100k, for information: the cost of only *holding* the findings. Next to the
 * same parsed snapshot, it allocates what every evaluation must keep per account × control — a
 * finding object, its message and one evidence entry — without judging anything. When this floor
 * is near the target, no rewrite of the rules alone can meet it.
 */
import { parseSnapshotFile } from "@/lib/posture/parse";
import { CATALOG } from "@/lib/posture/controls";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { Finding } from "@/lib/posture/types";

const snapshot = parseSnapshotFile(process.argv[2]);
const accounts = snapshot.resources.filter(isSpeechAccount);
const t0 = performance.now();
const findings: Finding[] = new Array(accounts.length * CATALOG.length);
let n = 0;
for (const doc of accounts) {
  const id = doc.id;
  const name = typeof doc.name === "string" ? doc.name : id;
  const subscriptionId = typeof doc.subscriptionId === "string" ? doc.subscriptionId : "";
  for (const control of CATALOG) {
    findings[n++] = {
      controlId: control.id,
      resourceId: id,
      subscriptionId,
      severity: control.severity,
      status: "pass",
      reason: null,
      muted: false,
      message: name + " meets " + control.title,
      azure: null,
      agreement: "not_collected",
      evidence: [{ path: "account:" + id + " properties.x", actual: null, expected: control.id }],
    };
  }
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ floorMs: ms, findings: n }));
