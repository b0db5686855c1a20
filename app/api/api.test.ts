/**
 * The HTTP API end to end against both databases: the route handlers called with real Request
 * objects, a real store, and a real emulator for live-path scans.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import * as scansRoute from "@/app/api/scans/route";
import * as scanRoute from "@/app/api/scans/[id]/route";
import * as eventsRoute from "@/app/api/scans/[id]/events/route";
import * as findingsRoute from "@/app/api/scans/[id]/findings/route";
import * as diffRoute from "@/app/api/scans/[id]/diff/route";
import * as diffExportRoute from "@/app/api/scans/[id]/diff/export/route";
import { DIFF_CSV_COLUMNS } from "@/lib/report/diff-export";
import { parseCsv } from "@/lib/report/testing/csv-reader";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import * as snapshotsRoute from "@/app/api/snapshots/route";
import * as resourceRoute from "@/app/api/resources/[...resourceId]/route";
import * as exceptionsRoute from "@/app/api/exceptions/route";
import * as exceptionRoute from "@/app/api/exceptions/[id]/route";
import * as findingsExceptionsRoute from "@/app/api/scans/[id]/findings/exceptions/route";
import * as auditRoute from "@/app/api/audit/route";
import * as trendRoute from "@/app/api/trend/route";
import * as latestRoute from "@/app/api/scans/latest/route";
import * as exportRoute from "@/app/api/scans/[id]/export/route";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { resultSha256 } from "@/lib/report/canonical";
import { readScanResult } from "@/lib/store/scans/result-read";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { importAndWait, jobsFor, smallTenant, snapshotOf } from "@/lib/store/testing/fixtures";
import type { ScanJobs } from "@/lib/scan/jobs";
import { setServerJobs } from "@/lib/scan/jobs-server";

const BASE = "http://127.0.0.1:3000"; // loopback: the upload route makes the proxy's demo-mode Host check itself
const req = (path: string, init?: RequestInit) => new Request(BASE + path, init);
const post = (path: string, body: unknown) =>
  req(path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });
const ctx = <T>(params: T) => ({ params: Promise.resolve(params) });

async function readSse(res: Response): Promise<{ event: string; data: any }[]> {
  const text = await res.text(); // the stream ends when the scan ends
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event:"))
    .map((block) => {
      const [e, d] = block.split("\n");
      return { event: e.slice("event: ".length), data: JSON.parse(d.slice("data: ".length)) };
    });
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: 12, subscriptions: 3, seed: 11, quota: false });
});
afterAll(async () => {
  setServerJobs(undefined);
  await emulator?.close();
  await releaseDatabases();
});

describe.each(DATABASES)("HTTP API on %s", (kind) => {
  let tdb: TestDatabase;
  let jobs: ScanJobs;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    jobs = jobsFor(await tdb.open(), emulator);
    setServerJobs(jobs);
  });
  afterAll(async () => {
    await jobs?.close();
    await tdb?.dispose();
  });

  it("runs a scan from POST to SSE progress to findings, refusing a second scan of the same scope", async () => {
    emulator.setFaults({ latencyMs: 40 });
    const started = await scansRoute.POST(post("/api/scans", { source: "emulator" }));
    expect(started.status).toBe(202);
    const { id } = await started.json();
    const second = await scansRoute.POST(post("/api/scans", {}));
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: "scan_running", id } });

    const events = await readSse(await eventsRoute.GET(req(`/api/scans/${id}/events`), ctx({ id })));
    emulator.setFaults({});
    const progress = events.filter((e) => e.event === "progress");
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.some((e) => e.data.phase === "details" || e.data.phase === "storing")).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { id, status: "succeeded" } });

    const scan = await (await scanRoute.GET(req(`/api/scans/${id}`), ctx({ id }))).json();
    expect(scan).toMatchObject({ id, status: "succeeded", source: "emulator", startedBy: "local" });
    expect(scan.summary.resources).toBe(12);
    // finishedAt is the result's time (after evaluating); endedAt, after storing, ends the shown duration.
    expect(scan.finishedAt >= scan.startedAt).toBe(true);
    expect(typeof scan.endedAt === "string" && scan.endedAt >= scan.finishedAt).toBe(true);
    const latest = await (await latestRoute.GET(req("/api/scans/latest"))).json();
    expect(latest.id).toBe(id);

    const page = await findingsRoute.GET(req(`/api/scans/${id}/findings?status=fail&sort=-severity&pageSize=5`), ctx({ id }));
    expect(page.status).toBe(200);
    const body = await page.json();
    expect(body.items).toHaveLength(5);
    expect(body.total).toBe(scan.summary.counts.fail);
    expect(Object.keys(body.facets)).toEqual(expect.arrayContaining(["status", "severity", "controlId", "subscriptionId", "kind"]));

    const bad = await findingsRoute.GET(req(`/api/scans/${id}/findings?severity=critical`), ctx({ id }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_input", field: "severity" } });
    const missing = await findingsRoute.GET(req(`/api/scans/nope/findings`), ctx({ id: "nope" }));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");

    const list = await (await scansRoute.GET(req("/api/scans?status=succeeded"))).json();
    expect(list.items.map((s: { id: string }) => s.id)).toContain(id);
    expect((await scansRoute.GET(req("/api/scans?status=done"))).status).toBe(400);
    expect((await scansRoute.POST(post("/api/scans", { source: "azure" }))).status).toBe(400);
    expect((await scansRoute.POST(post("/api/scans", "{not json"))).status).toBe(400);

    const resourceId: string = body.items[0].resourceId;
    const detail = await resourceRoute.GET(req(`/api/resources${resourceId}?scan=${id}`), ctx({ resourceId: resourceId.split("/").slice(1) }));
    expect(detail.status).toBe(200);
    const d = await detail.json();
    expect(d.resource.id).toBe(resourceId);
    expect(d.findings).toHaveLength(18);
    expect(d.documents.account.id).toBe(resourceId);
    expect(Array.isArray(d.documents.diagnosticSettings)).toBe(true);

    const diff = await (await diffRoute.GET(req(`/api/scans/${id}/diff?against=${id}`), ctx({ id }))).json();
    expect(diff.counts).toMatchObject({ newFailures: 0, resolved: 0, changed: 0, unchanged: 216 });
    expect((await diffRoute.GET(req(`/api/scans/${id}/diff`), ctx({ id }))).status).toBe(400);
    const trend = await (await trendRoute.GET(req("/api/trend?limit=5"))).json();
    expect(trend.tenant.at(-1)).toMatchObject({ scanId: id, score: scan.summary.score });
  });

  it("creates, lists and removes exceptions, which mute findings at once, and audits it all", async () => {
    const latest = await (await latestRoute.GET(req("/api/scans/latest"))).json();
    const fail = (await (await findingsRoute.GET(req(`/api/scans/${latest.id}/findings?status=fail&pageSize=1`), ctx({ id: latest.id }))).json()).items[0];
    const created = await exceptionsRoute.POST(
      post("/api/exceptions", {
        controlId: fail.controlId,
        resourceId: fail.resourceId,
        owner: "alice",
        reason: "accepted",
        expiresAt: "2099-01-01T00:00:00Z",
      }),
    );
    expect(created.status).toBe(201);
    const rule = await created.json();
    const muted = await (await findingsRoute.GET(req(`/api/scans/${latest.id}/findings?muted=true`), ctx({ id: latest.id }))).json();
    expect(muted.items.map((i: { id: number; status: string }) => [i.id, i.status])).toEqual([[fail.id, "fail"]]);
    expect((await (await scanRoute.GET(req(`/api/scans/${latest.id}`), ctx({ id: latest.id }))).json()).summary.counts.muted).toBe(1);

    const invalid = await exceptionsRoute.POST(post("/api/exceptions", { controlId: "IAM-1", owner: "a", reason: "b", expiresAt: "soon" }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.field).toBe("expiresAt");
    const listed = await (await exceptionsRoute.GET(req("/api/exceptions"))).json();
    expect(listed.active.map((e: { id: string }) => e.id)).toEqual([rule.id]);
    expect((await exceptionRoute.DELETE(req(`/api/exceptions/${rule.id}`, { method: "DELETE" }), ctx({ id: rule.id }))).status).toBe(200);
    expect((await exceptionRoute.DELETE(req(`/api/exceptions/${rule.id}`, { method: "DELETE" }), ctx({ id: rule.id }))).status).toBe(404);

    const audit = await (await auditRoute.GET(req("/api/audit?limit=10"))).json();
    const actions = audit.items.map((a: { action: string }) => a.action);
    expect(actions.slice(0, 2)).toEqual(["exception.removed", "exception.created"]);
    expect(actions).toContain("scan.started");
    expect(audit.items.every((a: { actor: string }) => a.actor === "local")).toBe(true);
    expect((await auditRoute.GET(req("/api/audit?limit=abc"))).status).toBe(400);
  });

  it("edits and renews an exception with PATCH, creates several at once, and creates them from a filtered findings view", async () => {
    const latest = await (await latestRoute.GET(req("/api/scans/latest"))).json();
    const patch = (id: string, body: unknown) =>
      exceptionRoute.PATCH(
        req(`/api/exceptions/${id}`, { method: "PATCH", body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
        ctx({ id }),
      );
    const created = await (
      await exceptionsRoute.POST(post("/api/exceptions", { controlId: "LOG-2", owner: "alice", reason: "r1", expiresAt: "2099-01-01" }))
    ).json();
    const edited = await patch(created.id, { owner: "bob", expiresAt: "2099-02-01" });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ id: created.id, owner: "bob", expiresAt: "2099-02-01", updatedBy: "local" });
    const scopeChange = await patch(created.id, { controlId: "LOG-1" });
    expect(scopeChange.status).toBe(400);
    expect((await scopeChange.json()).error.field).toBe("controlId");
    expect((await patch("nope", { owner: "x" })).status).toBe(404);
    await exceptionRoute.DELETE(req(`/api/exceptions/${created.id}`, { method: "DELETE" }), ctx({ id: created.id }));
    expect((await patch(created.id, { expiresAt: "2099-03-01" })).status).toBe(409);

    const several = await exceptionsRoute.POST(
      post("/api/exceptions", {
        exceptions: [
          { tag: { name: "team", value: "a" }, owner: "o", reason: "r", expiresAt: "2099-01-01" },
          { tag: { name: "team", value: "b" }, owner: "o", reason: "r", expiresAt: "2099-01-01" },
        ],
      }),
    );
    expect(several.status).toBe(201);
    const items = (await several.json()).items as { id: string }[];
    expect(items).toHaveLength(2);
    for (const e of items) await exceptionRoute.DELETE(req(`/api/exceptions/${e.id}`, { method: "DELETE" }), ctx({ id: e.id }));

    const view = "controlId=IAM-1&status=fail";
    const failing = (await (await findingsRoute.GET(req(`/api/scans/${latest.id}/findings?${view}`), ctx({ id: latest.id }))).json()).total;
    const bulk = await findingsExceptionsRoute.POST(
      post(`/api/scans/${latest.id}/findings/exceptions?${view}`, { owner: "ops", reason: "keys until Q2", expiresAt: "2099-01-01" }),
      ctx({ id: latest.id }),
    );
    expect(bulk.status).toBe(201);
    const bulkItems = (await bulk.json()).items as { id: string; controlId: string }[];
    expect(bulkItems).toHaveLength(failing);
    expect(bulkItems.every((e) => e.controlId === "IAM-1")).toBe(true);
    const unmuted = (await (await findingsRoute.GET(req(`/api/scans/${latest.id}/findings?${view}&muted=false`), ctx({ id: latest.id }))).json()).total;
    expect(unmuted).toBe(0);
    const again = await findingsExceptionsRoute.POST(
      post(`/api/scans/${latest.id}/findings/exceptions?${view}`, { owner: "ops", reason: "r", expiresAt: "2099-01-01" }),
      ctx({ id: latest.id }),
    );
    expect(again.status).toBe(400);
    expect((await again.json()).error.field).toBe("filters");
    for (const e of bulkItems) await exceptionRoute.DELETE(req(`/api/exceptions/${e.id}`, { method: "DELETE" }), ctx({ id: e.id }));
  });

  it("cancels a running scan with DELETE, leaving no rows", async () => {
    emulator.setFaults({ latencyMs: 400 });
    const { id } = await (
      await scansRoute.POST(post("/api/scans", { source: "emulator", subscriptions: [emulator.tenant.subscriptions[0].subscriptionId] }))
    ).json();
    const res = await eventsRoute.GET(req(`/api/scans/${id}/events`), ctx({ id }));
    const reader = res.body!.getReader();
    await reader.read(); // the first progress event: it is running
    const cancelled = await scanRoute.DELETE(req(`/api/scans/${id}`, { method: "DELETE" }), ctx({ id }));
    expect(cancelled.status).toBe(202);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    emulator.setFaults({});
    expect(rest).toContain("event: done");
    expect(rest).toContain('"status":"cancelled"');
    const scan = await (await scanRoute.GET(req(`/api/scans/${id}`), ctx({ id }))).json();
    expect(scan.status).toBe("cancelled");
    expect(scan.endedAt).toBe(scan.finishedAt);
    expect(await jobs.store.db.selectFrom("findings").select("id").where("scan_id", "=", id).execute()).toEqual([]);
    expect((await scanRoute.DELETE(req(`/api/scans/${id}`, { method: "DELETE" }), ctx({ id }))).status).toBe(409);
    const audit = await (await auditRoute.GET(req("/api/audit?action=scan.cancelled"))).json();
    expect(audit.items[0].target).toBe(id);
  });

  it("imports snapshots: 413 while streaming and 400 naming the path store nothing; a valid one becomes a scan", async () => {
    const count = async () => (await jobs.store.db.selectFrom("scans").select("id").execute()).length;
    const before = await count();
    process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES = "4096";
    try {
      // No Content-Length: the limit must be enforced on the stream itself.
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 1_000_000) return controller.close();
          sent += 1024;
          controller.enqueue(new Uint8Array(1024).fill(32));
        },
      });
      const tooBig = await snapshotsRoute.POST(new Request(BASE + "/api/snapshots", { method: "POST", body, duplex: "half" } as RequestInit));
      expect(tooBig.status).toBe(413);
      expect((await tooBig.json()).error.code).toBe("payload_too_large");
      expect(sent).toBeLessThan(1_000_000);
    } finally {
      delete process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES;
    }
    const invalid = await snapshotsRoute.POST(
      post("/api/snapshots", {
        kind: "speech-posture.snapshot",
        version: 1,
        collectedAt: "2026-01-01T00:00:00Z",
        subscriptions: [],
        coverage: ["resources", 7],
        resources: [{ id: 42 }],
        diagnosticSettings: {},
        speechEndpoints: {},
        errors: [],
      }),
    );
    expect(invalid.status).toBe(400);
    const err = (await invalid.json()).error;
    expect(err.code).toBe("invalid_input");
    expect(err.path).toBe("coverage[1]");
    // Every problem, each with its path once (through the upload worker too).
    expect(err.problems).toEqual([
      { path: "coverage[1]", problem: "expected a string, got a number" },
      { path: "resources[0].id", problem: "expected the ARM id as a non-empty string, got a number" },
    ]);
    expect(err.more).toBe(0);
    expect((await snapshotsRoute.POST(post("/api/snapshots", "{"))).status).toBe(400);
    expect(await count()).toBe(before);
    const audit = await (await auditRoute.GET(req("/api/audit?action=snapshot.imported"))).json();
    expect(audit.items).toEqual([]);

    // A bare array of documents (one of the four accepted shapes).
    const docs = snapshotOf(smallTenant(3, 1, 5)).resources;
    const ok = await snapshotsRoute.POST(post("/api/snapshots", docs));
    expect(ok.status).toBe(202);
    const { id } = await ok.json();
    const done = (await readSse(await eventsRoute.GET(req(`/api/scans/${id}/events`), ctx({ id })))).at(-1)!;
    expect(done).toMatchObject({ event: "done", data: { status: "succeeded", source: "snapshot" } });
    expect(done.data.summary.resources).toBe(3);
    const log1 = await (await findingsRoute.GET(req(`/api/scans/${id}/findings?controlId=LOG-1`), ctx({ id }))).json();
    expect(log1.items.every((i: { status: string; reason: string }) => i.status === "unknown" && i.reason === "not_collected")).toBe(true);
  });

  it("keeps an uploaded snapshot apart as an import unless asked to replace the latest posture, recording the file's SHA-256", async () => {
    const latestId = async () => (await (await latestRoute.GET(req("/api/scans/latest"))).json()).id as string;
    const before = await latestId();
    const text = JSON.stringify(snapshotOf(smallTenant(3, 1, 61)));
    const upload = async (query: string) => {
      const res = await snapshotsRoute.POST(post(`/api/snapshots${query}`, text));
      expect(res.status).toBe(202);
      const body = await res.json();
      const done = (await readSse(await eventsRoute.GET(req(`/api/scans/${body.id}/events`), ctx({ id: body.id })))).at(-1)!;
      expect(done.data.status).toBe("succeeded");
      return body as { id: string; origin: string; replacesLatest: boolean; compareWith: string | null; sha256: string };
    };
    // Default: kept apart to compare, not the latest posture, not on the trend.
    const kept = await upload("");
    expect(kept).toMatchObject({ origin: "import", replacesLatest: false, compareWith: before });
    const scan = await (await scanRoute.GET(req(`/api/scans/${kept.id}`), ctx({ id: kept.id }))).json();
    expect(scan).toMatchObject({ origin: "import", inPosture: false });
    expect(await latestId()).toBe(before);
    const trend = await (await trendRoute.GET(req("/api/trend?limit=500"))).json();
    expect(trend.tenant.map((p: { scanId: string }) => p.scanId)).not.toContain(kept.id);
    const sha = createHash("sha256").update(text).digest("hex");
    const audit = await (await auditRoute.GET(req("/api/audit?action=snapshot.imported"))).json();
    expect(audit.items.find((e: { target: string }) => e.target === kept.id).details).toMatchObject({ sha256: sha, replacesLatest: false });
    // Asked to: it becomes the latest posture, still marked as an import.
    const replacing = await upload("?replacesLatest=true");
    expect(replacing).toMatchObject({ origin: "import", replacesLatest: true, sha256: sha });
    expect(await latestId()).toBe(replacing.id);
    expect((await (await latestRoute.GET(req("/api/scans/latest"))).json()).origin).toBe("import");
    expect((await snapshotsRoute.POST(post("/api/snapshots?replacesLatest=maybe", text))).status).toBe(400);
    // A collection is marked collected.
    const collected = await (await scanRoute.GET(req(`/api/scans/${before}`), ctx({ id: before }))).json();
    expect(collected.origin).toBe(collected.source === "snapshot" ? "import" : "collected");
  });

  it("takes a gzip upload (Content-Encoding: gzip) as the file itself, its limit applying to the decompressed size", async () => {
    const text = JSON.stringify(snapshotOf(smallTenant(3, 1, 62)));
    const gz = (body: Uint8Array<ArrayBuffer>, encoding = "gzip") =>
      new Request(BASE + "/api/snapshots", { method: "POST", headers: { "content-type": "application/json", "content-encoding": encoding }, body });
    const res = await snapshotsRoute.POST(gz(gzipSync(text)));
    expect(res.status).toBe(202);
    const body = await res.json();
    // The SHA-256 and size recorded are the snapshot file's, not the compressed body's.
    expect(body.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    const done = (await readSse(await eventsRoute.GET(req(`/api/scans/${body.id}/events`), ctx({ id: body.id })))).at(-1)!;
    expect(done.data).toMatchObject({ status: "succeeded", source: "snapshot" });
    expect(done.data.summary.resources).toBe(3);

    const count = async () => (await jobs.store.db.selectFrom("scans").select("id").execute()).length;
    const before = await count();
    const refused = await snapshotsRoute.POST(gz(new TextEncoder().encode(text), "br"));
    expect(refused.status).toBe(415);
    expect((await refused.json()).error.code).toBe("unsupported_encoding");
    const broken = await snapshotsRoute.POST(gz(new TextEncoder().encode(text)));
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.message).toMatch(/not valid gzip/);
    process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES = String(text.length - 1);
    try {
      // Small compressed, over the limit once decompressed.
      const bomb = await snapshotsRoute.POST(gz(gzipSync(text)));
      expect(bomb.status).toBe(413);
      expect((await bomb.json()).error.code).toBe("payload_too_large");
    } finally {
      delete process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES;
    }
    expect(await count()).toBe(before);
  });

  it("exports a diff as CSV and JSON: gone resources apart from resolved, the changed property before → after", async () => {
    const snap = snapshotOf(smallTenant(4, 1, 67));
    const accounts = snap.resources.filter(isSpeechAccount);
    const [flip, gone] = accounts;
    (flip.properties as Record<string, unknown>).disableLocalAuth = false;
    (gone.properties as Record<string, unknown>).disableLocalAuth = false; // fails IAM-1 at least
    const older = await importAndWait(jobs, snap);
    const next = structuredClone(snap);
    next.resources = next.resources.filter((d) => d.id !== gone.id);
    (next.resources.find((d) => d.id === flip.id)!.properties as Record<string, unknown>).disableLocalAuth = true;
    const newer = await importAndWait(jobs, next);
    const get = (format: string) => diffExportRoute.GET(req(`/api/scans/${newer.id}/diff/export?against=${older.id}&format=${format}`), ctx({ id: newer.id }));
    const csvRes = await get("csv");
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get("content-disposition")).toContain(`speech-posture-diff-${older.id}-to-${newer.id}.csv`);
    const rows = parseCsv((await csvRes.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual([...DIFF_CSV_COLUMNS]);
    const byChange = (c: string) => rows.slice(1).filter((r) => r[0] === c);
    expect(byChange("resolved").map((r) => [r[2], r[4], r[6], r[7], r[9]])).toEqual([
      [flip.id, "IAM-1", "fail", "pass", expect.stringMatching(/properties\.disableLocalAuth: false → true$/)],
    ]);
    expect(byChange("gone").length).toBeGreaterThan(0);
    expect(byChange("gone").every((r) => r[2] === gone.id && r[6] === "fail" && r[7] === "absent")).toBe(true);
    const jsonRes = await get("json");
    const body = await jsonRes.json();
    expect(body).toMatchObject({
      kind: "speech-posture.diff",
      from: { id: older.id, origin: "import" },
      to: { id: newer.id },
      counts: { resolved: 1, goneResources: 1 },
    });
    expect(body.gone[0]).toMatchObject({ resourceId: gone.id, failures: byChange("gone").length });
    expect((await get("pdf")).status).toBe(400);
  });

  it("streams exports in pieces: CSV line for line, JSON with the hash the PDFs print, audited", async () => {
    const scan = await importAndWait(jobs, snapshotOf(smallTenant(150, 4, 23)));
    expect(scan.status).toBe("succeeded");
    const read = async (format: string) => {
      const res = await exportRoute.GET(req(`/api/scans/${scan.id}/export?format=${format}`), ctx({ id: scan.id }));
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let pieces = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        pieces++;
        text += decoder.decode(r.value, { stream: true });
      }
      return { text: text + decoder.decode(), pieces, type: res.headers.get("content-type") };
    };
    const csv = await read("csv");
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.pieces).toBeGreaterThan(1);
    expect(csv.text.trimEnd().split("\r\n")).toHaveLength(150 * 18 + 1);
    const json = await read("json");
    expect(json.pieces).toBeGreaterThan(1);
    // The same text (and hash, as the PDFs print it) as the stored result gives.
    expect(createHash("sha256").update(json.text, "utf8").digest("hex")).toBe(resultSha256(await readScanResult(jobs.store, scan.id)));
    expect(JSON.parse(json.text).findings).toHaveLength(150 * 18);
    const audit = await (await auditRoute.GET(req("/api/audit?action=report.exported"))).json();
    expect(audit.items.filter((e: { target: string }) => e.target === scan.id)).toHaveLength(2);
  });
});
