/**
 * Holding under attack (issue 16), against the built server: a dense upload of millions of empty
 * objects is refused before parsing while the server's memory stays bounded and it keeps
 * answering; anonymous uploads are refused before their body is read and anonymous bodies to
 * other routes cannot pile up in memory, and stalled ones are cut; demo mode refuses to start on
 * a non-loopback address however the options are spelt; an access token is exchanged once.
 * E2E_APP_DIR runs the spawned servers from another checkout (to show the attacks on old code).
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { freePort, startAuthAppServer, type AuthAppServer } from "@/lib/auth/testing/app-server";
import { ensureDemoScan, gotoReady, waitReady } from "./support";

test.describe.configure({ mode: "serial" });

const APP_DIR = process.env.E2E_APP_DIR ?? process.cwd();

/** The ID of the process listening on `port` (found through its socket: Next renames its process). */
function pidListeningOn(port: number): number {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === "0A" && parseInt(cols[1].split(":").at(-1)!, 16) === port) inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(pid);
      } catch {
        /* gone */
      }
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** Samples a process's RSS every 50 ms while `work` runs; returns the peak in MB. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      /* exited: the assertions after will say so */
    }
  }, 50);
  try {
    const result = await work();
    return { peak: Math.max(peak, rssMb(pid)), result };
  } finally {
    clearInterval(timer);
  }
}

/** The penetration test's file: one resource whose property holds `n` empty objects. */
function emptyObjects(n: number): Buffer {
  const head = Buffer.from('{"value":[{"id":"/subscriptions/x/a","p":[');
  const body = Buffer.alloc(n * 3 - 1, "{},");
  return Buffer.concat([head, body, Buffer.from("]}]}")]);
}

async function storeState(request: APIRequestContext) {
  const scans = ((await (await request.get("/api/scans?limit=500")).json()) as { items: { id: string }[] }).items.map((s) => s.id);
  const imports = ((await (await request.get("/api/audit?action=snapshot.imported&limit=1000")).json()) as { items: unknown[] }).items.length;
  return { scans, imports };
}

/** A raw HTTP request that sends its headers and `send` bytes of a body declared `declared` long, then stalls. */
interface Stalled {
  socket: Socket;
  /** The status line, when an answer came. */
  status: Promise<string>;
  /** Resolves when the server closes the connection. */
  closed: Promise<number>;
  sent: Promise<void>;
}

function stalledPost(port: number, path: string, declared: number, send: number, started = Date.now()): Stalled {
  const socket = connect(port, "127.0.0.1");
  let answer = "";
  const status = new Promise<string>((resolve) => {
    socket.on("data", (d: Buffer) => {
      answer += d.toString("latin1");
      if (answer.includes("\r\n")) resolve(answer.split("\r\n")[0]);
    });
    socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
  });
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - started)));
  socket.on("error", () => undefined);
  const sent = new Promise<void>((resolve) => {
    socket.on("connect", async () => {
      // Same-origin headers, as an attacker sends them: the refusal must be the missing sign-in.
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      for (let n = 0; n < send && !socket.destroyed; n += chunk.length) {
        if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r));
      }
      resolve();
    });
    socket.on("close", () => resolve());
  });
  return { socket, status, closed, sent };
}

test.describe("the demo server", () => {
  test("a dense upload of millions of empty objects is refused before parsing; memory stays bounded and the server answers", async ({ request, baseURL }) => {
    test.setTimeout(120_000);
    const pid = pidListeningOn(Number(new URL(baseURL!).port));
    const before = await storeState(request);
    const idle = rssMb(pid);
    // 3 million empty objects (9 MB), and as many as the default 50 MB limit lets through (16 million).
    for (const count of [3_000_000, 16_000_000]) {
      const file = emptyObjects(count);
      const { peak, result } = await peakRss(pid, async () => {
        const r = await request.post("/api/snapshots", { data: file, headers: { "content-type": "application/json" }, timeout: 100_000 });
        return { status: r.status(), body: await r.text() };
      });
      expect(result.status, result.body.slice(0, 300)).toBe(400);
      expect(result.body).toMatch(/more than 2000000 values/);
      expect(result.body).toContain("SPEECH_POSTURE_MAX_UPLOAD_VALUES");
      console.log(`${count} empty objects: server RSS ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at the peak`);
      // The body, its text in the worker and the worker itself; never the parsed millions of objects.
      expect(peak - idle, `RSS went from ${idle.toFixed(0)} MB to ${peak.toFixed(0)} MB for ${count} objects`).toBeLessThan(400);
      expect((await request.get("/api/trend?limit=1")).status()).toBe(200);
    }
    expect(await storeState(request)).toEqual(before);
  });

  test("a re-check of a crafted resource ID is refused before it reaches the audit trail", async ({ page, request }) => {
    test.setTimeout(90_000);
    await ensureDemoScan(request);
    await gotoReady(page, "/findings?controlId=CMK-1");
    await page.getByTestId("finding-row").first().locator("td:nth-child(4) a").first().click();
    await waitReady(page);
    // The server action is sent as the page sends it, with the resource ID swapped for a crafted one.
    const crafted = "/subscriptions/../../../api/scans/x/export?format=csv";
    await page.route("**/*", async (route) => {
      const r = route.request();
      if (r.method() === "POST" && (await r.headerValue("next-action"))) return route.continue({ postData: JSON.stringify([crafted]) });
      return route.continue();
    });
    const before = ((await (await request.get("/api/audit?action=resource.rechecked&limit=1000")).json()) as { items: unknown[] }).items.length;
    await page.getByRole("button", { name: "Re-check now" }).click();
    await expect(page.getByText(/is not a Cognitive Services account ID/)).toBeVisible({ timeout: 30_000 });
    const audit = ((await (await request.get("/api/audit?action=resource.rechecked&limit=1000")).json()) as { items: { target: string }[] }).items;
    expect(audit.length).toBe(before);
    expect(audit.some((e) => e.target.includes(".."))).toBe(false);
  });
});

test.describe("hidden characters", () => {
  test("NUL, bidi and zero-width characters in names are shown as code points in the pages and the CSV", async ({ page, request }) => {
    const sub = "00000000-0000-4000-8000-00000000b1d1";
    const name = "invoice\u202Etxt.exe\u0000ad\u200Bmin";
    const shown = "invoice[U+202E]txt.exe[U+0000]ad[U+200B]min";
    const snapshot = {
      kind: "speech-posture.snapshot",
      version: 1,
      collectedAt: new Date().toISOString(),
      subscriptions: [{ subscriptionId: sub, displayName: "bidi\u202Esub", state: "Enabled" }],
      coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
      resources: [
        {
          id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/hidden1`,
          name,
          type: "Microsoft.CognitiveServices/accounts",
          kind: "SpeechServices",
          location: "westeurope",
          subscriptionId: sub,
          resourceGroup: "rg",
          properties: { publicNetworkAccess: "Enabled" },
        },
      ],
      diagnosticSettings: {},
      speechEndpoints: {},
      errors: [],
    };
    const r = await request.post("/api/snapshots", { data: JSON.stringify(snapshot), headers: { "content-type": "application/json" } });
    expect(r.status(), await r.text()).toBe(202);
    const id = ((await r.json()) as { id: string }).id;
    await expect.poll(async () => ((await (await request.get(`/api/scans/${id}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
    await gotoReady(page, `/findings?scan=${id}&controlId=NET-1`);
    await expect(page.getByTestId("finding-row").first()).toContainText(shown);
    // The message (which names the resource) and every other cell show them too: nothing raw is left.
    expect(await page.getByTestId("finding-row").first().innerText()).not.toMatch(/[\u0000\u200B\u202E]/);
    await gotoReady(page, `/resources/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/hidden1?scan=${id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(shown);
    expect(await page.locator("main").innerText()).not.toMatch(/[\u0000\u200B\u202E]/);
    await gotoReady(page, `/subscriptions/${sub}?scan=${id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("bidi[U+202E]sub");
    const csv = await (await request.get(`/api/scans/${id}/export?format=csv`)).text();
    expect(csv).toContain(shown);
    expect(csv).not.toMatch(/[\u0000\u200B\u202E]/);
  });
});

test.describe("a signed-in server, attacked anonymously", () => {
  let app: AuthAppServer;
  let pid: number;
  let port: number;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    port = await freePort();
    app = await startAuthAppServer({
      port,
      dir: join(tmpdir(), `speech-posture-e2e-hold-${process.pid}`),
      cwd: APP_DIR,
      // Short enough for a test to see stalled requests cut (Node checks every 30 s).
      env: { SPEECH_POSTURE_REQUEST_TIMEOUT_MS: "3000", SPEECH_POSTURE_HEADERS_TIMEOUT_MS: "2000" },
    });
    pid = pidListeningOn(port);
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test("an anonymous upload is refused at once, before its body is read", async () => {
    const started = Date.now();
    const uploads = Array.from({ length: 20 }, () => stalledPost(port, "/api/snapshots", 40 * 1024 * 1024, 1024 * 1024, started));
    const statuses = await Promise.race([
      Promise.all(uploads.map((u) => u.status)),
      new Promise<string[]>((r) => setTimeout(() => r(["no answer within 10 s"]), 10_000)),
    ]);
    expect(statuses).toEqual(Array(20).fill("HTTP/1.1 401 Unauthorized"));
    // The server hangs up rather than take the rest of the body.
    const closedIn = await Promise.race([Promise.all(uploads.map((u) => u.closed)), new Promise<number[]>((r) => setTimeout(() => r([-1]), 10_000))]);
    expect(
      closedIn.every((ms) => ms >= 0 && ms < 10_000),
      `closed after ${closedIn.join(", ")} ms`,
    ).toBe(true);
  });

  test("anonymous bodies sent to other routes cannot pile up in memory, and stalled ones are cut", async () => {
    test.setTimeout(90_000);
    const idle = rssMb(pid);
    const started = Date.now();
    const bodies = Array.from({ length: 20 }, (_, i) =>
      stalledPost(port, i % 2 ? "/api/exceptions" : "/api/scans", 40 * 1024 * 1024, 8 * 1024 * 1024, started),
    );
    await Promise.race([Promise.all(bodies.map((b) => b.sent)), new Promise((r) => setTimeout(r, 20_000))]);
    await new Promise((r) => setTimeout(r, 1000));
    const held = rssMb(pid) - idle;
    console.log(`20 stalled anonymous bodies of 8 MB: server RSS grew by ${held.toFixed(0)} MB`);
    // 20 × 8 MB arrived; the server may keep about 1 MB of each.
    expect(held, `RSS grew by ${held.toFixed(0)} MB while 20 anonymous clients had sent 8 MB each`).toBeLessThan(80);
    // The request time-out (3 s here) cuts them at Node's next 30 s check, not after 300 s.
    const closedIn = await Promise.race([Promise.all(bodies.map((b) => b.closed)), new Promise<number[]>((r) => setTimeout(() => r([-1]), 45_000))]);
    expect(
      closedIn.every((ms) => ms >= 0),
      `still open after 45 s: ${closedIn.join(", ")}`,
    ).toBe(true);
    expect((await fetch(`${app.url}/signin`)).status).toBe(200);
  });

  test("an access token is exchanged for one session only, and stays refused after sign-out", async ({ browser }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    let token: string | undefined;
    page.on("request", (r) => {
      if (r.url().endsWith("/api/session") && r.method() === "POST") token = (JSON.parse(r.postData() ?? "{}") as { accessToken?: string }).accessToken;
    });
    await page.goto(`${app.url}/`);
    await page.locator("input[name=login]").fill("operator");
    await page.locator("input[name=password]").fill("any password");
    await page.locator("button[type=submit]").click();
    await page.waitForURL(`${app.url}/`);
    expect(token, "the access token the page exchanged").toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const replay = () =>
      fetch(`${app.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: app.url },
        body: JSON.stringify({ accessToken: token }),
      });
    const again = await replay();
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already exchanged/);
    expect(again.headers.get("set-cookie")).toBeNull();
    // Sign out; the token still buys no session.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await fetch(`${app.url}/api/session`, { method: "DELETE", headers: { cookie, origin: app.url } })).status).toBe(204);
    expect((await fetch(`${app.url}/api/session`, { headers: { cookie } })).status).toBe(401);
    expect((await replay()).status).toBe(401);
    await context.close();
  });
});

test.describe("demo mode on a non-loopback address", () => {
  /** Starts `next start` with `args`; resolves with its exit code and output, or "listening" if it served. */
  async function nextStart(args: string[], env: Record<string, string>): Promise<{ outcome: string; output: string }> {
    const port = await freePort();
    const db = join(tmpdir(), `speech-posture-e2e-listen-${process.pid}-${port}.db`);
    // No sign-in settings but the case's own: demo mode is the default on loopback.
    const inherited = { ...process.env };
    for (const k of ["AUTH_MODE", "SPEECH_POSTURE_LISTEN_HOST", "ENTRA_TENANT_ID", "ENTRA_CLIENT_ID"]) delete inherited[k];
    const child = spawn(process.execPath, [join(APP_DIR, "node_modules/next/dist/bin/next"), "start", "-p", String(port), ...args], {
      cwd: APP_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...inherited,
        SESSION_SECRET: "e2e-listen-secret-0123456789abcdefghij",
        DATABASE_URL: `sqlite:${db}`,
        ...env,
      },
    });
    let output = "";
    child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
    const exited = new Promise<string>((r) => child.once("exit", (code) => r(`exit ${code}`)));
    const served = (async () => {
      for (let i = 0; i < 300; i++) {
        // Through the non-loopback address, as another machine would (the Host header is the client's to choose).
        const mode = await sessionMode(externalAddress(), port);
        if (mode === "none") return "served without sign-in off loopback";
        await new Promise((res) => setTimeout(res, 100));
      }
      return "still starting";
    })();
    const outcome = await Promise.race([exited, served]);
    if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(db, { force: true });
    return { outcome, output };
  }

  /** GET /api/session at `address` with `Host: localhost`: the sign-in mode it reports, or null. */
  function sessionMode(address: string, port: number): Promise<string | null> {
    return new Promise((resolve) => {
      const req = httpGet({ host: address, port, path: "/api/session", headers: { host: `localhost:${port}` }, timeout: 2000 }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => {
          try {
            resolve((JSON.parse(body) as { mode?: string }).mode ?? null);
          } catch {
            resolve(null);
          }
        });
      });
      req.on("error", () => resolve(null));
      req.on("timeout", () => req.destroy());
    });
  }

  /** An address of this machine other than loopback (0.0.0.0 listens on it). */
  function externalAddress(): string {
    for (const line of readFileSync("/proc/net/fib_trie", "utf8").split("\n")) {
      const m = /\|-- (\d+\.\d+\.\d+\.\d+)/.exec(line);
      if (m && !m[1].startsWith("127.") && !m[1].startsWith("0.") && !m[1].endsWith(".0") && !m[1].endsWith(".255")) return m[1];
    }
    return "0.0.0.0";
  }

  for (const [name, args, env] of [
    ["-H 127.0.0.1 -H 0.0.0.0", ["-H", "127.0.0.1", "-H", "0.0.0.0"], {}],
    ["--hostname 127.0.0.1 --hostname=0.0.0.0", ["--hostname", "127.0.0.1", "--hostname=0.0.0.0"], {}],
    ["SPEECH_POSTURE_LISTEN_HOST=127.0.0.1 with -H 0.0.0.0", ["-H", "0.0.0.0"], { SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }],
    ["AUTH_MODE=none with -H127.0.0.1 -H0.0.0.0", ["-H127.0.0.1", "-H0.0.0.0"], { AUTH_MODE: "none" }],
  ] as const) {
    test(`refuses to start: ${name}`, async () => {
      test.setTimeout(60_000);
      const { outcome, output } = await nextStart([...args], env);
      expect(outcome, output).toBe("exit 1");
      expect(output).toMatch(/refusing to start: .*(more than once|only allowed when the server listens on loopback)/);
    });
  }
});
