/**
 * What the alert rules are evaluated on after a scan: the scan beside the previous succeeded scan
 * of the same scope (the same source and subscriptions; for uploads, the previous upload), its new
 * failures with whether an exception in force mutes them, the findings it could no longer read,
 * and the subscriptions it could no longer read.
 */
import type { FindingChange, ScanChange, ScanFacts } from "@/lib/alerts/evaluate";
import { idKey } from "@/lib/posture/ids";
import { isSeverity } from "@/lib/posture/vocabulary";
import { activeExceptions } from "@/lib/store/exceptions";
import { mutedMask } from "@/lib/store/findings/muted";
import { findingsIndex } from "@/lib/store/findings/scan-index";
import { diffScans, subscriptionsNoLongerRead, type DiffItem } from "@/lib/store/history/diff";
import { scanSubscriptions } from "@/lib/store/reads";
import { getScan, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";

/** Every new failure and unknown is looked at (the message lists the first few). */
const DIFF_LIMIT = 100_000;

function scopeWords(scan: Scan): string {
  const source = scan.source === "snapshot" ? "an uploaded snapshot" : scan.source === "live" ? "live Azure" : "the emulator";
  if (scan.source === "snapshot") return source;
  return `${source}, ${scan.subscriptions?.length ? `subscriptions ${scan.subscriptions.join(", ")}` : "all subscriptions"}`;
}

async function factsOf(store: Store, scan: Scan): Promise<ScanFacts> {
  const subs = scan.status === "succeeded" ? await scanSubscriptions(store, scan.id) : [];
  return {
    id: scan.id,
    status: scan.status as ScanFacts["status"],
    error: scan.error,
    scope: scopeWords(scan),
    score: scan.summary?.score ?? null,
    subscriptions: subs.map((s) => ({ id: s.subscriptionId, name: s.displayName, score: s.score })),
  };
}

/** The previous succeeded scan of the same scope, finished before this one was created. */
async function previousOfScope(store: Store, scanId: string): Promise<Scan | undefined> {
  const row = await store.db.selectFrom("scans").select(["scope_key", "source", "created_at"]).where("id", "=", scanId).executeTakeFirst();
  if (!row) return undefined;
  let q = store.db.selectFrom("scans").select("id").where("status", "=", "succeeded").where("id", "!=", scanId).where("finished_at", "<=", row.created_at);
  q = row.source === "snapshot" ? q.where("source", "=", "snapshot") : q.where("scope_key", "=", row.scope_key);
  const prev = await q.orderBy("finished_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
  return prev ? getScan(store, prev.id) : undefined;
}

const change = (d: DiffItem, muted: boolean): FindingChange => ({
  resourceId: d.resourceId,
  resourceName: d.resourceName,
  subscriptionId: d.subscriptionId,
  controlId: d.controlId,
  severity: isSeverity(d.severity) ? d.severity : "low",
  muted,
});

/** Undefined for a scan that does not exist or did not end (queued, running). */
export async function scanChangeFor(store: Store, scanId: string): Promise<ScanChange | undefined> {
  const scan = await getScan(store, scanId);
  if (!scan || (scan.status !== "succeeded" && scan.status !== "failed" && scan.status !== "cancelled")) return undefined;
  const current = await factsOf(store, scan);
  const none = { newFailures: [], newUnknowns: [], subscriptionsNoLongerRead: [] };
  if (scan.status !== "succeeded") return { current, ...none };
  const prev = await previousOfScope(store, scanId);
  if (!prev) return { current, ...none };
  const [diff, lost, ix, rules] = await Promise.all([
    diffScans(store, scanId, prev.id, { limit: DIFF_LIMIT }),
    subscriptionsNoLongerRead(store, scanId, prev.id),
    findingsIndex(store, scanId),
    activeExceptions(store),
  ]);
  // Which findings of this scan an exception in force mutes, by resource and control.
  const mask = mutedMask(ix, rules);
  const muted = new Set<string>();
  for (let i = 0; i < ix.size; i++) if (mask[i]) muted.add(`${ix.resources[ix.resource[i]]?.key}|${ix.controls[ix.control[i]]}`);
  const isMuted = (d: DiffItem) => muted.has(`${idKey(d.resourceId)}|${d.controlId}`);
  return {
    current,
    previous: await factsOf(store, prev),
    newFailures: diff.newFailures.map((d) => change(d, isMuted(d))),
    newUnknowns: [...diff.changed, ...diff.resolved]
      .filter((d) => d.to === "unknown" && d.from !== null && d.from !== "unknown")
      .map((d) => change(d, isMuted(d))),
    subscriptionsNoLongerRead: lost,
  };
}
