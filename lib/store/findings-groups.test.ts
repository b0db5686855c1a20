/**
 * Grouped findings pages on both real databases: grouping by subscription (or control, resource)
 * sorts by the group so groups are contiguous, and each group on a page carries its total over
 * every page beside its count on this page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import type { Scan } from "./scans/scans";

const q = (s = "") => parseFindingsQuery(new URLSearchParams(s));

afterAll(() => releaseDatabases());

describe.each(DATABASES)("grouped findings on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  let scan: Scan;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => new Date("2026-11-28T10:00:00Z") });
    jobs = jobsFor(store);
    scan = await importAndWait(jobs, snapshotOf(smallTenant(), "2026-11-28T09:00:00Z"));
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("groups one control's failures by subscription with each group's total across pages", async () => {
    const all = await queryFindings(store, scan.id, q("status=fail&pageSize=500"));
    const control = Object.entries(all.facets.controlId).sort((a, b) => b[1] - a[1])[0][0];
    const bySub = await queryFindings(store, scan.id, q(`status=fail&controlId=${control}&pageSize=500`));
    const expected = Object.fromEntries(Object.entries(bySub.facets.subscriptionId).filter(([, n]) => n > 0));
    expect(Object.keys(expected).length).toBeGreaterThan(1);

    const grouped = await queryFindings(store, scan.id, q(`status=fail&controlId=${control}&group=subscription&pageSize=500`));
    expect(grouped.items).toHaveLength(bySub.total);
    // Contiguous: each subscription's findings form one run.
    const runs = grouped.items.map((f) => f.subscriptionId.toLowerCase()).filter((s, i, a) => i === 0 || a[i - 1] !== s);
    expect(new Set(runs).size).toBe(runs.length);
    expect(Object.fromEntries(grouped.groups!.map((g) => [g.key, g.total]))).toEqual(expected);
    expect(grouped.groups!.every((g) => g.onPage === g.total)).toBe(true);

    // A page that cuts a group: totals are still the whole group's, onPage only this page's share.
    const small = await queryFindings(store, scan.id, q(`status=fail&group=subscription&pageSize=5&page=2`));
    const allFails = await queryFindings(store, scan.id, q(`status=fail&pageSize=500`));
    for (const g of small.groups!) {
      expect(g.total).toBe(allFails.items.filter((f) => f.subscriptionId === g.key).length);
      expect(g.onPage).toBe(small.items.filter((f) => f.subscriptionId === g.key).length);
    }
    expect(small.groups!.reduce((n, g) => n + g.onPage, 0)).toBe(5);
    expect(small.groups!.some((g) => g.total > g.onPage)).toBe(true);
  });

  it("counts control and resource groups the same way, and refuses an unknown group by name", async () => {
    const byControl = await queryFindings(store, scan.id, q("group=control&pageSize=20"));
    expect(byControl.groups![0]).toEqual({
      key: byControl.items[0].controlId,
      total: byControl.facets.controlId[byControl.items[0].controlId],
      onPage: expect.any(Number),
    });
    const byResource = await queryFindings(store, scan.id, q("group=resource&pageSize=20"));
    expect(byResource.groups!.map((g) => g.total)).toEqual(byResource.groups!.map(() => 18));
    expect((await queryFindings(store, scan.id, q("pageSize=5"))).groups).toBeUndefined();
    expect(() => q("group=team")).toThrow(/group: unknown group "team"; expected one of none, control, resource, subscription/);
  });
});
