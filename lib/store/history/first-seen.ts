/**
 * How long a failure has been open: for each resource × control failing in a scan, the earliest
 * scan of the unbroken run of succeeded scans (up to this one) in which it failed. Scans that did
 * not evaluate the resource (another scope) neither extend nor break the run.
 */
import type { Store } from "@/lib/store/store";

export interface FirstSeen {
  at: string;
  scanId: string;
}

export async function firstSeen(store: Store, scanId: string, pairs: readonly { resourceKey: string; controlId: string }[]): Promise<Map<string, FirstSeen>> {
  const out = new Map<string, FirstSeen>();
  if (pairs.length === 0) return out;
  const current = await store.db.selectFrom("scans").select(["finished_at"]).where("id", "=", scanId).executeTakeFirst();
  if (!current?.finished_at) return out;
  const keys = [...new Set(pairs.map((p) => p.resourceKey))];
  const controls = [...new Set(pairs.map((p) => p.controlId))];
  // The resource in every earlier succeeded scan: its ord there, and when that scan finished.
  const appearances = await store.db
    .selectFrom("resources as r")
    .innerJoin("scans as s", "s.id", "r.scan_id")
    .select(["r.scan_id", "r.ord", "r.resource_key", "s.finished_at"])
    .where("r.resource_key", "in", keys)
    .where("s.status", "=", "succeeded")
    .where("s.finished_at", "<=", current.finished_at)
    .execute();
  if (appearances.length === 0) return out;
  const scanIds = [...new Set(appearances.map((a) => a.scan_id))];
  const ords = [...new Set(appearances.map((a) => Number(a.ord)))];
  const rows = await store.db
    .selectFrom("findings")
    .select(["scan_id", "resource_ord", "control_id", "status"])
    .where("scan_id", "in", scanIds)
    .where("resource_ord", "in", ords)
    .where("control_id", "in", controls)
    .execute();
  const statusOf = new Map(rows.map((r) => [`${r.scan_id}|${r.resource_ord}|${r.control_id}`, r.status]));
  const byKey = new Map<string, { scanId: string; ord: number; at: string }[]>();
  for (const a of appearances) {
    const list = byKey.get(a.resource_key) ?? [];
    list.push({ scanId: a.scan_id, ord: Number(a.ord), at: a.finished_at! });
    byKey.set(a.resource_key, list);
  }
  for (const list of byKey.values()) list.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : x.scanId < y.scanId ? 1 : -1));
  for (const p of pairs) {
    let first: FirstSeen | undefined;
    for (const a of byKey.get(p.resourceKey) ?? []) {
      const status = statusOf.get(`${a.scanId}|${a.ord}|${p.controlId}`);
      if (status === undefined) continue; // that scan did not evaluate this control
      if (status !== "fail") break;
      first = { at: a.at, scanId: a.scanId };
    }
    if (first) out.set(`${p.resourceKey}|${p.controlId}`, first);
  }
  return out;
}
