/**
 * Streamed exports on both databases: JSON, CSV and OCSF read a batch of resources at a time come
 * out byte for byte as the whole result read back and rendered at once (the scan, and each of its
 * subscriptions), muted by every kind of exception; the reader never reads more than one batch; the
 * JSON's SHA-256 is the one the PDFs print; a scan removed while it is read ends the text with an
 * error instead of a short file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import * as exportRoute from "@/app/api/scans/[id]/export/route";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "@/lib/store/testing/fixtures";
import { readScanResult } from "@/lib/store/scans/result-read";
import { openScanResultStream } from "@/lib/store/scans/result-stream";
import { deleteScanChildren } from "@/lib/store/scans/rows";
import { storedExportSha256 } from "@/lib/store/scans/scans";
import { createException, removeException } from "@/lib/store/exceptions";
import { NotFoundError } from "@/lib/store/errors";
import { exportText, renderExport } from "@/lib/report/export";
import { STREAMED_FORMATS, streamExport } from "@/lib/report/export-stream";
import { resultSha256 } from "@/lib/report/canonical";
import type { Store } from "@/lib/store/store";
import type { ScanJobs } from "./jobs";
import { setServerJobs } from "./jobs-server";

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

afterAll(async () => {
  setServerJobs(undefined);
  await releaseDatabases();
});

describe.each(DATABASES)("streamed exports on %s", (kind) => {
  let tdb: TestDatabase;
  let jobs: ScanJobs;
  let store: Store;
  let scanId: string;
  const tenant = smallTenant(14, 3, 21);
  const snapshot = snapshotOf(tenant);
  const subscriptions = snapshot.subscriptions.map((s) => s.subscriptionId);

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open();
    jobs = jobsFor(store);
    setServerJobs(jobs);
    scanId = (await importAndWait(jobs, snapshot)).id;
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("streams exactly the whole result's rendering, for the scan and each subscription, with every kind of exception in force", async () => {
    const before = await readScanResult(store, scanId);
    const failing = before.findings.filter((f) => f.status === "fail");
    const tagged = before.resources.find((r) => Object.keys(r.tags ?? {}).length > 0);
    expect(failing.length).toBeGreaterThan(2);
    expect(tagged).toBeDefined();
    const [tagName, tagValue] = Object.entries(tagged!.tags)[0];
    const bodies: Record<string, unknown>[] = [
      { controlId: failing[0].controlId, resourceId: failing[0].resourceId.toUpperCase(), owner: "o", reason: "resource", expiresAt: "2099-01-01" },
      { subscriptionId: subscriptions[1], owner: "o", reason: "subscription", expiresAt: "2099-01-01" },
      { controlId: "NET-1", tag: { name: tagName, value: tagValue }, owner: "o", reason: "tag", expiresAt: "2099-01-01" },
      { controlId: failing[failing.length - 1].controlId, owner: "o", reason: "to expire", expiresAt: "2099-01-01" },
    ];
    if (before.scan.tenantId) bodies.push({ controlId: "LOG-2", tenantId: before.scan.tenantId, owner: "o", reason: "tenant", expiresAt: "2099-01-01" });
    const created = [];
    for (const body of bodies) created.push(await createException(store, body, "test"));
    // One of them expired: listed as expired, muting nothing.
    await store.db.updateTable("exceptions").set({ expires_at: "2020-01-01" }).where("id", "=", created[3].id).execute();
    try {
      const whole = await readScanResult(store, scanId);
      expect(whole.exceptions?.active.length).toBe(bodies.length - 1);
      expect(whole.exceptions?.expired.length).toBe(1);
      expect(whole.summary.counts.muted).toBeGreaterThan(0);
      for (const batchResources of [1, 4, 1000]) {
        for (const format of STREAMED_FORMATS) {
          const expected = exportText(renderExport(format, whole));
          const source = await openScanResultStream(store, scanId, { batchResources });
          expect(await collect(streamExport(format, source).chunks), `${format} by ${batchResources}`).toBe(expected);
          for (const sub of [...subscriptions, subscriptions[0].toUpperCase()]) {
            const part = await readScanResult(store, scanId, { only: { subscriptionId: sub } });
            const want = exportText(renderExport(format, part, { subscriptionId: sub }));
            expect(want).toBe(exportText(renderExport(format, whole, { subscriptionId: sub })));
            const narrowed = await openScanResultStream(store, scanId, { batchResources, only: { subscriptionId: sub } });
            expect(await collect(streamExport(format, narrowed, { subscriptionId: sub }).chunks), `${format} of ${sub} by ${batchResources}`).toBe(want);
          }
        }
      }
      // Through the route: the same bytes (the byte-order mark included, which Response.text() would drop).
      const res = await exportRoute.GET(new Request(`http://speech-posture.test/api/scans/${scanId}/export?format=csv`), ctx(scanId));
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(exportText(renderExport("csv", whole)), "utf8"))).toBe(true);
    } finally {
      for (const e of created) await removeException(store, e.id, "test").catch(() => undefined);
    }
  });

  it("reads a batch of resources and their findings at a time, and totals only once all were read", async () => {
    const whole = await readScanResult(store, scanId);
    const stream = await openScanResultStream(store, scanId, { batchResources: 4 });
    expect(() => stream.totals()).toThrow(/once all its batches/);
    const sizes: [number, number][] = [];
    for await (const batch of stream.batches()) {
      sizes.push([batch.resources.length, batch.findings.length]);
      // Every finding of the batch belongs to one of its resources.
      const ids = new Set(batch.resources.map((r) => r.id.toLowerCase()));
      for (const f of batch.findings) expect(ids.has(f.resourceId.toLowerCase())).toBe(true);
    }
    expect(sizes).toHaveLength(Math.ceil(whole.resources.length / 4));
    for (const [resources, findings] of sizes) {
      expect(resources).toBeLessThanOrEqual(4);
      expect(findings).toBe(resources * 18);
    }
    expect(sizes.reduce((n, [, f]) => n + f, 0)).toBe(whole.findings.length);
    expect(stream.totals()).toEqual({ summary: whole.summary, subscriptions: whole.subscriptions });
  });

  it("serves the JSON whose SHA-256 the PDFs print: stored with the scan, or of the result read back under an exception", async () => {
    const json = async () => {
      const res = await exportRoute.GET(new Request(`http://speech-posture.test/api/scans/${scanId}/export?format=json`), ctx(scanId));
      expect(res.status).toBe(200);
      return createHash("sha256")
        .update(Buffer.from(await res.arrayBuffer()))
        .digest("hex");
    };
    expect(await json()).toBe(await storedExportSha256(store, scanId));
    const result = await readScanResult(store, scanId);
    const failing = result.findings.find((f) => f.status === "fail")!;
    const e = await createException(
      store,
      { controlId: failing.controlId, resourceId: failing.resourceId, owner: "o", reason: "r", expiresAt: "2099-01-01" },
      "t",
    );
    try {
      expect(await json()).toBe(resultSha256(await readScanResult(store, scanId)));
    } finally {
      await removeException(store, e.id, "t");
    }
  });

  it("ends the text with an error, not a short file, when the scan is removed while it is read", async () => {
    const doomed = (await importAndWait(jobs, snapshot)).id;
    const source = await openScanResultStream(store, doomed, { batchResources: 2 });
    const chunks = streamExport("json", source).chunks[Symbol.asyncIterator]();
    let read = "";
    for (let i = 0; i < 6; i++) read += (await chunks.next()).value;
    expect(read).toContain('"findings":[');
    await store.db.transaction().execute(async (trx) => {
      await deleteScanChildren(trx, doomed);
      await trx.deleteFrom("scans").where("id", "=", doomed).execute();
    });
    store.cache.forgetScans([doomed]);
    await expect(
      (async () => {
        for (;;) if ((await chunks.next()).done) return;
      })(),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
