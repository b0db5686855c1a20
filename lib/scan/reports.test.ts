/**
 * Report and export downloads through the route handlers, on both databases: the PDF's printed
 * SHA-256 equals the JSON export's, every failing finding of a subscription appears in its report,
 * exports filter by subscription, and each download is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import * as reportRoute from "@/app/api/scans/[id]/report.pdf/route";
import * as exportRoute from "@/app/api/scans/[id]/export/route";
import * as auditRoute from "@/app/api/audit/route";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "@/lib/store/testing/fixtures";
import { PdfFile, squash } from "@/lib/report/testing/poppler";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { renderResourcePdf, renderSubscriptionPdf } from "@/lib/report/pdf";
import { readScanResult } from "@/lib/store/scans/result-read";
import { exportText, renderExport } from "@/lib/report/export";
import { readScanDocuments } from "@/lib/store/scans/documents";
import { EXPORT_FORMAT_TAG, storedExportSha256 } from "@/lib/store/scans/scans";
import { createException, removeException } from "@/lib/store/exceptions";
import type { ScanJobs } from "./jobs";
import { setServerJobs } from "./jobs-server";

const BASE = "http://speech-posture.test";
const req = (path: string) => new Request(BASE + path);
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

afterAll(async () => {
  setServerJobs(undefined);
  await releaseDatabases();
});

describe.each(DATABASES)("report downloads on %s", (kind) => {
  let tdb: TestDatabase;
  let jobs: ScanJobs;
  let scanId: string;
  const tenant = smallTenant(14, 3, 21);
  const snapshot = snapshotOf(tenant);

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    jobs = jobsFor(await tdb.open());
    setServerJobs(jobs);
    scanId = (await importAndWait(jobs, snapshot)).id;
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("prints the SHA-256 of exactly the JSON export in the tenant PDF", async () => {
    const jsonRes = await exportRoute.GET(req(`/api/scans/${scanId}/export?format=json`), ctx(scanId));
    expect(jsonRes.status).toBe(200);
    expect(jsonRes.headers.get("content-type")).toMatch(/application\/json/);
    expect(jsonRes.headers.get("content-disposition")).toMatch(/^attachment; filename="speech-posture-.*\.json"$/);
    const sha = createHash("sha256")
      .update(await jsonRes.text())
      .digest("hex");
    const pdfRes = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf`), ctx(scanId));
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get("content-type")).toBe("application/pdf");
    const pdf = new PdfFile(Buffer.from(await pdfRes.arrayBuffer()));
    try {
      expect(squash(pdf.text(1, 1))).toContain(sha);
      const { pages } = pdf.info();
      expect(squash(pdf.text(pages, pages))).toContain(`Page${pages}of${pages}`);
    } finally {
      pdf.dispose();
    }
  });

  it("names every failing resource of a subscription in its PDF, and only that subscription's in its CSV", async () => {
    const sub = snapshot.subscriptions[0].subscriptionId;
    const exported = JSON.parse(await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=json&subscriptionId=${sub}`), ctx(scanId))).text());
    const failing = exported.findings.filter((f: { status: string }) => f.status === "fail");
    expect(failing.length).toBeGreaterThan(0);
    const pdfRes = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf?subscriptionId=${sub}`), ctx(scanId));
    expect(pdfRes.status).toBe(200);
    const pdf = new PdfFile(Buffer.from(await pdfRes.arrayBuffer()));
    try {
      const text = squash(pdf.text());
      const names = new Map(snapshot.resources.filter(isSpeechAccount).map((a) => [a.id.toLowerCase(), a.name!]));
      for (const f of failing) expect(text).toContain(squash(names.get(f.resourceId.toLowerCase())!));
    } finally {
      pdf.dispose();
    }
    const csv = await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=csv&subscriptionId=${sub}`), ctx(scanId))).text();
    const rows = csv.trim().split("\r\n").slice(1);
    expect(rows.length).toBe(exported.findings.length);
    for (const row of rows) expect(row.toLowerCase()).toContain(sub.toLowerCase());
  });

  it("answers a single-resource PDF and OCSF lines", async () => {
    const account = snapshot.resources.find(isSpeechAccount)!;
    const pdfRes = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf?resourceId=${encodeURIComponent(account.id)}`), ctx(scanId));
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get("content-disposition")).toBe(`attachment; filename="speech-posture-${scanId}-${account.name}.pdf"`);
    const pdf = new PdfFile(Buffer.from(await pdfRes.arrayBuffer()));
    try {
      expect(squash(pdf.text())).toContain(squash(account.name!));
    } finally {
      pdf.dispose();
    }
    const ocsf = await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=ocsf`), ctx(scanId))).text();
    const lines = ocsf
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(snapshot.resources.filter(isSpeechAccount).length * 18);
    expect(new Set(lines.map((l) => l.class_uid))).toEqual(new Set([2003]));
  });

  it("exports a stored scan as OSCAL: the same bytes twice, with an active exception as an approved deviation in the POA&M", async () => {
    const ar1 = await exportRoute.GET(req(`/api/scans/${scanId}/export?format=oscal-ar`), ctx(scanId));
    expect(ar1.status).toBe(200);
    expect(ar1.headers.get("content-disposition")).toBe(`attachment; filename="speech-posture-${scanId}.oscal-ar.json"`);
    const text = await ar1.text();
    expect(await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=oscal-ar`), ctx(scanId))).text()).toBe(text);
    expect(JSON.parse(text)["assessment-results"].results[0].observations).toHaveLength(snapshot.resources.filter(isSpeechAccount).length * 18);
    const result = await readScanResult(jobs.store, scanId);
    const failing = result.findings.find((f) => f.status === "fail")!;
    const exception = await createException(
      jobs.store,
      {
        controlId: failing.controlId,
        resourceId: failing.resourceId,
        owner: "risk-owner@contoso.example",
        reason: "Accepted until the migration",
        expiresAt: "2099-06-30",
      },
      "test",
    );
    try {
      const poam = JSON.parse(await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=oscal-poam`), ctx(scanId))).text());
      const deviations = poam["plan-of-action-and-milestones"].risks.filter((r: { status: string }) => r.status === "deviation-approved");
      expect(deviations).toHaveLength(1);
      expect(deviations[0]).toMatchObject({ deadline: "2099-06-30T23:59:59Z" });
      expect(deviations[0].title.startsWith(failing.controlId)).toBe(true);
    } finally {
      await removeException(jobs.store, exception.id, "test");
    }
  });

  it("refuses bad parameters with 400 and unknown scopes with 404, never 500", async () => {
    const cases: [string, number][] = [
      [`/api/scans/${scanId}/export?format=xml`, 400],
      [`/api/scans/${scanId}/export`, 400],
      [`/api/scans/${scanId}/export?format=csv&subscriptionId=00000000-0000-0000-0000-000000000000`, 404],
      [`/api/scans/${scanId}/export?format=csv&extra=1`, 400],
      [`/api/scans/nope/export?format=csv`, 404],
    ];
    for (const [path, status] of cases) {
      const res = await exportRoute.GET(req(path), ctx(path.split("/")[3]));
      expect(res.status, path).toBe(status);
      expect((await res.json()).error.code).toBeTypeOf("string");
    }
    const both = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf?subscriptionId=a&resourceId=b`), ctx(scanId));
    expect(both.status).toBe(400);
    const unknownResource = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf?resourceId=%2Fsubscriptions%2Fx`), ctx(scanId));
    expect(unknownResource.status).toBe(404);
  });

  it("reads only the report's own part of the previous scan, and renders exactly as from the whole of it", async () => {
    const changed = structuredClone(snapshot);
    const first = changed.resources.find(isSpeechAccount)!;
    (first.properties as Record<string, unknown>).publicNetworkAccess = "Disabled";
    const next = await importAndWait(jobs, changed);
    expect(next.status).toBe("succeeded");
    const sub = first.subscriptionId as string;
    const whole = await readScanResult(jobs.store, scanId);
    const current = await readScanResult(jobs.store, next.id);
    const generatedAt = new Date("2026-11-28T12:00:00Z");
    const scopes = [
      { subscriptionId: sub.toUpperCase(), render: renderSubscriptionPdf, target: sub },
      { resourceId: first.id.toUpperCase(), render: renderResourcePdf, target: first.id },
    ];
    for (const { render, target, ...only } of scopes) {
      const part = await readScanResult(jobs.store, scanId, { only });
      const mine = (id: string) =>
        only.subscriptionId ? id.toLowerCase().startsWith(`/subscriptions/${sub.toLowerCase()}/`) : id.toLowerCase() === first.id.toLowerCase();
      expect(part.findings.length).toBeLessThan(whole.findings.length);
      expect(part.findings).toEqual(whole.findings.filter((f) => mine(f.resourceId)));
      expect(part.resources).toEqual(whole.resources.filter((r) => mine(r.id)));
      const documents = await readScanDocuments(jobs.store, next.id, only);
      const fromWhole = await render({ result: current, snapshot: documents, previous: whole, generatedAt }, target);
      const fromPart = await render({ result: current, snapshot: documents, previous: part, generatedAt }, target);
      expect(Buffer.compare(fromPart, fromWhole)).toBe(0);
      // …and the previous scan does show in it (the changed account).
      const alone = await render({ result: current, snapshot: documents, generatedAt }, target);
      expect(Buffer.compare(alone, fromWhole)).not.toBe(0);
    }
    // A subscription's exports come out the same from its part as from the whole scan.
    const part = await readScanResult(jobs.store, scanId, { only: { subscriptionId: sub } });
    for (const format of ["json", "csv", "ocsf"] as const) {
      expect(exportText(renderExport(format, part, { subscriptionId: sub }))).toBe(exportText(renderExport(format, whole, { subscriptionId: sub })));
    }
  });

  it("prints the same whole-scan hash in a subscription PDF read whole (first) or in part (once the hash is known)", async () => {
    const sub = snapshot.subscriptions[1].subscriptionId;
    const sha = createHash("sha256")
      .update(await (await exportRoute.GET(req(`/api/scans/${scanId}/export?format=json`), ctx(scanId))).text())
      .digest("hex");
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await reportRoute.GET(req(`/api/scans/${scanId}/report.pdf?subscriptionId=${sub}`), ctx(scanId));
      expect(res.status).toBe(200);
      const pdf = new PdfFile(Buffer.from(await res.arrayBuffer()));
      try {
        const text = squash(pdf.text());
        expect(text).toMatch(/Reportgenerated.*?UTC/);
        texts.push(text.replace(/Reportgenerated.*?UTC/, ""));
      } finally {
        pdf.dispose();
      }
    }
    expect(texts[0]).toContain(sha);
    expect(texts[1]).toBe(texts[0]);
  });

  it("prints the export hash stored with the scan while no exception is in force, and hashes the read-back result once one is", async () => {
    const fresh = (await importAndWait(jobs, snapshot)).id;
    const sub = snapshot.subscriptions[0].subscriptionId;
    const exportSha = async () =>
      createHash("sha256")
        .update(await (await exportRoute.GET(req(`/api/scans/${fresh}/export?format=json`), ctx(fresh))).text())
        .digest("hex");
    const pdfText = async () => {
      const pdf = new PdfFile(
        Buffer.from(await (await reportRoute.GET(req(`/api/scans/${fresh}/report.pdf?subscriptionId=${sub}`), ctx(fresh))).arrayBuffer()),
      );
      try {
        return squash(pdf.text());
      } finally {
        pdf.dispose();
      }
    };
    // Stored at scan time, it is exactly the hash of the export a user downloads.
    expect(await storedExportSha256(jobs.store, fresh)).toBe(await exportSha());
    // The report takes it from the scan row (a planted value shows), not by reading the whole scan.
    const planted = "f".repeat(64);
    await jobs.store.db
      .updateTable("scans")
      .set({ export_sha256: `${EXPORT_FORMAT_TAG}:${planted}` })
      .where("id", "=", fresh)
      .execute();
    expect(await pdfText()).toContain(planted);
    // A hash stored for another export format (older result or catalogue version) is not trusted.
    const stale = "e".repeat(64);
    await jobs.store.db
      .updateTable("scans")
      .set({ export_sha256: `result-v0.catalog-v0:${stale}` })
      .where("id", "=", fresh)
      .execute();
    const rehashed = await pdfText();
    expect(rehashed).not.toContain(stale);
    expect(rehashed).toContain(await exportSha());
    await jobs.store.db
      .updateTable("scans")
      .set({ export_sha256: `${EXPORT_FORMAT_TAG}:${planted}` })
      .where("id", "=", fresh)
      .execute();
    // With an exception in force the export differs, and the report hashes what it reads.
    const exception = await createException(jobs.store, { subscriptionId: sub, owner: "test", reason: "test", expiresAt: "2099-01-01" });
    try {
      const withException = await exportSha();
      const text = await pdfText();
      expect(text).toContain(withException);
      expect(text).not.toContain(planted);
    } finally {
      await removeException(jobs.store, exception.id, "test");
    }
  });

  it("records every download in the audit trail", async () => {
    const audit = await (await auditRoute.GET(req(`/api/audit?action=report.exported`))).json();
    const items = audit.items ?? audit;
    const formats = new Set(items.filter((e: { target: string }) => e.target === scanId).map((e: { details: { format: string } }) => e.details.format));
    expect(formats).toEqual(new Set(["pdf", "json", "csv", "ocsf", "oscal-ar", "oscal-poam"]));
  });
});
