/**
 * One resource: its documents and findings in one scan (the newest succeeded scan that has it,
 * unless named), and its history across every retained succeeded scan.
 */
import { decodeEvidence, decodeForResource } from "./scans/evidence-codec";
import { activeExceptions } from "./exceptions";
import { subscriptionTenants } from "./tenants";
import { matches } from "@/lib/posture/exceptions";
import { NotFoundError } from "./errors";
import type { FindingItem } from "./findings/query";
import { firstSeen } from "./history/first-seen";
import { requireSucceededScan } from "./scans/state";
import type { Store } from "./store";
import { idKey } from "@/lib/posture/ids";

export interface ResourceDetail {
  scanId: string;
  resource: {
    id: string;
    name: string;
    kind: string;
    location: string | null;
    subscriptionId: string;
    resourceGroup: string | null;
    score: number | null;
    tags: Record<string, string>;
  };
  documents: unknown;
  findings: Pick<
    FindingItem,
    "controlId" | "severity" | "status" | "reason" | "azure" | "agreement" | "muted" | "mutedBy" | "message" | "evidence" | "firstSeenAt"
  >[];
  history: { scanId: string; at: string; score: number | null; statuses: Record<string, string> }[];
}

/** Whether any succeeded scan holds the resource (by ID in any casing). */
export async function resourceInAnyScan(store: Store, resourceId: string): Promise<boolean> {
  const row = await store.db
    .selectFrom("resources as r")
    .innerJoin("scans as s", "s.id", "r.scan_id")
    .select("r.scan_id")
    .where("r.resource_key", "=", idKey(resourceId))
    .where("s.status", "=", "succeeded")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function resourceDetail(store: Store, resourceId: string, options: { scanId?: string } = {}): Promise<ResourceDetail> {
  const key = idKey(resourceId);
  const appearances = await store.db
    .selectFrom("resources as r")
    .innerJoin("scans as s", "s.id", "r.scan_id")
    .select(["r.scan_id", "r.ord", "r.score", "s.finished_at"])
    .where("r.resource_key", "=", key)
    .where("s.status", "=", "succeeded")
    .orderBy("s.finished_at", "asc")
    .execute();
  if (options.scanId) await requireSucceededScan(store, options.scanId);
  const chosen = options.scanId ? appearances.find((a) => a.scan_id === options.scanId) : appearances[appearances.length - 1];
  if (!chosen) throw new NotFoundError("Resource", options.scanId ? `${resourceId} in scan ${options.scanId}` : resourceId);

  const row = await store.db.selectFrom("resources").selectAll().where("scan_id", "=", chosen.scan_id).where("ord", "=", chosen.ord).executeTakeFirstOrThrow();
  const tags = JSON.parse(row.tags) as Record<string, string>;
  const tagMap = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  const [findingRows, rules, historyRows, tenants] = await Promise.all([
    store.db.selectFrom("findings").selectAll().where("scan_id", "=", chosen.scan_id).where("resource_ord", "=", chosen.ord).orderBy("id").execute(),
    activeExceptions(store),
    appearances.length
      ? store.db
          .selectFrom("findings")
          .select(["scan_id", "resource_ord", "control_id", "status"])
          .where(
            "scan_id",
            "in",
            appearances.map((a) => a.scan_id),
          )
          .where("resource_ord", "in", [...new Set(appearances.map((a) => Number(a.ord)))])
          .execute()
      : Promise.resolve([]),
    // The subscription's tenant, for tenant-scoped exceptions.
    subscriptionTenants(store, chosen.scan_id),
  ]);
  const seen = await firstSeen(
    store,
    chosen.scan_id,
    findingRows.filter((f) => f.status === "fail").map((f) => ({ resourceKey: key, controlId: f.control_id })),
  );
  const ordOf = new Map(appearances.map((a) => [a.scan_id, Number(a.ord)]));
  const statuses = new Map<string, Record<string, string>>();
  for (const h of historyRows) {
    if (ordOf.get(h.scan_id) !== Number(h.resource_ord)) continue;
    const s = statuses.get(h.scan_id) ?? {};
    s[h.control_id] = h.status;
    statuses.set(h.scan_id, s);
  }
  return {
    scanId: chosen.scan_id,
    resource: {
      id: row.resource_id,
      name: row.name,
      kind: row.kind,
      location: row.location,
      subscriptionId: row.subscription_id,
      resourceGroup: row.resource_group,
      score: row.score === null ? null : Number(row.score),
      tags,
    },
    documents: JSON.parse(row.documents),
    findings: findingRows.map((f) => {
      const mutedBy = rules
        .filter((rule) =>
          matches(rule, {
            controlId: f.control_id,
            subscriptionKey: row.subscription_key,
            resourceKey: key,
            tags: tagMap,
            tenantKey: tenants.get(row.subscription_key),
          }),
        )
        .map((r) => r.id);
      return {
        controlId: f.control_id,
        severity: f.severity,
        status: f.status,
        reason: f.reason,
        azure: f.azure === null ? null : (decodeForResource(f.azure, f.resource_id ?? row.resource_id) as FindingItem["azure"]),
        agreement: f.agreement as FindingItem["agreement"],
        muted: mutedBy.length > 0,
        mutedBy,
        message: f.message,
        evidence: decodeEvidence(f.evidence, f.resource_id ?? row.resource_id),
        firstSeenAt: seen.get(`${key}|${f.control_id}`)?.at ?? null,
      };
    }),
    history: appearances.map((a) => ({
      scanId: a.scan_id,
      at: a.finished_at!,
      score: a.score === null ? null : Number(a.score),
      statuses: statuses.get(a.scan_id) ?? {},
    })),
  };
}
