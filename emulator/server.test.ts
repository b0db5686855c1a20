/**
 * The server as a whole: certificate and trust, keep-alive, latency, injected faults, stats,
 * the state file, start-up errors and the control endpoints. Plus a throughput figure.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { readEmulatorState, startEmulator, type RunningEmulator } from "./server";
import { generateTenant } from "./tenant";
import { argRaw, clients, raw } from "./testing/clients";

const auth = { authorization: "Bearer t" };

describe("TLS", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
  });
  afterAll(() => emu.close());

  it("serves a self-signed certificate for 127.0.0.1 and localhost, written to caPath", () => {
    const cert = new X509Certificate(emu.ca);
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.checkIssued(cert)).toBe(true);
    expect(readFileSync(emu.caPath, "utf8")).toBe(emu.ca);
    expect(emu.url).toBe(`https://127.0.0.1:${emu.port}`);
  });

  it("is refused by a client that does not trust it (verification stays on)", async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      import("node:https").then(({ get }) =>
        get(`${emu.url}/subscriptions`, () => resolve(new Error("connected") as NodeJS.ErrnoException)).on("error", resolve),
      );
    });
    expect(error.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });

  it("keeps connections alive between requests", async () => {
    const agent = new Agent({ keepAlive: true, ca: emu.ca, maxSockets: 1 });
    try {
      const first = await raw(`${emu.url}/subscriptions?api-version=2022-12-01`, { ca: emu.ca, headers: auth, agent });
      const second = await raw(`${emu.url}/subscriptions?api-version=2022-12-01`, { ca: emu.ca, headers: auth, agent });
      expect(first.status).toBe(200);
      expect(second.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});

describe("faults, latency and stats", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ quota: false });
  });
  afterAll(() => emu.close());

  it("adds latency before every response", async () => {
    const slow = await startEmulator({ quota: false, latencyMs: 120 });
    try {
      const t0 = performance.now();
      await raw(`${slow.url}/subscriptions?api-version=2022-12-01`, { ca: slow.ca, headers: auth });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
      // Delayed requests overlap: the server keeps serving while one waits.
      await Promise.all(Array.from({ length: 5 }, () => raw(`${slow.url}/subscriptions?api-version=2022-12-01`, { ca: slow.ca, headers: auth })));
      expect(slow.stats().maxInFlight).toBeGreaterThanOrEqual(5);
      slow.setFaults({ latencyMs: 100 });
      const t1 = performance.now();
      await raw(`${slow.url}/subscriptions?api-version=2022-12-01`, { ca: slow.ca });
      expect(performance.now() - t1).toBeGreaterThanOrEqual(210);
    } finally {
      await slow.close();
    }
  });

  it("a throttle storm with Retry-After is ridden out by the SDK's own retries", async () => {
    emu.resetStats();
    emu.setFaults({ throttleStorm: { count: 2, retryAfterSeconds: 0 } });
    const page = await clients(emu).graph.resources({ query: "resources | take 3" });
    expect(page.count).toBe(3);
    const s = emu.stats();
    expect(s.status[429]).toBe(2);
    expect(s.argRequests).toBe(3);
    expect(s.arg429).toBe(0);
  });

  it("a throttle storm without Retry-After surfaces as 429 (the SDK does not retry it)", async () => {
    emu.resetStats();
    emu.setFaults({ throttleStorm: { count: 1 } });
    const error = await clients(emu)
      .graph.resources({ query: "resources | take 3" })
      .catch((e) => e);
    expect(error.statusCode).toBe(429);
    expect(error.response.headers.get("retry-after")).toBeUndefined();
    expect(emu.stats().argRequests).toBe(1);
    expect((await clients(emu).graph.resources({ query: "resources | take 3" })).count).toBe(3);
  });

  it("serverErrors fails every Nth matching request with 500 InternalServerError, up to count", async () => {
    const a = emu.tenant.resources.find(isSpeechAccount)!;
    const diag = `${emu.url}${a.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`;
    emu.setFaults({ serverErrors: { everyNth: 2, match: "arm" } });
    try {
      const responses = [];
      for (let i = 0; i < 4; i++) {
        responses.push(await raw(diag, { ca: emu.ca, headers: auth }));
        responses.push(await argRaw(emu, { query: "resources | take 1" }));
      }
      expect(responses.map((r) => r.status)).toEqual([200, 200, 500, 200, 200, 200, 500, 200]);
      expect(responses[2].json).toEqual({ error: { code: "InternalServerError", message: expect.stringMatching(/internal server error/i) } });
      emu.setFaults({ serverErrors: { count: 1 } });
      expect([(await raw(diag, { ca: emu.ca, headers: auth })).status, (await raw(diag, { ca: emu.ca, headers: auth })).status]).toEqual([500, 200]);
    } finally {
      emu.setFaults({});
    }
  });

  it("counts requests by surface, status and caller; resetStats starts again", async () => {
    emu.resetStats();
    const a = emu.tenant.resources.find(isSpeechAccount)!;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        raw(`${emu.url}${a.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, {
          ca: emu.ca,
          headers: { authorization: "Bearer caller-x" },
        }),
      ),
    );
    await argRaw(emu, { query: "resources | take 1" }, "caller-y");
    await raw(`${emu.url}/speech/nothing/speechtotext/endpoints?api-version=2025-10-15`, { ca: emu.ca, headers: { authorization: "Bearer caller-x" } });
    const s = emu.stats();
    expect([s.armRequests, s.argRequests, s.speechRequests, s.requests]).toEqual([8, 1, 1, 10]);
    expect(s.status).toEqual({ 200: 9, 404: 1 });
    expect(s.byCaller["caller-x"]).toEqual({ arg: 0, arm: 8, speech: 1, arg429: 0 });
    expect(s.byCaller["caller-y"].arg).toBe(1);
    expect(s.inFlight).toBe(0);
    emu.resetStats();
    expect(emu.stats().requests).toBe(0);
  });

  it("exposes health, stats and faults under /.emulator for out-of-process tests", async () => {
    const health = await raw(`${emu.url}/.emulator/health`, { ca: emu.ca });
    expect(health.json).toEqual({ status: "ok", tenantId: emu.tenant.tenantId });
    const set = await raw(`${emu.url}/.emulator/faults`, { ca: emu.ca, method: "POST", body: JSON.stringify({ throttleStorm: { count: 1 } }) });
    expect(set.status).toBe(200);
    expect((await argRaw(emu, { query: "resources | take 1" })).status).toBe(429);
    expect((await argRaw(emu, { query: "resources | take 1" })).status).toBe(200);
    const stats = await raw(`${emu.url}/.emulator/stats`, { ca: emu.ca });
    expect(stats.json.status["429"]).toBeGreaterThanOrEqual(1);
    // Control calls stay out of the figures.
    expect(stats.json.requests).toBe(emu.stats().requests);
    expect(emu.stats().status[404] ?? 0).toBe(stats.json.status["404"] ?? 0);
  });
});

describe("lifecycle", () => {
  it("writes emulator.json when asked, readable with readEmulatorState, and removes it on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-state-"));
    try {
      const emu = await startEmulator({ stateDir: dir, writeState: true, seed: 5, subscriptions: 3, accounts: 12 });
      const state = readEmulatorState(dir)!;
      expect(state).toEqual({ url: emu.url, port: emu.port, caPath: join(dir, "cert.pem"), pid: process.pid, seed: 5, subscriptions: 3, accounts: 12 });
      expect(readFileSync(state.caPath, "utf8")).toBe(emu.ca);
      await emu.close();
      expect(readEmulatorState(dir)).toBeUndefined();
      expect(existsSync(join(dir, "emulator.json"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps a private certificate folder without a state dir and removes it on close", async () => {
    const emu = await startEmulator({});
    expect(existsSync(emu.caPath)).toBe(true);
    await emu.close();
    expect(existsSync(emu.caPath)).toBe(false);
  });

  it("fails clearly on a port in use, without touching the running emulator's files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-port-"));
    const first = await startEmulator({ stateDir: dir, writeState: true });
    try {
      const before = readFileSync(first.caPath, "utf8");
      const error = await startEmulator({ port: first.port, stateDir: dir, writeState: true }).catch((e) => e);
      expect(error.name).toBe("EmulatorStartError");
      expect(error.code).toBe("EADDRINUSE");
      expect(error.message).toBe(`Cannot start the emulator: port ${first.port} on 127.0.0.1 is already in use.`);
      expect(readFileSync(first.caPath, "utf8")).toBe(before);
      expect(readEmulatorState(dir)?.port).toBe(first.port);
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves a tenant that a test mutated before starting", async () => {
    const tenant = generateTenant({ seed: 1, subscriptions: 2, accounts: 5 });
    const acct = tenant.resources.find(isSpeechAccount)!;
    tenant.resources.push({ ...acct, id: `${acct.id}-copy`, name: `${acct.name}-copy` });
    const emu = await startEmulator({ tenant, quota: false });
    try {
      const page = await clients(emu).graph.resources({ query: `resources | where name == '${acct.name}-copy' | project id` });
      expect(page.data).toEqual([{ id: `${acct.id}-copy` }]);
    } finally {
      await emu.close();
    }
  });
});

describe("throughput", () => {
  it("serves per-resource calls of a 10,000-account tenant at concurrency 32 over keep-alive", async () => {
    const tenant = generateTenant({ seed: 10_000, subscriptions: 500, accounts: 10_000 });
    const emu = await startEmulator({ tenant, quota: false, privateNetwork: true });
    const agent = new Agent({ keepAlive: true, ca: emu.ca, maxSockets: 32 });
    try {
      const accounts = tenant.resources.filter(isSpeechAccount);
      const urls = accounts.slice(0, 2500).flatMap((a) => {
        const out = [`${emu.url}${a.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`];
        const sub = (a.properties as { customSubDomainName?: string }).customSubDomainName;
        if (sub) out.push(`${emu.url}/speech/${sub}/speechtotext/endpoints?api-version=2025-10-15&top=100`);
        return out;
      });
      let next = 0;
      let ok = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < urls.length) {
            const r = await raw(urls[next++], { ca: emu.ca, headers: auth, agent });
            if (r.status === 200) ok++;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `per-resource calls: ${urls.length} in ${seconds.toFixed(2)} s = ${Math.round(urls.length / seconds)} req/s (client and server in one process)`,
      );
      expect(ok).toBe(urls.length);
      expect(emu.stats().speechRequests + emu.stats().armRequests).toBe(urls.length);
    } finally {
      agent.destroy();
      await emu.close();
    }
  });
});
