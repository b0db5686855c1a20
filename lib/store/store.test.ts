/**
 * The store against both real databases: findings queries and facets, exceptions applied at read
 * time with expiry, diffs and first-seen across three scans, trend, retention, the scope guard,
 * recovery of interrupted scans and resource history.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "./audit";
import { readScanResult } from "./scans/result-read";
import { resultSha256 } from "@/lib/report/canonical";
import { InvalidInputError, ScanConflictError, StateConflictError } from "./errors";
import { createException, listExceptions, removeException } from "./exceptions";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import { diffScans } from "./history/diff";
import { writeScanResults } from "./scans/results";
import { buildScanResult } from "@/lib/scan/run-scan-build";
import { scoreTrend } from "./history/trend";
import { INTERRUPTED_MESSAGE } from "./scans/recovery";
import { resourceDetail } from "./resource-detail";
import { createScan, endScan, getScan, listScans, markRunning, storedExportSha256 } from "./scans/scans";
import { getSettings, updateSettings } from "./settings";
import { afterScan } from "./scans/maintenance";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { clone, importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import { isSpeechAccount, type Snapshot } from "@/lib/posture/snapshot";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { scoreFindings, summarizeScores } from "@/lib/posture/score";

const q = (s = "") => parseFindingsQuery(new URLSearchParams(s));
const speechAccounts = (s: Snapshot) => s.resources.filter(isSpeechAccount);
const props = (d: { properties?: Record<string, unknown> | null }) => d.properties as Record<string, unknown>;

afterAll(() => releaseDatabases());

describe.each(DATABASES)("store on %s", (kind) => {
  let tdb: TestDatabase;
  let clock = new Date("2026-11-28T10:00:00Z");
  let store: Store;
  let jobs: ScanJobs;
  const base = snapshotOf(smallTenant(), "2026-11-28T09:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => clock });
    jobs = jobsFor(store);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  const tick = (ms = 60_000) => (clock = new Date(clock.getTime() + ms));

  it("stores a scan and answers filtered, sorted, paged findings with facets under the other filters", async () => {
    tick();
    const scan = await importAndWait(jobs, base);
    expect(scan.status).toBe("succeeded");
    expect(scan.summary?.resources).toBe(12);
    const all = await queryFindings(store, scan.id, q("pageSize=500"));
    expect(all.total).toBe(216);
    expect(all.items).toHaveLength(216);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect(sum(all.facets.status)).toBe(216);
    expect(sum(all.facets.subscriptionId)).toBe(216);
    expect(all.facets.status.fail).toBe(scan.summary!.counts.fail);

    const fails = await queryFindings(store, scan.id, q("status=fail&pageSize=500"));
    expect(fails.total).toBe(all.facets.status.fail);
    expect(fails.items.every((f) => f.status === "fail")).toBe(true);
    // The status facet ignores the status filter itself, the others respect it.
    expect(fails.facets.status).toEqual(all.facets.status);
    expect(sum(fails.facets.severity)).toBe(fails.total);

    const highFails = await queryFindings(store, scan.id, q("status=fail&severity=high"));
    expect(highFails.facets.status.fail).toBe(highFails.total);
    expect(highFails.facets.severity.high).toBe(highFails.total);
    expect(highFails.facets.severity.medium).toBe(fails.facets.severity.medium);

    const p1 = await queryFindings(store, scan.id, q("sort=resource&pageSize=20&page=1"));
    const p2 = await queryFindings(store, scan.id, q("sort=resource&pageSize=20&page=2"));
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(40);
    const names = [...p1.items, ...p2.items].map((i) => i.resourceName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const desc = await queryFindings(store, scan.id, q("sort=-resource&pageSize=18"));
    expect(desc.items[0].resourceName.toLowerCase()).toBe([...all.items.map((i) => i.resourceName.toLowerCase())].sort().at(-1));

    const bySeverity = await queryFindings(store, scan.id, q("pageSize=500"));
    const rank = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    const ranks = bySeverity.items.map((i) => rank[i.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    const one = all.items[0];
    const byId = await queryFindings(store, scan.id, q(`q=${encodeURIComponent(one.resourceId.toUpperCase())}`));
    expect(byId.total).toBe(18);
    expect(byId.items.every((i) => i.resourceId === one.resourceId)).toBe(true);
    const sub = await queryFindings(store, scan.id, q(`subscriptionId=${one.subscriptionId.toUpperCase()}&controlId=iam-1`));
    expect(sub.items.every((i) => i.subscriptionId === one.subscriptionId && i.controlId === "IAM-1")).toBe(true);
    expect(sub.total).toBe(all.items.filter((i) => i.subscriptionId === one.subscriptionId && i.controlId === "IAM-1").length);
    // Every stored finding reads back exactly as evaluation produced it.
    const evaluated = new Map(evaluateSnapshot(base).findings.map((f) => [`${f.resourceId}|${f.controlId}`, f]));
    for (const item of all.items) {
      const f = evaluated.get(`${item.resourceId}|${item.controlId}`)!;
      expect([item.status, item.reason, item.message, item.severity]).toEqual([f.status, f.reason, f.message, f.severity]);
      expect(item.evidence).toEqual(JSON.parse(JSON.stringify(f.evidence)));
    }
    expect(all.items.some((i) => JSON.stringify(i.evidence).includes(i.resourceId))).toBe(true);
    // Read back as the CONTROLS.md result, it hashes to the SHA-256 stored with the scan.
    const result = await readScanResult(store, scan.id, { exceptions: false });
    expect(result.findings).toHaveLength(216);
    expect(resultSha256(result)).toBe(scan.resultSha256);
    // With no exception in force, the export (exceptions applied) hashes to the export SHA-256 stored too.
    expect(await listExceptions(store)).toMatchObject({ active: [], expired: [] });
    const exported = await readScanResult(store, scan.id);
    expect(exported.exceptions).toEqual({ active: [], expired: [] });
    expect(resultSha256(exported)).toBe(await storedExportSha256(store, scan.id));
    expect(await storedExportSha256(store, scan.id)).not.toBe(scan.resultSha256);
  });

  it("validates every findings parameter, naming it", () => {
    const field = (s: string) => {
      try {
        q(s);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).field;
      }
      return "accepted";
    };
    expect(field("status=failed")).toBe("status");
    expect(field("severity=critical")).toBe("severity");
    expect(field("controlId=XYZ-9")).toBe("controlId");
    expect(field("kind=OpenAI")).toBe("kind");
    expect(field("muted=yes")).toBe("muted");
    expect(field("sort=name")).toBe("sort");
    expect(field("page=0")).toBe("page");
    expect(field("pageSize=501")).toBe("pageSize");
    expect(field("colour=red")).toBe("colour");
    expect(field("status=fail,unknown&kind=aiservices&muted=false&sort=-status")).toBe("accepted");
  });

  it("mutes at read time with active exceptions only; expired ones stop muting and are listed as expired", async () => {
    const scan = (await listScans(store, { status: ["succeeded"] }))[0];
    const target = (await queryFindings(store, scan.id, q("status=fail&pageSize=1"))).items[0];
    const before = await queryFindings(store, scan.id, q("muted=true"));
    expect(before.total).toBe(0);

    const byResource = await createException(store, {
      controlId: target.controlId.toLowerCase(),
      resourceId: target.resourceId.toUpperCase(),
      owner: "alice@contoso.com",
      reason: "Custom voice needs the firewall open",
      expiresAt: new Date(clock.getTime() + 3_600_000).toISOString(),
    });
    const byTag = await createException(store, {
      tag: { name: "TEAM", value: "contactcenter" },
      owner: "bob",
      reason: "Contact center migrates in Q1",
      expiresAt: new Date(clock.getTime() + 7 * 86_400_000).toISOString(),
    });
    const muted = await queryFindings(store, scan.id, q("muted=true&pageSize=500"));
    const detail = await resourceDetail(store, target.resourceId, { scanId: scan.id });
    const tagged = detail.resource.tags.team === "contactcenter" ? 1 : 0;
    expect(muted.items.some((i) => i.id === target.id && i.status === "fail" && i.mutedBy.includes(byResource.id))).toBe(true);
    expect(muted.items.every((i) => i.muted)).toBe(true);
    const contactCenter = (await queryFindings(store, scan.id, q("q=contactcenter&pageSize=500"))).total;
    // The findings query and the result read-back (lib/posture's applyExceptions) agree on what is muted.
    const read = await readScanResult(store, scan.id);
    expect(
      read.findings
        .filter((f) => f.muted)
        .map((f) => `${f.resourceId}|${f.controlId}`)
        .sort(),
    ).toEqual(muted.items.map((i) => `${i.resourceId}|${i.controlId}`).sort());
    expect(read.summary.counts.muted).toBe(muted.total);
    expect(read.exceptions?.active.map((r) => r.id).sort()).toEqual([byResource.id, byTag.id].sort());
    expect(muted.total).toBe(contactCenter + (tagged ? 0 : 1));
    // Status and score are untouched by muting.
    const again = await queryFindings(store, scan.id, q("status=fail&pageSize=500"));
    expect(again.items.find((i) => i.id === target.id)?.status).toBe("fail");
    expect((await getScan(store, scan.id))?.summary?.score).toBe(scan.summary?.score);

    tick(2 * 3_600_000); // the resource exception expires, the tag one does not
    const later = await queryFindings(store, scan.id, q("muted=true&pageSize=500"));
    expect(later.items.some((i) => i.id === target.id)).toBe(tagged === 1);
    expect(later.total).toBe(contactCenter);
    const list = await listExceptions(store);
    expect(list.expired.map((e) => e.id)).toEqual([byResource.id]);
    expect(list.active.map((e) => e.id)).toEqual([byTag.id]);

    await removeException(store, byTag.id, "carol");
    expect((await queryFindings(store, scan.id, q("muted=true"))).total).toBe(0);
    expect((await listExceptions(store)).removed.map((e) => [e.id, e.removedBy])).toEqual([[byTag.id, "carol"]]);
    const audit = await listAudit(store);
    expect(audit.slice(0, 3).map((a) => [a.action, a.actor, a.target])).toEqual([
      ["exception.removed", "carol", byTag.id],
      ["exception.created", "local", byTag.id],
      ["exception.created", "local", byResource.id],
    ]);
    await expect(createException(store, { controlId: "IAM-1", owner: "x", reason: "y", expiresAt: "2020-01-01" })).rejects.toMatchObject({
      field: "expiresAt",
    });
    await expect(createException(store, { controlId: "IAM-1", owner: "x", reason: "y", expiresAt: "2099-02-30" })).rejects.toMatchObject({
      field: "expiresAt",
    });
    // A date is valid through that day (UTC), as in lib/posture.
    const today = clock.toISOString().slice(0, 10);
    const throughToday = await createException(store, { controlId: "IAM-1", owner: "x", reason: "y", expiresAt: today });
    expect(throughToday.state).toBe("active");
    // A second active exception with the same scope (any casing) is refused; once the first is removed it is not.
    const twin = { controlId: "iam-1", owner: "z", reason: "again", expiresAt: "2099-01-01" };
    await expect(createException(store, twin)).rejects.toMatchObject({
      field: "scope",
      message: expect.stringContaining("same scope already exists (owner x"),
    });
    expect(await createException(store, { ...twin, subscriptionId: "elsewhere" })).toMatchObject({ state: "active" });
    await removeException(store, throughToday.id);
    expect(await createException(store, twin)).toMatchObject({ state: "active", controlId: "IAM-1" });
    await expect(createException(store, { owner: "x", reason: "y", expiresAt: "2099-01-01" })).rejects.toMatchObject({ field: "scope" });
    await expect(createException(store, { controlId: "NOPE-1", owner: "x", reason: "y", expiresAt: "2099-01-01" })).rejects.toMatchObject({
      field: "controlId",
    });
  });

  it("diffs any two of three scans and dates each open failure from the first scan of its unbroken run", async () => {
    const s1snap = clone(base);
    const accounts = speechAccounts(s1snap);
    const [a, b, gone] = [accounts[0], accounts[1], accounts[2]];
    props(a).disableLocalAuth = false; // IAM-1 fails in every scan
    props(b).disableLocalAuth = false; // fails, resolved in scan 2, fails again in scan 3
    tick();
    const s1 = await importAndWait(jobs, s1snap);
    const s2snap = clone(s1snap);
    props(speechAccounts(s2snap)[1]).disableLocalAuth = true;
    tick();
    const s2 = await importAndWait(jobs, s2snap);
    const s3snap = clone(s1snap);
    s3snap.resources = s3snap.resources.filter((d) => d.id !== gone.id);
    tick();
    const s3 = await importAndWait(jobs, s3snap);

    const d12 = await diffScans(store, s2.id, s1.id);
    expect(d12.counts.resolved).toBe(1);
    expect(d12.resolved[0]).toMatchObject({ resourceId: b.id, controlId: "IAM-1", from: "fail", to: "pass" });
    expect(d12.counts.newFailures).toBe(0);
    expect(d12.counts.unchanged).toBe(216 - 1);

    // The changed verdict names the property that changed, before → after.
    expect(d12.resolved[0].evidence).toEqual([{ path: expect.stringMatching(/properties\.disableLocalAuth$/), before: false, after: true }]);

    const d23 = await diffScans(store, s3.id, s2.id);
    expect(d23.newFailures.map((i) => [i.resourceId, i.controlId])).toEqual([[b.id, "IAM-1"]]);
    expect(d23.newFailures[0].evidence).toEqual([{ path: expect.stringMatching(/properties\.disableLocalAuth$/), before: true, after: false }]);
    const goneFailures = (await queryFindings(store, s2.id, q(`status=fail&q=${encodeURIComponent(gone.id)}`))).total;
    expect(goneFailures).toBeGreaterThan(0);
    // Gone is not fixed: the deleted resource's failures are listed apart, none of them resolved.
    expect(d23.counts).toMatchObject({ resolved: 0, removed: 0, goneResources: 1, goneFindings: 18, goneFailures });
    expect(d23.resolved).toEqual([]);
    expect(d23.gone).toEqual([expect.objectContaining({ resourceId: gone.id, findings: 18, failures: goneFailures })]);
    expect(d23.gone[0].failedControls).toHaveLength(goneFailures);
    const d13 = await diffScans(store, s3.id, s1.id, { limit: 1 });
    expect(d13.counts).toMatchObject({ newFailures: 0, resolved: 0, goneResources: 1, goneFailures });
    expect(d13.gone.map((g) => g.resourceId)).toEqual([gone.id]);

    const fails = await queryFindings(store, s3.id, q("status=fail&controlId=IAM-1&pageSize=500"));
    const fa = fails.items.find((i) => i.resourceId === a.id)!;
    const fb = fails.items.find((i) => i.resourceId === b.id)!;
    expect(fa.firstSeenScanId).toBe(s1.id);
    expect(fa.firstSeenAt).toBe(s1.finishedAt);
    expect(fb.firstSeenScanId).toBe(s3.id);
    await expect(diffScans(store, s3.id, "nope")).rejects.toMatchObject({ name: "NotFoundError" });

    // History of one resource across scans.
    const detail = await resourceDetail(store, a.id.toLowerCase());
    expect(detail.scanId).toBe(s3.id);
    expect(detail.findings).toHaveLength(18);
    expect((detail.documents as { account: { id: string } }).account.id).toBe(a.id);
    expect(detail.history.slice(-3).map((h) => [h.scanId, h.statuses["IAM-1"]])).toEqual([
      [s1.id, "fail"],
      [s2.id, "fail"],
      [s3.id, "fail"],
    ]);
    const bDetail = await resourceDetail(store, b.id, { scanId: s2.id });
    expect(bDetail.findings.find((f) => f.controlId === "IAM-1")?.status).toBe("pass");
    await expect(resourceDetail(store, gone.id, { scanId: s3.id })).rejects.toMatchObject({ name: "NotFoundError" });

    // Score trend: one point per scan, per subscription too.
    const trend = await scoreTrend(store, { limit: 3 });
    expect(trend.tenant.map((p) => p.scanId)).toEqual([s1.id, s2.id, s3.id]);
    expect(trend.tenant.map((p) => p.score)).toEqual([s1.summary?.score, s2.summary?.score, s3.summary?.score]);
    expect(trend.tenant[1].counts!.fail).toBe(trend.tenant[0].counts!.fail - 1);
    expect(trend.subscriptions).toHaveLength(3);
    for (const s of trend.subscriptions) expect(s.points.map((p) => p.scanId)).toEqual([s1.id, s2.id, s3.id]);
  });

  it("keeps a deleted resource out of resolved and out of the score change: gone is not fixed", async () => {
    const snap = snapshotOf(smallTenant(6, 2, 41), "2026-11-28T13:30:00Z");
    // The account with the lowest score of its own: deleting it raises the tenant's.
    const byResource = summarizeScores(evaluateSnapshot(snap).findings).byResource;
    const score = (d: { id: string }) => byResource.get(d.id.toLowerCase())?.score ?? 101;
    const worst = speechAccounts(snap).reduce((w, d) => (score(d) < score(w) ? d : w));
    tick();
    const s1 = await importAndWait(jobs, snap);
    const without = clone(snap);
    without.resources = without.resources.filter((d) => d.id !== worst.id);
    tick();
    const s2 = await importAndWait(jobs, without);
    // The scans' own scores: deleting a failing resource raises them…
    expect(s2.summary!.score!).toBeGreaterThan(s1.summary!.score!);
    const d = await diffScans(store, s2.id, s1.id);
    const failures = evaluateSnapshot(snap).findings.filter((f) => f.resourceId === worst.id && f.status === "fail").length;
    expect(d.counts).toMatchObject({ resolved: 0, newFailures: 0, changed: 0, goneResources: 1, goneFailures: failures });
    expect(d.gone).toEqual([expect.objectContaining({ resourceId: worst.id, resourceName: worst.name, failures })]);
    // …the diff's score change counts only the resources both scans hold: nothing was fixed, so nothing moved.
    const rest = scoreFindings(evaluateSnapshot(without).findings);
    expect(d.scores.tenant).toEqual({ from: rest.score, to: rest.score });
    const sub = d.scores.subscriptions.find((x) => x.subscriptionId.toLowerCase() === String(worst.subscriptionId).toLowerCase());
    expect(sub).toBeDefined();
    expect(sub!.from).toBe(sub!.to);
  });

  it("reads back a scan stored by a catalogue-version-1 build as version 1, and a diff against it marks verdicts whose rule changed", async () => {
    const snap = snapshotOf(smallTenant(6, 2, 11), "2026-11-28T13:00:00Z");
    const first = speechAccounts(snap)[0].id;
    const flip = (status: string) => (status === "fail" ? "pass" : "fail");
    const store1 = async (mutate: (data: ReturnType<typeof buildScanResult>) => ReturnType<typeof buildScanResult>) => {
      tick();
      const scan = await createScan(store, { source: "emulator", startedBy: "test" });
      const startedAt = await markRunning(store, scan.id);
      const data = buildScanResult(snap, { id: scan.id, source: "emulator", startedAt, finishedAt: () => store.now().toISOString() });
      await writeScanResults(store, scan.id, mutate(data));
      return scan.id;
    };
    // What a version-1 build stored: its own verdicts (here NET-1, whose rule changed, and IAM-1, whose rule did not,
    // came out the other way for one account), an export hash tagged catalog-v1, and no catalog_version column yet.
    const v1 = await store1((data) => ({
      ...data,
      catalogVersion: 1,
      exportSha256: "a".repeat(64),
      findings: data.findings.map((f) =>
        f.resourceId === first && (f.controlId === "NET-1" || f.controlId === "IAM-1") ? { ...f, status: flip(f.status) } : f,
      ),
    }));
    await store.db.updateTable("scans").set({ catalog_version: null }).where("id", "=", v1).execute();
    const v2 = await store1((data) => data);

    expect((await getScan(store, v1))?.catalogVersion).toBe(1);
    expect((await getScan(store, v2))?.catalogVersion).toBe(2);
    const old = await readScanResult(store, v1, { exceptions: false });
    expect(old.scan.catalogVersion).toBe(1);
    expect(old.findings).toHaveLength(6 * 18);
    expect(old.findings.find((f) => f.resourceId === first && f.controlId === "NET-1")?.status).toBe(
      flip(evaluateSnapshot(snap).findings.find((f) => f.resourceId === first && f.controlId === "NET-1")!.status),
    );
    expect((await readScanResult(store, v2, { exceptions: false })).scan.catalogVersion).toBe(2);
    // The version-1 export hash stays valid for the version-1 scan; a version-2 tag on it would not be trusted.
    expect(await storedExportSha256(store, v1)).toBe("a".repeat(64));
    await store.db
      .updateTable("scans")
      .set({ export_sha256: `result-v1.catalog-v2:${"a".repeat(64)}` })
      .where("id", "=", v1)
      .execute();
    expect(await storedExportSha256(store, v1)).toBeUndefined();

    const d = await diffScans(store, v2, v1);
    expect(d.catalogVersions).toEqual({ from: 1, to: 2 });
    expect(d.ruleChangedControls).toEqual(["BYOS-2", "BYOS-3", "CMK-3", "NET-1", "NET-3", "LOG-1", "LOG-2", "LBX-1"]);
    const all = [...d.newFailures, ...d.resolved, ...d.changed];
    expect(all.map((i) => [i.resourceId, i.controlId, i.ruleChange]).sort()).toEqual([
      [first, "IAM-1", false],
      [first, "NET-1", true],
    ]);
    expect(d.counts.ruleChanges).toBe(1);
    // Between scans of the same version nothing is put down to a rule.
    const same = await diffScans(store, v2, await store1((data) => data));
    expect(same.catalogVersions).toEqual({ from: 2, to: 2 });
    expect(same.ruleChangedControls).toEqual([]);
    expect(same.counts.ruleChanges).toBe(0);
  });

  it("compares only the subscriptions both scans read: a partial scan resolves and adds nothing elsewhere", async () => {
    const full = snapshotOf(smallTenant(12, 3, 31), "2026-11-28T11:00:00Z");
    const [keep, skip, unread] = full.subscriptions.map((s) => s.subscriptionId);
    const inSub = (id: string) => (d: { subscriptionId?: unknown; id: string }) =>
      String(d.subscriptionId ?? d.id.split("/")[2]).toLowerCase() === id.toLowerCase();
    const target = speechAccounts(full).find(inSub(keep))!;
    props(target).disableLocalAuth = false; // fails IAM-1 until the last scan
    // The partial scan lists one subscription and holds only its documents.
    const partial = clone(full);
    partial.subscriptions = partial.subscriptions.filter((s) => s.subscriptionId === keep);
    partial.resources = partial.resources.filter(inSub(keep));
    // A later full scan could not read one subscription (Resource Graph error at its scope).
    const later = clone(full);
    later.resources = later.resources.filter((d) => !inSub(unread)(d));
    later.errors = [
      { scope: `/subscriptions/${unread.toUpperCase()}`, source: "resourceGraph", reason: "access_denied", code: "AuthorizationFailed", message: "denied" },
    ];
    // …and a failure was fixed in the subscription every scan read.
    const fixed = later.resources.find((d) => d.id === target.id)!;
    props(fixed).disableLocalAuth = true;
    tick();
    const s1 = await importAndWait(jobs, full);
    tick();
    const s2 = await importAndWait(jobs, partial);
    tick();
    const s3 = await importAndWait(jobs, later);
    const perSub = (snap: Snapshot, id: string) => speechAccounts(snap).filter(inSub(id)).length * 18;

    const d21 = await diffScans(store, s2.id, s1.id);
    expect(d21.subscriptions).toEqual({ compared: 1, onlyNewer: 0, onlyOlder: 2 });
    expect(d21.counts).toMatchObject({
      newFailures: 0,
      resolved: 0,
      removed: 0,
      added: 0,
      changed: 0,
      unchanged: perSub(full, keep),
      notCompared: perSub(full, skip) + perSub(full, unread),
    });

    const d32 = await diffScans(store, s3.id, s2.id);
    expect(d32.subscriptions).toEqual({ compared: 1, onlyNewer: 1, onlyOlder: 0 });
    expect(d32.counts.added).toBe(0);
    expect(d32.counts.notCompared).toBe(perSub(full, skip));
    expect(d32.resolved.map((i) => [i.resourceId, i.controlId])).toEqual([[fixed.id, "IAM-1"]]);

    const d31 = await diffScans(store, s3.id, s1.id);
    expect(d31.subscriptions).toEqual({ compared: 2, onlyNewer: 0, onlyOlder: 1 });
    expect(d31.counts).toMatchObject({ resolved: 1, removed: 0, newFailures: 0, notCompared: perSub(full, unread) });
  });

  it("compares a subscription a whole-tenant collection did not list as empty: new failures when it appears, resolved when it goes", async () => {
    const full = snapshotOf(smallTenant(12, 3, 37), "2026-11-28T12:00:00Z");
    const [a, b, c] = full.subscriptions.map((x) => x.subscriptionId);
    const inSub = (id: string) => (d: { id: string }) => d.id.toLowerCase().startsWith(`/subscriptions/${id.toLowerCase()}/`);
    const without = (id: string) => ({
      ...clone(full),
      subscriptions: full.subscriptions.filter((x) => x.subscriptionId !== id),
      resources: full.resources.filter((d) => !inSub(id)(d)),
    });
    // A collection of every subscription the credential sees, stored as a scan job stores it.
    const collected = async (snap: Snapshot) => {
      tick();
      const scan = await createScan(store, { source: "emulator", startedBy: "test" });
      const startedAt = await markRunning(store, scan.id);
      await writeScanResults(
        store,
        scan.id,
        buildScanResult(snap, { id: scan.id, source: "emulator", startedAt, finishedAt: () => store.now().toISOString() }),
      );
      return scan.id;
    };
    const perSub = (id: string, status?: string) =>
      evaluateSnapshot(full).findings.filter((f) => inSub(id)({ id: f.resourceId }) && (!status || f.status === status)).length;

    const before = await collected(without(c)); // c did not exist yet
    const after = await collected(full);
    const appeared = await diffScans(store, after, before);
    expect(appeared.subscriptions).toEqual({ compared: 3, onlyNewer: 0, onlyOlder: 0 });
    expect(appeared.counts.notCompared).toBe(0);
    expect(appeared.counts.newFailures).toBe(perSub(c, "fail"));
    expect(appeared.counts.added).toBe(perSub(c) - perSub(c, "fail"));

    // An uploaded snapshot's scope is unknown: a subscription it lacks is not compared.
    tick();
    const upload = (await importAndWait(jobs, without(c))).id;
    const partial = await diffScans(store, upload, after);
    expect(partial.subscriptions).toEqual({ compared: 2, onlyNewer: 0, onlyOlder: 1 });
    expect(partial.counts).toMatchObject({ resolved: 0, removed: 0, notCompared: perSub(c) });

    const gone = await collected(without(b)); // b was deleted
    const deleted = await diffScans(store, gone, after);
    expect(deleted.subscriptions).toEqual({ compared: 3, onlyNewer: 0, onlyOlder: 0 });
    // Every resource of b is gone with its failures, none resolved (others may change too: accounts elsewhere linked storage in b).
    expect(deleted.counts).toMatchObject({ removed: 0, goneFindings: perSub(b), goneFailures: perSub(b, "fail"), notCompared: 0 });
    expect(deleted.resolved.filter((i) => inSub(b)({ id: i.resourceId }))).toEqual([]);
    expect(deleted.gone.every((g) => inSub(b)({ id: g.resourceId }))).toBe(true);
    expect(deleted.scores.subscriptions.map((x) => x.subscriptionId.toLowerCase()).sort()).toEqual([a, c].map((x) => x.toLowerCase()).sort());
  });

  it("bulk-writes a larger scan (COPY on PostgreSQL) that reads back byte for byte, odd characters included", async () => {
    const snap = snapshotOf(smallTenant(150, 4, 21), "2026-11-28T09:30:00Z");
    const odd = speechAccounts(snap)[5];
    odd.name = "back\\slash\ttab\nnewline \\N \u0001 ünï";
    tick();
    const scan = await importAndWait(jobs, snap);
    expect(scan.status).toBe("succeeded");
    const result = await readScanResult(store, scan.id, { exceptions: false });
    expect(result.findings).toHaveLength(150 * 18);
    expect(resultSha256(result)).toBe(scan.resultSha256);
    const page = await queryFindings(store, scan.id, q(`q=${encodeURIComponent("newline")}`));
    expect(page.total).toBe(18);
    expect(page.items[0].resourceName).toBe(odd.name);
  });

  it("never shows an unfinished scan's findings and keeps one scan per scope", async () => {
    const scan = await createScan(store, { source: "emulator", subscriptions: ["B", "a"], startedBy: "local" });
    await expect(createScan(store, { source: "emulator", subscriptions: ["A", "b"], startedBy: "local" })).rejects.toEqual(new ScanConflictError(scan.id));
    const other = await createScan(store, { source: "emulator", subscriptions: ["a"], startedBy: "local" });
    await expect(queryFindings(store, scan.id, q())).rejects.toBeInstanceOf(StateConflictError);
    await endScan(store, scan.id, "cancelled", null);
    await endScan(store, other.id, "failed", "boom");
    const again = await createScan(store, { source: "emulator", subscriptions: ["a", "b"], startedBy: "local" });
    await endScan(store, again.id, "cancelled", null);
    expect((await getScan(store, other.id))?.error).toBe("boom");
  });

  it("marks a scan whose process is gone as interrupted when the store opens, removing its rows", async () => {
    const scan = await createScan(store, { source: "emulator", startedBy: "local" });
    await markRunning(store, scan.id);
    await store.db
      .insertInto("resources")
      .values({
        scan_id: scan.id,
        ord: 0,
        resource_key: "/x",
        resource_id: "/x",
        name: "x",
        kind: "SpeechServices",
        location: null,
        subscription_id: "s",
        subscription_key: "s",
        resource_group: null,
        score: null,
        tags: "{}",
        documents: "null",
      })
      .execute();
    // Owned by a process on another machine whose heartbeat stopped long ago.
    await store.db.updateTable("scans").set({ owner: "elsewhere:1:x", heartbeat_at: "2000-01-01T00:00:00.000Z" }).where("id", "=", scan.id).execute();
    const reopened = await tdb.open({ now: () => clock });
    const after = await getScan(reopened, scan.id);
    expect(after).toMatchObject({ status: "failed", error: INTERRUPTED_MESSAGE });
    const left = await reopened.db.selectFrom("resources").select("scan_id").where("scan_id", "=", scan.id).execute();
    expect(left).toEqual([]);
    // The scope is free again.
    const next = await createScan(reopened, { source: "emulator", startedBy: "local" });
    await endScan(reopened, next.id, "cancelled", null);
  });

  it("keeps only the newest N finished scans, removing older ones with their rows", async () => {
    const previous = (await getSettings(store)).retentionKeep;
    await updateSettings(store, { retentionKeep: 2, scheduleCron: null }, "admin");
    // Audited as old → new, for what changed only; saving the same again records nothing.
    const changes = async () => listAudit(store, { action: "settings.changed" });
    expect((await changes())[0]).toMatchObject({ actor: "admin", details: { retentionKeep: `${previous} → 2` } });
    expect(Object.keys((await changes())[0].details ?? {})).toEqual(["retentionKeep"]);
    const count = (await changes()).length;
    await updateSettings(store, { retentionKeep: 2 }, "admin");
    expect(await changes()).toHaveLength(count);
    tick();
    const last = await importAndWait(jobs, base);
    // A run of failures does not push good history out: failed scans are kept apart.
    for (let i = 0; i < 3; i++) {
      tick();
      const failed = await createScan(store, { source: "emulator", startedBy: "test" });
      await endScan(store, failed.id, "failed", "no credentials");
      await afterScan(store);
    }
    const scans = await listScans(store);
    const succeeded = scans.filter((s) => s.status === "succeeded");
    expect(succeeded.map((s) => s.id)).toHaveLength(2);
    expect(succeeded[0].id).toBe(last.id);
    expect(scans.filter((s) => s.status === "failed")).toHaveLength(2);
    const removals = await listAudit(store, { action: "scans.removed" });
    expect(removals[0]).toMatchObject({ actor: "retention", details: { keep: 2, succeeded: 0, failedOrCancelled: 1 } });
    const ids = scans.map((s) => s.id);
    const orphans = await store.db.selectFrom("findings").select("scan_id").where("scan_id", "not in", ids).limit(1).execute();
    expect(orphans).toEqual([]);
    const resources = await store.db.selectFrom("resources").select("scan_id").where("scan_id", "not in", ids).limit(1).execute();
    expect(resources).toEqual([]);
    await expect(updateSettings(store, { retentionKeep: 0 })).rejects.toMatchObject({ field: "retentionKeep" });
    await expect(updateSettings(store, { scheduleCron: "every day" })).rejects.toMatchObject({
      field: "scheduleCron",
      message: expect.stringContaining("use five fields"),
    });
    await expect(updateSettings(store, { scheduleCron: "0 0 30 2 *" })).rejects.toMatchObject({
      field: "scheduleCron",
      message: expect.stringContaining("never fires"),
    });
    await expect(updateSettings(store, { scheduleCron: "*/10 * * * * *" })).rejects.toMatchObject({
      field: "scheduleCron",
      message: expect.stringContaining("less than 5 minutes apart"),
    });
    await expect(updateSettings(store, { scheduleCron: "*/4 * * * *" })).rejects.toMatchObject({ field: "scheduleCron" });
    expect((await updateSettings(store, { scheduleCron: "*/5 * * * *" })).scheduleCron).toBe("*/5 * * * *");
    await updateSettings(store, { scheduleCron: null });
  });
});
