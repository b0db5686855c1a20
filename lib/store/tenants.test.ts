/**
 * Scan targets and the tenant dimension against both real databases: targets validated, unique per
 * tenant and audited; a scan of two tenants keeps each subscription's own tenant; per-tenant
 * summaries score by the contract's rule; `tenant=` narrows findings and their facets, and the
 * score trend to one tenant's own score in each scan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate } from "@/emulator/estate";
import { tenantSnapshot } from "@/emulator/snapshot";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { mergeSnapshots } from "@/lib/posture/merge-snapshots";
import { ScoreTally } from "@/lib/posture/score";
import type { Snapshot } from "@/lib/posture/snapshot";
import { listAudit } from "./audit";
import { InvalidInputError, NotFoundError } from "./errors";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import { diffScans } from "./history/diff";
import { scoreTrend } from "./history/trend";
import { scanSubscriptions } from "./reads";
import type { Store } from "./store";
import { addTarget, getTarget, listTargets, removeTarget, updateTarget } from "./targets";
import { createException, removeException } from "./exceptions";
import { resourceDetail } from "./resource-detail";
import { readScanResult } from "./scans/result-read";
import { scanTenants, UNKNOWN_TENANT } from "./tenants";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { clone, importAndWait, jobsFor } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";

afterAll(() => releaseDatabases());

const estate = generateEstate(2, { subscriptions: 2, accounts: 8, hiddenSubscriptions: 0 });
const [A, B] = [estate.home, estate.others[0]];
const lower = (s: string) => s.toLowerCase();

function twoTenantSnapshot(): Snapshot {
  const parts = [A, B].map((t) => {
    const s = tenantSnapshot(t, "2026-11-28T09:00:00Z");
    for (const sub of s.subscriptions) sub.tenantId = t.tenantId;
    return s;
  });
  return mergeSnapshots(parts);
}

const target = (tenantId: string, displayName: string) => ({
  tenantId,
  displayName,
  credential: { kind: "client-secret", clientId: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", secretEnv: "SP_SECRET" },
  scope: { kind: "managementGroups", managementGroups: ["mg-corp"] },
});

describe.each(DATABASES)("tenants on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("adds, lists, changes and removes targets, auditing each change without any secret", async () => {
    const added = await addTarget(store, target(A.tenantId.toUpperCase(), "Contoso"), "alice");
    expect(added).toMatchObject({ tenantId: lower(A.tenantId), displayName: "Contoso", updatedBy: "alice", exclude: [] });
    await addTarget(store, target(B.tenantId, "Fabrikam"), "alice");
    expect((await listTargets(store)).map((t) => t.displayName)).toEqual(["Contoso", "Fabrikam"]);
    const changed = await updateTarget(store, A.tenantId, { ...target(A.tenantId, "Contoso Ltd"), scope: { kind: "tenant" } }, "bob");
    expect(changed).toMatchObject({ displayName: "Contoso Ltd", scope: { kind: "tenant" }, updatedBy: "bob", createdAt: added.createdAt });
    await removeTarget(store, B.tenantId, "bob");
    expect(await getTarget(store, B.tenantId)).toBeUndefined();
    const audit = await listAudit(store, { limit: 10 });
    expect(audit.filter((e) => e.action.startsWith("target.")).map((e) => [e.action, e.actor, e.target])).toEqual([
      ["target.removed", "bob", lower(B.tenantId)],
      ["target.changed", "bob", lower(A.tenantId)],
      ["target.added", "alice", lower(B.tenantId)],
      ["target.added", "alice", lower(A.tenantId)],
    ]);
    expect(JSON.stringify(audit)).not.toContain("SP_SECRET");
    // Back to two targets for the scans below.
    await addTarget(store, target(B.tenantId, "Fabrikam"), "alice");
  });

  it("refuses bad input naming the field, a second target for a tenant, and changes to a missing target, writing nothing", async () => {
    const before = await listTargets(store);
    const auditBefore = (await listAudit(store, { limit: 1000 })).length;
    await expect(addTarget(store, { ...target(A.tenantId, "Again") }, "alice")).rejects.toThrow(`tenant ${lower(A.tenantId)} already has a target`);
    await expect(addTarget(store, { ...target("not-a-tenant", "X") }, "alice")).rejects.toMatchObject({ field: "target.tenantId" });
    await expect(
      addTarget(store, { ...target("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "X"), credential: { kind: "client-secret", clientSecret: "s3cret" } }, "alice"),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(updateTarget(store, A.tenantId, target(B.tenantId, "Moved"), "bob")).rejects.toThrow("a target's tenant cannot change");
    await expect(removeTarget(store, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "bob")).rejects.toBeInstanceOf(NotFoundError);
    expect(await listTargets(store)).toEqual(before);
    expect((await listAudit(store, { limit: 1000 })).length).toBe(auditBefore);
  });

  it("keeps each subscription's own tenant, sums each tenant by the contract's score, and narrows findings to one tenant", async () => {
    const snapshot = twoTenantSnapshot();
    const scan = await importAndWait(jobs, snapshot);
    expect(scan.status).toBe("succeeded");
    const subs = await scanSubscriptions(store, scan.id);
    const tenantOfSub = new Map(snapshot.subscriptions.map((s) => [lower(s.subscriptionId), lower(s.tenantId!)]));
    expect(subs.length).toBe(4);
    for (const s of subs) expect(s.tenantId).toBe(tenantOfSub.get(s.key));

    const evaluation = evaluateSnapshot(snapshot);
    const expected = new Map<string, ScoreTally>();
    for (const f of evaluation.findings) {
      const t = tenantOfSub.get(lower(f.subscriptionId))!;
      if (!expected.has(t)) expected.set(t, new ScoreTally());
      expected.get(t)!.add(f);
    }
    const tenants = await scanTenants(store, scan.id);
    expect(tenants.map((t) => [t.tenantId, t.displayName, t.subscriptions])).toEqual([
      [lower(A.tenantId), "Contoso Ltd", 2],
      [lower(B.tenantId), "Fabrikam", 2],
    ]);
    for (const t of tenants) {
      const tally = expected.get(t.tenantId)!.result();
      expect(t.score).toBe(tally.score);
      expect(t.counts).toEqual({
        pass: tally.counts.pass,
        fail: tally.counts.fail,
        unknown: tally.counts.unknown,
        not_applicable: tally.counts.not_applicable,
      });
    }

    const all = await queryFindings(store, scan.id, parseFindingsQuery(new URLSearchParams("pageSize=500")));
    const onlyB = await queryFindings(store, scan.id, parseFindingsQuery(new URLSearchParams(`pageSize=500&tenant=${B.tenantId.toUpperCase()}`)));
    expect(onlyB.total).toBe(evaluation.findings.filter((f) => tenantOfSub.get(lower(f.subscriptionId)) === lower(B.tenantId)).length);
    expect(onlyB.total).toBeGreaterThan(0);
    expect(onlyB.total).toBeLessThan(all.total);
    expect(onlyB.items.every((f) => tenantOfSub.get(lower(f.subscriptionId)) === lower(B.tenantId))).toBe(true);
    expect(Object.keys(onlyB.facets.subscriptionId).map(lower).sort()).toEqual(
      [...tenantOfSub]
        .filter(([, t]) => t === lower(B.tenantId))
        .map(([s]) => s)
        .sort(),
    );
    const none = await queryFindings(store, scan.id, parseFindingsQuery(new URLSearchParams("tenant=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")));
    expect(none.total).toBe(0);
    expect(() => parseFindingsQuery(new URLSearchParams("tenant=contoso"))).toThrow('tenant: not a tenant ID: "contoso"');
  });

  it("gives one tenant's trend: its own score in each scan that holds it, and only its subscriptions", async () => {
    const first = await importAndWait(jobs, twoTenantSnapshot());
    // The second estate scan: B's accounts opened to the internet, so B's score drops and A's does not move.
    const worse = clone(twoTenantSnapshot()); // its documents are the estate's own objects
    const bSubs = new Set(B.subscriptions.map((s) => lower(s.subscriptionId)));
    for (const d of worse.resources) {
      const p = d.properties as Record<string, unknown> | undefined;
      if (!p || d.type?.toLowerCase() !== "microsoft.cognitiveservices/accounts" || !bSubs.has(lower(d.id.split("/")[2]))) continue;
      p.publicNetworkAccess = "Enabled";
      p.networkAcls = { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] };
      p.disableLocalAuth = false;
    }
    const second = await importAndWait(jobs, worse);
    const onlyA = await importAndWait(jobs, tenantSnapshot(A, "2026-11-28T10:00:00Z"));
    const scoreOf = async (scanId: string, tenant: string) => (await scanTenants(store, scanId)).find((t) => t.tenantId === tenant)?.score;

    const trendB = await scoreTrend(store, { tenant: lower(B.tenantId) });
    const pointsB = trendB.tenant.filter((p) => p.scanId === first.id || p.scanId === second.id || p.scanId === onlyA.id);
    expect(pointsB.map((p) => p.scanId)).toEqual([first.id, second.id]);
    expect(pointsB.map((p) => p.score)).toEqual([await scoreOf(first.id, lower(B.tenantId)), await scoreOf(second.id, lower(B.tenantId))]);
    expect(pointsB[1].score!).toBeLessThan(pointsB[0].score!);
    expect(trendB.subscriptions.map((s) => lower(s.subscriptionId)).sort()).toEqual([...bSubs].sort());

    const trendA = await scoreTrend(store, { tenant: lower(A.tenantId) });
    const pointsA = trendA.tenant.filter((p) => [first.id, second.id, onlyA.id].includes(p.scanId));
    expect(pointsA.map((p) => p.scanId)).toEqual([first.id, second.id, onlyA.id]);
    expect(pointsA[0].score).toBe(pointsA[1].score);
    expect(pointsA[2].score).toBe(await scoreOf(onlyA.id, lower(A.tenantId)));
    expect((await scoreTrend(store, { tenant: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" })).tenant).toEqual([]);

    // The diff narrows the same way: B's new failures are all of them, A has none, each compares its own two subscriptions.
    const whole = await diffScans(store, second.id, first.id);
    const diffA = await diffScans(store, second.id, first.id, { tenant: lower(A.tenantId) });
    const diffB = await diffScans(store, second.id, first.id, { tenant: lower(B.tenantId) });
    expect(whole.counts.newFailures).toBeGreaterThan(0);
    expect(diffB.counts.newFailures).toBe(whole.counts.newFailures);
    expect(diffB.newFailures.every((f) => bSubs.has(lower(f.subscriptionId)))).toBe(true);
    expect(diffA.counts.newFailures).toBe(0);
    expect(diffA.counts.unchanged + diffB.counts.unchanged).toBe(whole.counts.unchanged);
    expect([diffA.subscriptions.compared, diffB.subscriptions.compared, whole.subscriptions.compared]).toEqual([2, 2, 4]);
    expect(diffB.scores.tenant).toEqual({ from: pointsB[0].score, to: pointsB[1].score });
  });

  it("mutes with an exception scoped to one tenant only that tenant's findings, in pages, the resource view and the read-back result", async () => {
    const snapshot = twoTenantSnapshot();
    const scan = await importAndWait(jobs, snapshot);
    const bSubs = new Set(B.subscriptions.map((s) => lower(s.subscriptionId)));
    const expected = evaluateSnapshot(snapshot).findings.filter((f) => f.controlId === "NET-1" && bSubs.has(lower(f.subscriptionId)));
    expect(expected.length).toBeGreaterThan(0);
    const ex = await createException(store, {
      tenantId: B.tenantId.toUpperCase(),
      controlId: "NET-1",
      owner: "o@example.com",
      reason: "r",
      expiresAt: "2099-01-01",
    });
    try {
      expect(ex.tenantId).toBe(lower(B.tenantId));
      const muted = await queryFindings(store, scan.id, parseFindingsQuery(new URLSearchParams("muted=true&pageSize=500")));
      expect(muted.total).toBe(expected.length);
      expect(muted.items.every((f) => f.controlId === "NET-1" && bSubs.has(lower(f.subscriptionId)) && f.mutedBy.includes(ex.id))).toBe(true);
      const detail = await resourceDetail(store, expected[0].resourceId, { scanId: scan.id });
      expect(detail.findings.find((f) => f.controlId === "NET-1")?.mutedBy).toEqual([ex.id]);
      const result = await readScanResult(store, scan.id);
      const mutedInResult = result.findings.filter((f) => f.muted);
      expect(mutedInResult.map((f) => f.resourceId).sort()).toEqual(expected.map((f) => f.resourceId).sort());
      expect(mutedInResult.every((f) => f.exception?.id === ex.id)).toBe(true);
      // A second one with the same scope is refused; a malformed tenant names the field.
      await expect(createException(store, { tenantId: B.tenantId, controlId: "NET-1", owner: "o", reason: "r", expiresAt: "2099-01-01" })).rejects.toThrow(
        "same scope",
      );
      await expect(createException(store, { tenantId: "fabrikam", owner: "o", reason: "r", expiresAt: "2099-01-01" })).rejects.toThrow("tenantId");
    } finally {
      await removeException(store, ex.id);
    }
  });

  it("reports subscriptions of a snapshot without tenants under the snapshot's tenant, or as unknown", async () => {
    const snap = tenantSnapshot(A, "2026-11-28T09:30:00Z");
    const scan = await importAndWait(jobs, snap);
    expect((await scanTenants(store, scan.id)).map((t) => t.tenantId)).toEqual([lower(A.tenantId)]);
    const bare = { ...tenantSnapshot(B, "2026-11-28T09:40:00Z"), tenantId: undefined };
    const scan2 = await importAndWait(jobs, bare);
    expect((await scanTenants(store, scan2.id)).map((t) => t.tenantId)).toEqual([UNKNOWN_TENANT]);
  });
});
