/**
 * Alerts end to end on both databases: real scans stored by the real jobs, rules evaluated after
 * each, messages delivered over HTTPS to local receivers of each kind (the webhook receiver checks
 * the signature and fails once first), each event sent once per destination, a receiver that
 * hangs timed out, the daily expiry check, a failed scan, and SSRF refusals at save time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount, type Snapshot } from "@/lib/posture/snapshot";
import { listDeliveries } from "@/lib/store/alerts/deliveries";
import { createDestination, type DestinationView } from "@/lib/store/alerts/destinations";
import { createAlertRule } from "@/lib/store/alerts/rules";
import { InvalidInputError } from "@/lib/store/errors";
import { createException } from "@/lib/store/exceptions";
import { getScan } from "@/lib/store/scans/scans";
import { updateSettings } from "@/lib/store/settings";
import type { Store } from "@/lib/store/store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { clone, importAndWait, jobsFor, smallTenant, snapshotOf } from "@/lib/store/testing/fixtures";
import { startReceiver, type Receiver } from "@/lib/webhooks/testing/receiver";
import { alertsAfterScan, alertsForExpiries, sendTestAlert, verifyDestinationUrl } from "./alerts";
import type { ScanJobs } from "./jobs";

afterAll(() => releaseDatabases());

const SECRET = "receiver-shared-secret-1234";
const alertOptions = { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 400 };
const props = (d: { properties?: Record<string, unknown> | null }) => d.properties as Record<string, unknown>;
const speechAccounts = (s: Snapshot) => s.resources.filter(isSpeechAccount);

describe.each(DATABASES)("alerts on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  let jobs: ScanJobs;
  let clock = new Date("2026-12-01T10:00:00Z");
  const tick = () => (clock = new Date(clock.getTime() + 60_000));
  const receivers: Receiver[] = [];
  let hook: Receiver, teams: Receiver, slack: Receiver;
  const dest: Record<string, DestinationView> = {};
  const verify = (url: string) => verifyDestinationUrl(store, url);
  const base = snapshotOf(smallTenant(), "2026-12-01T09:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => clock });
    jobs = jobsFor(store, undefined, { alerts: alertOptions });
    hook = await startReceiver({ secret: SECRET, script: ["fail", "ok"] });
    teams = await startReceiver();
    slack = await startReceiver();
    receivers.push(hook, teams, slack);
  });
  afterAll(async () => {
    await jobs?.close();
    for (const r of receivers) await r.close();
    await tdb?.dispose();
  });
  afterEach(() => jobs.alertsSettled());

  it("refuses loopback receivers until an Admin allows the range, and http:// always", async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "accepted",
        (e: unknown) => (e instanceof InvalidInputError ? e.message : String(e)),
      );
    expect(
      await refusal(createDestination(store, { name: "hook", kind: "webhook", url: hook.url, hmacSecret: SECRET, caCertificate: hook.ca }, "ana", verify)),
    ).toMatch(/^url: 127\.0\.0\.1 is a loopback address; an Admin must list its range/);
    expect(await refusal(verify("https://169.254.169.254/metadata"))).toBe("url: 169.254.169.254 is a cloud metadata address");
    expect(await refusal(verify("https://[::1]:9/"))).toMatch(/^url: ::1 is a loopback address/);
    expect(await refusal(verify("https://10.9.8.7/"))).toMatch(/^url: 10\.9\.8\.7 is a private address/);
    await updateSettings(store, { alertPrivateNetworks: ["127.0.0.1/32"], publicBaseUrl: "https://posture.example.com" }, "ana");
    expect(await refusal(verify(hook.url.replace("https:", "http:")))).toBe("url: only https:// URLs are allowed (got http://)");
    dest.hook = await createDestination(store, { name: "hook", kind: "webhook", url: hook.url, hmacSecret: SECRET, caCertificate: hook.ca }, "ana", verify);
    dest.teams = await createDestination(store, { name: "teams", kind: "teams", url: teams.url, caCertificate: teams.ca }, "ana", verify);
    dest.slack = await createDestination(store, { name: "slack", kind: "slack", url: slack.url, caCertificate: slack.ca }, "ana", verify);
    expect(dest.hook.maskedUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/…$/);
  });

  it("sends a new unmuted failure once to each destination kind, retrying the webhook after its 500, signed", async () => {
    await createAlertRule(
      store,
      { name: "Medium and up", kind: "new_failure", minSeverity: "medium", destinationIds: [dest.hook.id, dest.teams.id, dest.slack.id] },
      "ana",
    );
    tick();
    const s1 = await importAndWait(jobs, base);
    await jobs.alertsSettled();
    // The first scan sets the baseline.
    expect(receivers.map((r) => r.received.length)).toEqual([0, 0, 0]);

    const next = clone(base);
    const account = speechAccounts(next)[0];
    props(account).disableLocalAuth = false; // IAM-1 (medium) fails now
    tick();
    const s2 = await importAndWait(jobs, next);
    await jobs.alertsSettled();
    expect(s1.status).toBe("succeeded");

    // Webhook: a 500, then the same delivery again; each carries a valid signature.
    expect(hook.received).toHaveLength(2);
    expect(hook.received.every((r) => r.signatureValid)).toBe(true);
    const doc = JSON.parse(hook.received[1].body);
    expect(doc).toMatchObject({
      type: "speech-posture.alert",
      id: expect.stringMatching(`:new_failure:${s2.id}$`),
      scanId: s2.id,
      itemCount: 1,
      level: "medium",
    });
    expect(doc.url).toBe(`https://posture.example.com/findings?scan=${s2.id}&status=fail&severity=high%2Cmedium&muted=false`);
    expect(doc.items[0].text).toBe(`MEDIUM IAM-1 on ${account.name}`);
    expect(doc.items[0].url).toMatch(new RegExp(`^https://posture\\.example\\.com/resources/subscriptions/.*\\?scan=${s2.id}$`));

    // Teams: an Adaptive Card linking to the findings. Slack: text and blocks.
    expect(teams.received).toHaveLength(1);
    const card = JSON.parse(teams.received[0].body);
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.actions[0].url).toBe(doc.url);
    expect(teams.received[0].headers["x-speech-posture-signature"]).toBeUndefined();
    expect(slack.received).toHaveLength(1);
    expect(JSON.parse(slack.received[0].body).text).toBe(`1 new failure in scan ${s2.id} <${doc.url}|Open the findings>`);

    // The log holds every attempt.
    const log = await listDeliveries(store);
    const byDest = (id: string) => log.filter((d) => d.destinationId === id).map((d) => [d.attempt, d.outcome, d.httpStatus, d.willRetry]);
    expect(byDest(dest.hook.id)).toEqual([
      [2, "delivered", 200, false],
      [1, "failed", 500, true],
    ]);
    expect(byDest(dest.teams.id)).toEqual([[1, "delivered", 200, false]]);
    expect(byDest(dest.slack.id)).toEqual([[1, "delivered", 200, false]]);

    // Evaluating the same scan again sends nothing more.
    const again = await alertsAfterScan(store, s2.id, alertOptions);
    expect(again).toHaveLength(1);
    expect(receivers.map((r) => r.received.length)).toEqual([2, 1, 1]);
  });

  it("does not alert on a new failure an exception mutes", async () => {
    const next = clone(base);
    props(speechAccounts(next)[0]).disableLocalAuth = false;
    const other = speechAccounts(next)[1];
    props(other).disableLocalAuth = false;
    await createException(store, { resourceId: other.id, controlId: "IAM-1", owner: "ana", reason: "migration", expiresAt: "2026-12-04T00:00:00Z" }, "ana");
    tick();
    const s3 = await importAndWait(jobs, next);
    await jobs.alertsSettled();
    expect(s3.status).toBe("succeeded");
    expect(receivers.map((r) => r.received.length)).toEqual([2, 1, 1]);
  });

  it("announces an exception expiring within the window once, however often the daily check runs", async () => {
    await createAlertRule(store, { name: "Expiring soon", kind: "exception_expiring", withinDays: 7, destinationIds: [dest.slack.id] }, "ana");
    const events = await alertsForExpiries(store, alertOptions);
    expect(events.map((e) => e.title)).toEqual(["Exception " + events[0].key.split(":")[2] + " expires within 3 days"]);
    await alertsForExpiries(store, alertOptions);
    expect(slack.received).toHaveLength(2);
    expect(JSON.parse(slack.received[1].body).text).toMatch(/expires within 3 days <https:\/\/posture\.example\.com\/exceptions\|Open the exceptions>$/);
  });

  it("announces a failed scan, and times out on a receiver that hangs", async () => {
    const hang = await startReceiver({ script: ["hang"] });
    receivers.push(hang);
    const hung = await createDestination(store, { name: "hangs", kind: "slack", url: hang.url, caCertificate: hang.ca }, "ana", verify);
    await createAlertRule(store, { name: "Broken scans", kind: "scan_degraded", destinationIds: [dest.teams.id, hung.id] }, "ana");
    tick();
    const scan = await jobs.start({ source: "emulator" }); // this test has no emulator: the scan fails
    await jobs.settled(scan.id);
    await jobs.alertsSettled();
    expect((await getScan(store, scan.id))?.status).toBe("failed");
    expect(teams.received).toHaveLength(2);
    expect(JSON.parse(teams.received[1].body).attachments[0].content.body[0].text).toBe(`Scan ${scan.id} failed`);
    expect(hang.received).toHaveLength(2);
    const attempts = (await listDeliveries(store, { destinationId: hung.id })).map((d) => [d.attempt, d.outcome, d.error]);
    expect(attempts).toEqual([
      [2, "timeout", "no complete answer within 400 ms"],
      [1, "timeout", "no complete answer within 400 ms"],
    ]);
  });

  it("sends a test message that is logged and audited, again each time it is asked for", async () => {
    const first = await sendTestAlert(store, dest.teams.id, "ana", alertOptions);
    const second = await sendTestAlert(store, dest.teams.id, "ana", alertOptions);
    expect([first.outcome, second.outcome]).toEqual(["delivered", "delivered"]);
    expect(teams.received).toHaveLength(4);
    const [latest] = await listDeliveries(store, { destinationId: dest.teams.id });
    expect(latest).toMatchObject({ title: "Test alert from Speech Posture", ruleId: null, outcome: "delivered" });
  });
});
