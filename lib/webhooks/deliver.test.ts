/**
 * Delivery against real local receivers over HTTPS: signature checked by the receiver, a retry
 * after a 500, a time-out on a receiver that hangs, the response size limit, and the SSRF refusals.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addressGate, addressRefusal, parseNetwork } from "@/lib/alerts/address-policy";
import { deliver, backoffMs, type AttemptReport } from "./deliver";
import { checkDestination, DestinationRefusedError } from "./destination-url";
import { startReceiver, type Receiver } from "./testing/receiver";

const LOOPBACK = { allowedPrivateNetworks: ["127.0.0.1/32", "::1/128"] };
const NOTHING = { allowedPrivateNetworks: [] };
const LOOPBACK_ALLOWED = addressGate(LOOPBACK);
const NOTHING_ALLOWED = addressGate(NOTHING);
const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

const open: Receiver[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  open.push(r);
  return r;
}

describe("delivering to a local HTTPS receiver", () => {
  it("delivers once, signed; the receiver verifies the HMAC over timestamp and raw body", async () => {
    const r = await receiver({ secret: "s3cret" });
    const attempts: AttemptReport[] = [];
    const last = await deliver(
      { url: r.url, body: JSON.stringify({ hello: "world" }), hmacSecret: "s3cret", eventKey: "k1" },
      { gate: LOOPBACK_ALLOWED, ca: r.ca, retry: fast, onAttempt: (a) => void attempts.push(a) },
    );
    expect(last).toMatchObject({ outcome: "delivered", httpStatus: 200, attempt: 1, willRetry: false, responseExcerpt: "ok" });
    expect(attempts).toHaveLength(1);
    expect(r.received).toHaveLength(1);
    expect(r.received[0].signatureValid).toBe(true);
    expect(r.received[0].body).toBe('{"hello":"world"}');
    expect(r.received[0].headers["x-speech-posture-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(r.received[0].headers["x-speech-posture-event"]).toBe("k1");
  });

  it("a receiver with another secret finds the signature invalid", async () => {
    const r = await receiver({ secret: "other" });
    await deliver({ url: r.url, body: "{}", hmacSecret: "s3cret", eventKey: "k" }, { gate: LOOPBACK_ALLOWED, ca: r.ca, retry: fast });
    expect(r.received[0].signatureValid).toBe(false);
  });

  it("retries after a 500 with the same delivery ID and succeeds", async () => {
    const r = await receiver({ script: ["fail", "ok"], secret: "s" });
    const attempts: AttemptReport[] = [];
    const last = await deliver(
      { url: r.url, body: "{}", hmacSecret: "s", eventKey: "k" },
      { gate: LOOPBACK_ALLOWED, ca: r.ca, retry: fast, onAttempt: (a) => void attempts.push(a) },
    );
    expect(attempts.map((a) => [a.attempt, a.outcome, a.httpStatus, a.willRetry])).toEqual([
      [1, "failed", 500, true],
      [2, "delivered", 200, false],
    ]);
    expect(attempts[0].error).toBe("HTTP 500 Internal Server Error");
    expect(last.outcome).toBe("delivered");
    expect(new Set(r.received.map((q) => q.headers["x-speech-posture-delivery"])).size).toBe(1);
    expect(r.received.every((q) => q.signatureValid)).toBe(true);
  });

  it("gives up on a receiver that hangs after the time-out, on every attempt", async () => {
    const r = await receiver({ script: ["hang"] });
    const attempts: AttemptReport[] = [];
    const last = await deliver(
      { url: r.url, body: "{}", eventKey: "k" },
      { gate: LOOPBACK_ALLOWED, ca: r.ca, timeoutMs: 300, retry: { ...fast, maxAttempts: 2 }, onAttempt: (a) => void attempts.push(a) },
    );
    expect(attempts.map((a) => [a.outcome, a.willRetry])).toEqual([
      ["timeout", true],
      ["timeout", false],
    ]);
    expect(last.error).toBe("no complete answer within 300 ms");
    expect(r.received).toHaveLength(2);
  });

  it("reads at most the size limit of an answer", async () => {
    const r = await receiver({ script: ["big"] });
    const last = await deliver({ url: r.url, body: "{}", eventKey: "k" }, { gate: LOOPBACK_ALLOWED, ca: r.ca, maxResponseBytes: 1000, retry: fast });
    expect(last.outcome).toBe("delivered");
    expect(last.responseExcerpt).toBe(`${"x".repeat(500)} [cut at the size limit]`);
  });

  it("does not trust a receiver's certificate it was not given", async () => {
    const r = await receiver();
    const last = await deliver({ url: r.url, body: "{}", eventKey: "k" }, { gate: LOOPBACK_ALLOWED, retry: { ...fast, maxAttempts: 1 } });
    expect(last.outcome).toBe("failed");
    expect(last.error).toMatch(/SELF_SIGNED|self.signed/i);
    expect(r.received).toHaveLength(0);
  });

  it("reaches a receiver by host name when every address the name resolves to is allowed", async () => {
    const r = await receiver({ secret: "s" });
    const last = await deliver(
      { url: r.url.replace("127.0.0.1", "localhost"), body: "{}", hmacSecret: "s", eventKey: "k" },
      { gate: LOOPBACK_ALLOWED, ca: r.ca, retry: fast },
    );
    expect(last.outcome).toBe("delivered");
    expect(r.received[0].signatureValid).toBe(true);
  });

  it("reaches [::1] when ::1 is allowed", async () => {
    const r = await receiver({ host: "::1" });
    const last = await deliver({ url: r.url, body: "{}", eventKey: "k" }, { gate: LOOPBACK_ALLOWED, ca: r.ca, retry: fast });
    expect(last.outcome).toBe("delivered");
  });
});

describe("SSRF refusals", () => {
  it("refuses loopback without the allowance, once, never reaching the receiver", async () => {
    const r = await receiver();
    const attempts: AttemptReport[] = [];
    const last = await deliver(
      { url: r.url, body: "{}", eventKey: "k" },
      { gate: NOTHING_ALLOWED, ca: r.ca, retry: fast, onAttempt: (a) => void attempts.push(a) },
    );
    expect(attempts).toHaveLength(1);
    expect(last.outcome).toBe("refused");
    expect(last.error).toMatch(/^127\.0\.0\.1 is a loopback address; an Admin must list its range/);
    expect(r.received).toHaveLength(0);
  });

  it("refuses a host name that resolves to loopback, at send time as well as at save time", async () => {
    const r = await receiver();
    const byName = r.url.replace("127.0.0.1", "localhost");
    const last = await deliver({ url: byName, body: "{}", eventKey: "k" }, { gate: NOTHING_ALLOWED, ca: r.ca, retry: fast });
    expect(last.outcome).toBe("refused");
    expect(last.error).toMatch(/^localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    await expect(checkDestination(byName, NOTHING_ALLOWED)).rejects.toThrow(/^localhost resolves to/);
    expect(r.received).toHaveLength(0);
  });

  it("refuses a name whose answer changes to a private address after the save check (DNS rebinding)", async () => {
    // The save check sees a public address; the connection resolves again and is refused.
    const publicAnswer = async () => [{ address: "93.184.216.34", family: 4 }];
    await expect(checkDestination("https://localhost:9/x", NOTHING_ALLOWED, publicAnswer as never)).resolves.toBeInstanceOf(URL);
    const last = await deliver({ url: "https://localhost:9/x", body: "{}", eventKey: "k" }, { gate: NOTHING_ALLOWED, retry: fast });
    expect(last.outcome).toBe("refused");
  });

  it("refuses http://, private, link-local, metadata and IPv6 loopback destinations with a reason", async () => {
    const http = await receiver({ protocol: "http" });
    const refused = async (url: string) => {
      try {
        await checkDestination(url, NOTHING_ALLOWED);
        return "accepted";
      } catch (error) {
        expect(error).toBeInstanceOf(DestinationRefusedError);
        return (error as Error).message;
      }
    };
    expect(await refused(http.url)).toBe("only https:// URLs are allowed (got http://)");
    expect(await refused("https://10.1.2.3/hook")).toMatch(/^10\.1\.2\.3 is a private address/);
    expect(await refused("https://169.254.169.254/metadata/instance")).toBe("169.254.169.254 is a cloud metadata address");
    expect(await refused("https://168.63.129.16/")).toBe("168.63.129.16 is a cloud metadata address");
    expect(await refused("https://[::1]:8443/")).toMatch(/^::1 is a loopback address/);
    expect(await refused("https://[::ffff:10.0.0.1]/")).toMatch(/is a private address/);
    expect(await refused("https://[fd12::1]/")).toMatch(/is a unique-local address/);
    expect(await refused("https://user:pw@example.com/")).toBe("a user name or password in the URL is not allowed");
    // And deliver refuses them too, without a connection.
    const last = await deliver({ url: http.url, body: "{}", eventKey: "k" }, { gate: LOOPBACK_ALLOWED, retry: fast });
    expect(last.outcome).toBe("refused");
    expect(http.received).toHaveLength(0);
  });

  it("an allowed range opens only that range, and never a metadata address", () => {
    expect(addressRefusal("127.0.0.1", LOOPBACK)).toBeUndefined();
    expect(addressRefusal("127.0.0.2", LOOPBACK)).toMatch(/loopback/);
    expect(addressRefusal("10.0.0.1", { allowedPrivateNetworks: ["10.0.0.0/8"] })).toBeUndefined();
    expect(addressRefusal("169.254.169.254", { allowedPrivateNetworks: ["169.254.0.0/16"] })).toBe("169.254.169.254 is a cloud metadata address");
    expect(() => parseNetwork("169.254.0.0/16")).toThrow(/metadata address 169\.254\.169\.254/);
    expect(() => parseNetwork("10.0.0.0/4")).toThrow(/prefix must be a number from 8 to 32/);
    expect(() => parseNetwork("localhost")).toThrow(/not an IP address or CIDR range/);
    expect(addressRefusal("93.184.216.34", NOTHING)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("doubles from the base, honours Retry-After, and stays under the cap", () => {
    const p = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };
    const mid = () => 0.5;
    expect([2, 3, 4].map((n) => backoffMs(n, p, null, mid))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(2, p, 7, mid)).toBe(7000);
    expect(backoffMs(6, p, 60, mid)).toBe(10_000);
  });
});
