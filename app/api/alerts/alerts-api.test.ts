/**
 * The alerts API through its route handlers with a real store and a real local receiver: SSRF
 * refusals answered 400 naming the URL, secrets never in an answer, a test message logged, and a
 * destination a rule uses kept (409).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as alertsRoute from "@/app/api/alerts/route";
import * as rulesRoute from "@/app/api/alerts/rules/route";
import * as ruleRoute from "@/app/api/alerts/rules/[id]/route";
import * as destinationsRoute from "@/app/api/alerts/destinations/route";
import * as destinationRoute from "@/app/api/alerts/destinations/[id]/route";
import * as testRoute from "@/app/api/alerts/destinations/[id]/test/route";
import * as deliveriesRoute from "@/app/api/alerts/deliveries/route";
import * as settingsRoute from "@/app/api/settings/route";
import type { ScanJobs } from "@/lib/scan/jobs";
import { setServerJobs } from "@/lib/scan/jobs-server";
import { createTestDb, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import { startReceiver, type Receiver } from "@/lib/webhooks/testing/receiver";

const BASE = "http://127.0.0.1:3000";
const send = (method: string, path: string, body?: unknown) =>
  new Request(BASE + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
const ctx = <T>(params: T) => ({ params: Promise.resolve(params) });
const SECRET = "api-test-signing-secret-42";

describe("alerts API", () => {
  let tdb: TestDatabase;
  let jobs: ScanJobs;
  let receiver: Receiver;

  beforeAll(async () => {
    tdb = await createTestDb("sqlite");
    jobs = jobsFor(await tdb.open());
    setServerJobs(jobs);
    receiver = await startReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    setServerJobs(undefined);
    await receiver?.close();
    await jobs?.close();
    await tdb?.dispose();
  });

  it("refuses destinations SSRF would reach, then accepts an allowed one and never answers with its secrets", async () => {
    const body = { name: "hook", kind: "webhook", url: receiver.url, hmacSecret: SECRET, caCertificate: receiver.ca };
    const refused = await destinationsRoute.POST(send("POST", "/api/alerts/destinations", body));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/^url: 127\.0\.0\.1 is a loopback address/);
    const metadata = await destinationsRoute.POST(send("POST", "/api/alerts/destinations", { ...body, url: "https://169.254.169.254/latest" }));
    expect((await metadata.json()).error.message).toBe("url: 169.254.169.254 is a cloud metadata address");

    expect((await settingsRoute.PUT(send("PUT", "/api/settings", { alertPrivateNetworks: ["127.0.0.1/32"] }))).status).toBe(200);
    const created = await destinationsRoute.POST(send("POST", "/api/alerts/destinations", body));
    expect(created.status).toBe(201);
    const dest = await created.json();
    const listed = await (await alertsRoute.GET(send("GET", "/api/alerts"))).text();
    for (const text of [JSON.stringify(dest), listed]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("t0ken");
    }
    expect(JSON.parse(listed).settings.alertPrivateNetworks).toEqual(["127.0.0.1/32"]);

    const test = await testRoute.POST(send("POST", `/api/alerts/destinations/${dest.id}/test`), ctx({ id: dest.id }));
    expect(await test.json()).toEqual({ outcome: "delivered", attempts: 1, httpStatus: 200, error: null });
    expect(receiver.received[0].signatureValid).toBe(true);
    const log = await (await deliveriesRoute.GET(send("GET", `/api/alerts/deliveries?limit=5&destinationId=${dest.id}`))).json();
    expect(log.items.map((d: { outcome: string; attempt: number }) => [d.outcome, d.attempt])).toEqual([["delivered", 1]]);
    expect((await deliveriesRoute.GET(send("GET", "/api/alerts/deliveries?limit=0"))).status).toBe(400);

    const rule = await (
      await rulesRoute.POST(send("POST", "/api/alerts/rules", { name: "drops", kind: "score_drop", points: 5, scope: "tenant", destinationIds: [dest.id] }))
    ).json();
    const kept = await destinationRoute.DELETE(send("DELETE", `/api/alerts/destinations/${dest.id}`), ctx({ id: dest.id }));
    expect(kept.status).toBe(409);
    expect((await kept.json()).error.message).toBe("Destination hook is used by the rule drops; remove it first.");
    expect((await ruleRoute.DELETE(send("DELETE", `/api/alerts/rules/${rule.id}`), ctx({ id: rule.id }))).status).toBe(200);
    expect((await destinationRoute.DELETE(send("DELETE", `/api/alerts/destinations/${dest.id}`), ctx({ id: dest.id }))).status).toBe(200);
    expect((await (await alertsRoute.GET(send("GET", "/api/alerts"))).json()).destinations).toEqual([]);
  });
});
