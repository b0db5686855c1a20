/**
 * Exceptions after they are created, on both real databases: edits and renewals audited as
 * old → new, the Admin's maximum expiry on create, edit and renew, bulk creation from a filtered
 * findings view (all or none), and the muting exception's owner, reason and expiry in the exports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "./audit";
import { createException, createExceptions, getException, listExceptions, removeException, renewException, updateException } from "./exceptions";
import { createExceptionsForFindings } from "./findings/bulk-exceptions";
import { parseFindingsQuery } from "./findings/params";
import { queryFindings } from "./findings/query";
import { readScanResult } from "./scans/result-read";
import { getSettings, updateSettings } from "./settings";
import type { Store } from "./store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "./testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "./testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import type { Scan } from "./scans/scans";
import { renderExport, exportText } from "@/lib/report/export";
import { parseCsv } from "@/lib/report/testing/csv-reader";

const q = (s = "") => parseFindingsQuery(new URLSearchParams(s));

afterAll(() => releaseDatabases());

describe.each(DATABASES)("exception edits on %s", (kind) => {
  let tdb: TestDatabase;
  let clock = new Date("2026-11-28T10:00:00Z");
  let store: Store;
  let jobs: ScanJobs;
  let scan: Scan;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => clock });
    jobs = jobsFor(store);
    scan = await importAndWait(jobs, snapshotOf(smallTenant(), "2026-11-28T09:00:00Z"));
    expect(scan.status).toBe("succeeded");
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("edits owner and reason and renews the expiry in place, auditing only what changed as old → new", async () => {
    const created = await createException(store, { controlId: "LOG-1", owner: "alice", reason: "logging moves in Q1", expiresAt: "2026-12-31" }, "alice");
    const edited = await updateException(store, created.id, { owner: "bob", reason: "logging moves in Q2", expiresAt: "2026-12-31" }, "carol");
    expect(edited).toMatchObject({ id: created.id, owner: "bob", reason: "logging moves in Q2", expiresAt: "2026-12-31", controlId: "LOG-1" });
    expect(edited).toMatchObject({ updatedBy: "carol", updatedAt: clock.toISOString(), createdBy: "alice", state: "active" });
    const [updated] = await listAudit(store, { action: "exception.updated" });
    expect(updated).toMatchObject({
      actor: "carol",
      target: created.id,
      details: { owner: "alice → bob", reason: "logging moves in Q1 → logging moves in Q2" },
    });
    expect(Object.keys(updated.details ?? {}).sort()).toEqual(["owner", "reason"]);

    const renewed = await renewException(store, created.id, "2027-02-28", "dave");
    expect(renewed).toMatchObject({ expiresAt: "2027-02-28", owner: "bob", updatedBy: "dave" });
    expect((await listAudit(store, { action: "exception.renewed" }))[0]).toMatchObject({
      actor: "dave",
      target: created.id,
      details: { expiresAt: "2026-12-31 → 2027-02-28" },
    });
    // Saving the same values again changes and records nothing.
    const before = (await listAudit(store)).length;
    await updateException(store, created.id, { owner: "bob" }, "erin");
    expect(await listAudit(store)).toHaveLength(before);
    expect((await getException(store, created.id))?.updatedBy).toBe("dave");

    // Bad edits name the field and change nothing.
    await expect(updateException(store, created.id, { controlId: "IAM-1" })).rejects.toMatchObject({
      field: "controlId",
      message: expect.stringContaining("scope of an exception cannot change"),
    });
    await expect(updateException(store, created.id, { owner: "  " })).rejects.toMatchObject({ field: "owner" });
    await expect(updateException(store, created.id, { expiresAt: "2026-02-30" })).rejects.toMatchObject({ field: "expiresAt" });
    await expect(updateException(store, created.id, { expiresAt: "2020-01-01" })).rejects.toMatchObject({
      field: "expiresAt",
      message: expect.stringContaining("in the future"),
    });
    await expect(updateException(store, created.id, {})).rejects.toMatchObject({ field: "body" });
    await expect(updateException(store, "nope", { owner: "x" })).rejects.toMatchObject({ name: "NotFoundError" });
    expect(await getException(store, created.id)).toMatchObject({ owner: "bob", reason: "logging moves in Q2", expiresAt: "2027-02-28" });

    await removeException(store, created.id);
    await expect(renewException(store, created.id, "2027-03-31")).rejects.toMatchObject({
      name: "StateConflictError",
      message: expect.stringContaining("removed exception cannot be edited or renewed"),
    });
  });

  it("renews an expired exception so it mutes again, unless an active one of the same scope exists", async () => {
    const target = (await queryFindings(store, scan.id, q("status=fail&controlId=NET-1&pageSize=1"))).items[0];
    const short = await createException(store, {
      controlId: target.controlId,
      resourceId: target.resourceId,
      owner: "alice",
      reason: "firewall for custom voice",
      expiresAt: new Date(clock.getTime() + 3_600_000).toISOString(),
    });
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect((await getException(store, short.id))?.state).toBe("expired");
    expect((await queryFindings(store, scan.id, q(`muted=true&controlId=${target.controlId}`))).total).toBe(0);
    const renewed = await renewException(store, short.id, "2027-01-15", "bob");
    expect(renewed.state).toBe("active");
    const muted = await queryFindings(store, scan.id, q(`muted=true&controlId=${target.controlId}`));
    expect(muted.items.map((i) => [i.id, i.mutedBy])).toEqual([[target.id, [short.id]]]);

    // An expired twin cannot be renewed beside the active one.
    clock = new Date(clock.getTime() + 60_000);
    const other = await createException(store, { controlId: "NET-2", owner: "x", reason: "y", expiresAt: new Date(clock.getTime() + 60_000).toISOString() });
    clock = new Date(clock.getTime() + 120_000);
    await createException(store, { controlId: "NET-2", owner: "x2", reason: "y2", expiresAt: "2027-01-01" });
    await expect(renewException(store, other.id, "2027-01-02")).rejects.toMatchObject({ field: "scope" });
    expect((await getException(store, other.id))?.state).toBe("expired");
  });

  it("enforces the Admin's maximum expiry on create, edit and renew with an error that names the last allowed day", async () => {
    expect((await getSettings(store)).exceptionMaxDays).toBeNull();
    await expect(updateSettings(store, { exceptionMaxDays: 0 }, "admin")).rejects.toMatchObject({ field: "exceptionMaxDays" });
    await expect(updateSettings(store, { exceptionMaxDays: 1.5 }, "admin")).rejects.toMatchObject({ field: "exceptionMaxDays" });
    await updateSettings(store, { exceptionMaxDays: 90 }, "admin");
    expect((await listAudit(store, { action: "settings.changed" }))[0].details).toEqual({ exceptionMaxDays: "none → 90" });
    const today = clock.toISOString().slice(0, 10);
    const last = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate()) + 90 * 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const scope = { controlId: "CMK-1", owner: "alice", reason: "vault migration" };

    await expect(createException(store, { ...scope, expiresAt: dayAfter })).rejects.toMatchObject({
      field: "expiresAt",
      message: `expiresAt: ${dayAfter} is beyond the longest exception allowed: 90 days, so at most through ${last} (an Admin sets this in Settings)`,
    });
    await expect(createException(store, { ...scope, expiresAt: `${dayAfter}T00:00:01Z` })).rejects.toMatchObject({ field: "expiresAt" });
    const within = await createException(store, { ...scope, expiresAt: last });
    expect(within.expiresAt).toBe(last);
    await expect(renewException(store, within.id, dayAfter)).rejects.toMatchObject({ field: "expiresAt", message: expect.stringContaining(last) });
    await expect(updateException(store, within.id, { reason: "r", expiresAt: dayAfter })).rejects.toMatchObject({ field: "expiresAt" });
    // The refused edit changed nothing, not even the reason given with it.
    expect(await getException(store, within.id)).toMatchObject({ reason: "vault migration", expiresAt: last });
    expect((await renewException(store, within.id, today)).expiresAt).toBe(today);

    await updateSettings(store, { exceptionMaxDays: null }, "admin");
    expect((await renewException(store, within.id, "2030-01-01")).expiresAt).toBe("2030-01-01");
    await removeException(store, within.id);
  });

  it("creates one exception per failing or unknown, unmuted finding of a filtered view, all or none", async () => {
    // The control with the most unmuted failures; the view also asks for passes, which get none.
    const facets = (await queryFindings(store, scan.id, q("status=fail&muted=false"))).facets.controlId;
    const control = Object.keys(facets).sort((a, b) => facets[b] - facets[a])[0];
    const view = q(`controlId=${control}&status=fail,pass`);
    const targets = await queryFindings(store, scan.id, q(`controlId=${control}&status=fail&muted=false&pageSize=500`));
    expect(targets.total).toBeGreaterThan(1);
    const before = (await listExceptions(store)).active.length;

    // One bad field and nothing is written.
    await expect(createExceptionsForFindings(store, scan.id, view, { owner: "", reason: "r", expiresAt: "2027-01-01" }, "ops")).rejects.toMatchObject({
      field: "owner",
    });
    expect((await listExceptions(store)).active).toHaveLength(before);

    const created = await createExceptionsForFindings(store, scan.id, view, { owner: "ops-team", reason: "BYOS rollout", expiresAt: "2027-01-01" }, "ops");
    expect(created).toHaveLength(targets.total);
    expect(new Set(created.map((e) => `${e.controlId}|${e.resourceId}`))).toEqual(new Set(targets.items.map((f) => `${f.controlId}|${f.resourceId}`)));
    expect(created.every((e) => e.owner === "ops-team" && e.createdBy === "ops" && e.state === "active")).toBe(true);
    expect((await queryFindings(store, scan.id, q(`controlId=${control}&status=fail&muted=false`))).total).toBe(0);
    const audits = await listAudit(store, { action: "exception.created", limit: targets.total });
    expect(audits.every((a) => (a.details as { bulk?: { scanId: string } }).bulk?.scanId === scan.id)).toBe(true);

    // Again: nothing is left unmuted, so nothing is created.
    await expect(createExceptionsForFindings(store, scan.id, view, { owner: "o", reason: "r", expiresAt: "2027-01-01" })).rejects.toMatchObject({
      field: "filters",
      message: expect.stringContaining("no failing or unknown finding"),
    });
    // Too many at once is refused with the count, and creates nothing.
    const many = Array.from({ length: 201 }, (_, i) => ({ subscriptionId: `sub-${i}`, owner: "o", reason: "r", expiresAt: "2027-01-01" }));
    await expect(createExceptions(store, many)).rejects.toMatchObject({
      field: "exceptions",
      message: expect.stringContaining("at most 200 at once, got 201"),
    });
    // A batch with a twin inside it is refused as a whole.
    const n = (await listExceptions(store)).active.length;
    await expect(
      createExceptions(store, [
        { tag: { name: "team", value: "payments" }, owner: "o", reason: "r", expiresAt: "2027-01-01" },
        { tag: { name: "TEAM", value: "payments" }, owner: "o", reason: "r", expiresAt: "2027-01-01" },
      ]),
    ).rejects.toMatchObject({ field: "[1].scope" });
    expect((await listExceptions(store)).active).toHaveLength(n);
    for (const e of created) await removeException(store, e.id);
  });

  it("exports the muting exception's owner, reason and expiry in CSV and JSON", async () => {
    const byTag = await createException(store, { tag: { name: "env", value: "prod" }, owner: "risk-office", reason: "prod freeze", expiresAt: "2027-03-31" });
    const result = await readScanResult(store, scan.id);
    const muted = result.findings.filter((f) => f.muted);
    expect(muted.length).toBeGreaterThan(0);
    const activeIds = new Set(result.exceptions!.active.map((e) => e.id));
    expect(muted.every((f) => f.exception !== undefined && activeIds.has(f.exception.id))).toBe(true);
    expect(muted.filter((f) => f.exception?.id === byTag.id).length).toBeGreaterThan(0);
    const json = JSON.parse(exportText(renderExport("json", result))) as { findings: { muted: boolean; exception?: unknown }[] };
    const mutedJson = json.findings.filter((f) => f.muted);
    expect(mutedJson.length).toBe(muted.length);
    expect(
      mutedJson.filter(
        (f) => JSON.stringify(f.exception) === JSON.stringify({ expiresAt: "2027-03-31", id: byTag.id, owner: "risk-office", reason: "prod freeze" }),
      ).length,
    ).toBe(muted.filter((f) => f.exception?.id === byTag.id).length);
    expect(json.findings.filter((f) => !f.muted).every((f) => f.exception === undefined)).toBe(true);
    const rows = parseCsv(exportText(renderExport("csv", result)).slice(1));
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    const mutedRows = rows.slice(1).filter((r) => r[col("muted")] === "true" && r[col("exceptionId")] === byTag.id);
    expect(mutedRows.length).toBeGreaterThan(0);
    expect(
      mutedRows.every(
        (r) => r[col("exceptionOwner")] === "risk-office" && r[col("exceptionReason")] === "prod freeze" && r[col("exceptionExpiresAt")] === "2027-03-31",
      ),
    ).toBe(true);
    await removeException(store, byTag.id);
  });
});
