/**
 * Alerts end to end: after a scan ends (and once a day for expiring exceptions) the rules are
 * evaluated on the stored facts, each event is claimed once per destination, rendered for the
 * destination's kind with links under the public base URL, delivered with retries, and every
 * attempt is logged. The SSRF policy comes from the settings at send time.
 */
import { randomUUID } from "node:crypto";
import { addressGate } from "@/lib/alerts/address-policy";
import { evaluateExpiries, evaluateScan } from "@/lib/alerts/evaluate";
import type { AlertEvent } from "@/lib/alerts/events";
import { payloadFor } from "@/lib/alerts/messages";
import { expiryInstant } from "@/lib/posture/exceptions";
import { recordAudit } from "@/lib/store/audit";
import { claimSend, finishSend, pruneDeliveries, recordAttempt, type DeliveryOutcome } from "@/lib/store/alerts/deliveries";
import { destinationSecrets, type DestinationSecrets } from "@/lib/store/alerts/destinations";
import { listAlertRules } from "@/lib/store/alerts/rules";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { activeExceptions, type StoredException } from "@/lib/store/exceptions";
import { getSettings } from "@/lib/store/settings";
import { nowIso, type Store } from "@/lib/store/store";
import { deliver, type AttemptReport, type RetryPolicy } from "@/lib/webhooks/deliver";
import { checkDestination, DestinationRefusedError, type AddressGate } from "@/lib/webhooks/destination-url";
import { scanChangeFor } from "./alerts-facts";

export interface AlertOptions {
  retry?: RetryPolicy;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** The SSRF policy in force: private ranges only as the settings allow. */
async function gateOf(store: Store): Promise<AddressGate> {
  return addressGate({ allowedPrivateNetworks: (await getSettings(store)).alertPrivateNetworks });
}

/** The save-time check of a destination URL: its form and every address its host resolves to. */
export async function verifyDestinationUrl(store: Store, url: string): Promise<void> {
  try {
    await checkDestination(url, await gateOf(store));
  } catch (error) {
    throw error instanceof DestinationRefusedError ? new InvalidInputError("url", error.message) : error;
  }
}

async function send(
  store: Store,
  event: Pick<AlertEvent, "key" | "title" | "ruleId" | "ruleName">,
  dest: DestinationSecrets,
  body: string,
  options: AlertOptions,
): Promise<AttemptReport> {
  return deliver(
    { url: dest.url, body, hmacSecret: dest.kind === "webhook" ? dest.hmacSecret : null, eventKey: event.key },
    {
      gate: await gateOf(store),
      ca: dest.caPem ?? undefined,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      now: () => store.now(),
      onAttempt: (a) =>
        recordAttempt(store, {
          eventKey: event.key,
          title: event.title,
          ruleId: event.ruleId || null,
          ruleName: event.ruleName || null,
          destinationId: dest.id,
          destinationName: dest.name,
          destinationKind: dest.kind,
          deliveryId: a.deliveryId,
          attempt: a.attempt,
          outcome: a.outcome,
          willRetry: a.willRetry,
          httpStatus: a.httpStatus,
          error: a.error,
          responseExcerpt: a.responseExcerpt,
          durationMs: a.durationMs,
          at: a.startedAt.toISOString(),
        }),
    },
  );
}

/** Sends each event to its rule's destinations, once per event and destination, the destinations side by side. */
export async function dispatchEvents(store: Store, events: readonly AlertEvent[], options: AlertOptions = {}): Promise<void> {
  if (events.length === 0) return;
  const rules = new Map((await listAlertRules(store)).map((r) => [r.id, r]));
  const base = (await getSettings(store)).publicBaseUrl;
  for (const event of events) {
    const rule = rules.get(event.ruleId);
    if (!rule) continue;
    const destinations = await destinationSecrets(store, rule.destinationIds);
    await Promise.all(
      destinations.map(async (dest) => {
        if (!(await claimSend(store, event.key, dest.id, event.ruleId))) return;
        let outcome: DeliveryOutcome = "failed";
        try {
          const body = JSON.stringify(payloadFor(dest.kind, event, base, nowIso(store)));
          outcome = (await send(store, event, dest, body, options)).outcome;
        } finally {
          await finishSend(store, event.key, dest.id, outcome);
        }
      }),
    );
  }
  await pruneDeliveries(store);
}

/** Evaluates the rules on a scan that has ended and sends what they raise. */
export async function alertsAfterScan(store: Store, scanId: string, options: AlertOptions = {}): Promise<AlertEvent[]> {
  const rules = await listAlertRules(store);
  if (!rules.some((r) => r.enabled && r.condition.kind !== "exception_expiring")) return [];
  const change = await scanChangeFor(store, scanId);
  if (!change) return [];
  const events = evaluateScan(rules, change);
  await dispatchEvents(store, events, options);
  return events;
}

function exceptionScope(e: StoredException): string {
  const parts = [
    e.controlId ? `control ${e.controlId}` : "every control",
    e.resourceId ? `on ${e.resourceId}` : e.subscriptionId ? `in subscription ${e.subscriptionId}` : "",
    e.tag ? `tagged ${e.tag.name}=${e.tag.value}` : "",
  ];
  return parts.filter((p) => p !== "").join(" ");
}

/** The daily check: exceptions in force that expire within a rule's window. */
export async function alertsForExpiries(store: Store, options: AlertOptions = {}): Promise<AlertEvent[]> {
  const rules = await listAlertRules(store);
  if (!rules.some((r) => r.enabled && r.condition.kind === "exception_expiring")) return [];
  const exceptions = (await activeExceptions(store)).flatMap((e) => {
    const at = expiryInstant(e.expiresAt);
    return at === undefined ? [] : [{ id: e.id, owner: e.owner, reason: e.reason, expiresAt: e.expiresAt, scope: exceptionScope(e), expiresAtMs: at }];
  });
  const events = evaluateExpiries(rules, exceptions, store.now());
  await dispatchEvents(store, events, options);
  return events;
}

/** A test message to one destination (not claimed: it may be sent again), logged and audited. */
export async function sendTestAlert(store: Store, destinationId: string, actor: string, options: AlertOptions = {}): Promise<AttemptReport> {
  const [dest] = await destinationSecrets(store, [destinationId]);
  if (!dest) throw new NotFoundError("Alert destination", destinationId);
  const event: AlertEvent = {
    key: `test:${randomUUID()}`,
    ruleId: "",
    ruleName: "Test message",
    kind: "scan_degraded",
    level: "info",
    title: "Test alert from Speech Posture",
    summary: `${actor} sent this test message to check that alerts reach ${dest.name}.`,
    facts: [["Destination", dest.name]],
    items: [],
    itemCount: 0,
    link: { label: "Open the alert settings", path: "/settings/alerts" },
  };
  const body = JSON.stringify(payloadFor(dest.kind, event, (await getSettings(store)).publicBaseUrl, nowIso(store)));
  const last = await send(store, event, dest, body, options);
  await recordAudit(store, { actor, action: "alert.test.sent", target: dest.id, details: { name: dest.name, outcome: last.outcome, attempts: last.attempt } });
  return last;
}
