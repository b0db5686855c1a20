/** Alert destinations, rules, send claims and the delivery log on both real databases. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/store/audit";
import { InvalidInputError, StateConflictError } from "@/lib/store/errors";
import { getSettings, updateSettings } from "@/lib/store/settings";
import type { Store } from "@/lib/store/store";
import { createTestDb, DATABASES, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { claimSend, finishSend, listDeliveries, pruneDeliveries, recordAttempt, type DeliveryAttempt } from "./deliveries";
import { createDestination, destinationSecrets, listDestinations, removeDestination } from "./destinations";
import { createAlertRule, listAlertRules, removeAlertRule } from "./rules";

afterAll(() => releaseDatabases());

const SLACK = "https://hooks.slack.com/services/T000/B000/XXXXSECRETTOKEN";
const accept = async () => undefined;

describe.each(DATABASES)("alerts store on %s", (kind) => {
  let tdb: TestDatabase;
  let store: Store;
  const clock = new Date("2026-12-01T10:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    store = await tdb.open({ now: () => clock });
  });
  afterAll(async () => {
    await tdb?.dispose();
  });

  it("keeps a destination's URL and secret but shows them only masked, and audits without them", async () => {
    const hook = await createDestination(
      store,
      { name: "SIEM", kind: "webhook", url: "https://siem.example.com/in?key=abc123", hmacSecret: "0123456789abcdef-secret" },
      "ana",
      accept,
    );
    const slack = await createDestination(store, { name: "Slack #sec", kind: "slack", url: SLACK }, "ana", accept);
    expect(hook).toMatchObject({ name: "SIEM", kind: "webhook", maskedUrl: "https://siem.example.com/…", hasSecret: true, hasCaCertificate: false });
    expect(slack.maskedUrl).toBe("https://hooks.slack.com/…");
    const shown = JSON.stringify(await listDestinations(store));
    expect(shown).not.toContain("abc123");
    expect(shown).not.toContain("XXXXSECRETTOKEN");
    expect(shown).not.toContain("0123456789abcdef-secret");
    const audit = JSON.stringify(await listAudit(store, { action: "alert.destination.created" }));
    expect(audit).not.toContain("XXXXSECRETTOKEN");
    expect(audit).toContain("https://hooks.slack.com/…");
    // The dispatcher reads the secrets back.
    const [secrets] = await destinationSecrets(store, [hook.id]);
    expect(secrets).toMatchObject({ url: "https://siem.example.com/in?key=abc123", hmacSecret: "0123456789abcdef-secret" });
  });

  it("refuses bad destinations naming the field, and writes nothing", async () => {
    const before = (await listDestinations(store)).length;
    const field = (p: Promise<unknown>) =>
      p.then(
        () => "accepted",
        (e: unknown) => (e instanceof InvalidInputError ? e.field : String(e)),
      );
    expect(await field(createDestination(store, { name: "w", kind: "webhook", url: "https://a.example.com/", hmacSecret: "short" }, "ana", accept))).toBe(
      "hmacSecret",
    );
    expect(
      await field(createDestination(store, { name: "t", kind: "teams", url: "https://a.example.com/", hmacSecret: "0123456789abcdef" }, "ana", accept)),
    ).toBe("hmacSecret");
    expect(await field(createDestination(store, { name: "t", kind: "pager", url: "https://a.example.com/" }, "ana", accept))).toBe("kind");
    expect(await field(createDestination(store, { name: "t", kind: "slack", url: SLACK, caCertificate: "not a cert" }, "ana", accept))).toBe("caCertificate");
    const refuse = async () => {
      throw new InvalidInputError("url", "10.0.0.1 is a private address");
    };
    expect(await field(createDestination(store, { name: "t", kind: "slack", url: "https://10.0.0.1/" }, "ana", refuse))).toBe("url");
    expect((await listDestinations(store)).length).toBe(before);
  });

  it("stores rules naming known destinations, and keeps a destination a rule uses", async () => {
    const hook = (await listDestinations(store)).find((d) => d.name === "SIEM")!;
    await expect(createAlertRule(store, { name: "x", kind: "scan_degraded", destinationIds: ["nope"] }, "ana")).rejects.toMatchObject({
      field: "destinationIds",
    });
    const rule = await createAlertRule(store, { name: "High failures", kind: "new_failure", minSeverity: "high", destinationIds: [hook.id] }, "ana");
    expect(await listAlertRules(store)).toEqual([
      {
        id: rule.id,
        name: "High failures",
        condition: { kind: "new_failure", minSeverity: "high" },
        destinationIds: [hook.id],
        enabled: true,
        createdBy: "ana",
        createdAt: clock.toISOString(),
      },
    ]);
    await expect(removeDestination(store, hook.id, "ana")).rejects.toBeInstanceOf(StateConflictError);
    await removeAlertRule(store, rule.id, "ana");
    await removeDestination(store, hook.id, "ana");
    expect((await listDestinations(store)).map((d) => d.name)).toEqual(["Slack #sec"]);
    expect(await listAudit(store, { action: "alert.rule.removed" })).toHaveLength(1);
  });

  it("lets one caller claim each event for each destination, and logs every attempt newest first", async () => {
    expect(await claimSend(store, "r1:new_failure:s2", "d1", "r1")).toBe(true);
    expect(await claimSend(store, "r1:new_failure:s2", "d1", "r1")).toBe(false);
    expect(await claimSend(store, "r1:new_failure:s2", "d2", "r1")).toBe(true);
    await finishSend(store, "r1:new_failure:s2", "d1", "delivered");
    const attempt = (n: number, outcome: DeliveryAttempt["outcome"]): DeliveryAttempt => ({
      eventKey: "r1:new_failure:s2",
      title: "2 new failures",
      ruleId: "r1",
      ruleName: "rule",
      destinationId: "d1",
      destinationName: "SIEM",
      destinationKind: "webhook",
      deliveryId: "u1",
      attempt: n,
      outcome,
      willRetry: outcome !== "delivered",
      httpStatus: outcome === "delivered" ? 200 : 500,
      error: outcome === "delivered" ? null : "HTTP 500",
      responseExcerpt: null,
      durationMs: 12.4,
      at: clock.toISOString(),
    });
    await recordAttempt(store, attempt(1, "failed"));
    await recordAttempt(store, attempt(2, "delivered"));
    const log = await listDeliveries(store);
    expect(log.map((d) => [d.attempt, d.outcome, d.httpStatus, d.willRetry, d.durationMs])).toEqual([
      [2, "delivered", 200, false, 12],
      [1, "failed", 500, true, 12],
    ]);
    await pruneDeliveries(store, 1);
    expect((await listDeliveries(store)).map((d) => d.attempt)).toEqual([2]);
  });

  it("validates the alert settings and audits their change", async () => {
    const field = (p: Promise<unknown>) =>
      p.then(
        () => "accepted",
        (e: unknown) => (e instanceof InvalidInputError ? e.message : String(e)),
      );
    expect(await field(updateSettings(store, { alertPrivateNetworks: ["169.254.0.0/16"] }, "ana"))).toMatch(
      /^alertPrivateNetworks: .*metadata address 169\.254\.169\.254/,
    );
    expect(await field(updateSettings(store, { alertPrivateNetworks: ["intranet"] }, "ana"))).toMatch(/^alertPrivateNetworks: "intranet" is not an IP address/);
    expect(await field(updateSettings(store, { publicBaseUrl: "ftp://x" }, "ana"))).toMatch(/^publicBaseUrl:/);
    await updateSettings(store, { alertPrivateNetworks: [" 127.0.0.1/32 ", "10.0.0.0/8"], publicBaseUrl: "https://posture.example.com/" }, "ana");
    expect(await getSettings(store)).toMatchObject({ alertPrivateNetworks: ["127.0.0.1/32", "10.0.0.0/8"], publicBaseUrl: "https://posture.example.com" });
    const [event] = await listAudit(store, { action: "settings.changed" });
    expect(event.details).toEqual({ alertPrivateNetworks: "none → 127.0.0.1/32, 10.0.0.0/8", publicBaseUrl: "none → https://posture.example.com" });
  });
});
