/**
 * Shared helpers for the browser tests: waiting for scans through the API, building snapshots of
 * the demo tenant (the emulator serves the same seeded tenant), uploading them, and axe checks.
 * The server's database persists between runs, so tests never assume it is empty.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { generateTenant } from "@/emulator/tenant";
import type { Snapshot } from "@/lib/posture/snapshot";
import { tenantSnapshot } from "@/emulator/snapshot";

export interface ApiScan {
  id: string;
  status: string;
  source: string;
  origin?: string;
  inPosture?: boolean;
  error: string | null;
  finishedAt: string | null;
  summary: { score: number | null; resources: number; counts: Record<string, number> } | null;
}

export async function getScan(request: APIRequestContext, id: string): Promise<ApiScan> {
  const r = await request.get(`/api/scans/${id}`);
  expect(r.status(), `GET /api/scans/${id}`).toBe(200);
  return (await r.json()) as ApiScan;
}

export async function latestScan(request: APIRequestContext): Promise<ApiScan | null> {
  const r = await request.get("/api/scans/latest");
  if (r.status() === 404) return null;
  expect(r.status()).toBe(200);
  return (await r.json()) as ApiScan;
}

/** Polls a scan until it has ended; returns its final state. */
export async function waitForScan(request: APIRequestContext, id: string): Promise<ApiScan> {
  let scan = await getScan(request, id);
  await expect
    .poll(
      async () => {
        scan = await getScan(request, id);
        return scan.status;
      },
      { timeout: 50_000, intervals: [100, 250, 500] },
    )
    .not.toMatch(/^(queued|running)$/);
  return scan;
}

/** Starts an emulator collection (or follows the one already running) and waits for it to succeed. */
export async function runEmulatorScan(request: APIRequestContext): Promise<ApiScan> {
  const r = await request.post("/api/scans", { data: { source: "emulator" } });
  const body = (await r.json()) as { id?: string; error?: { id?: string } };
  const id = r.status() === 409 ? body.error?.id : body.id;
  expect(id, `POST /api/scans answered ${r.status()}`).toMatch(/\S/);
  const scan = await waitForScan(request, id!);
  expect(scan.status, scan.error ?? "").toBe("succeeded");
  return scan;
}

/** Makes sure the newest succeeded scan is a collection of the demo tenant (other tests upload small snapshots). */
export async function ensureDemoScan(request: APIRequestContext): Promise<ApiScan> {
  const latest = await latestScan(request);
  if (latest && latest.source === "emulator") return latest;
  return runEmulatorScan(request);
}

/** The demo tenant as a snapshot (same seed as the emulator `npm start` runs), without HTTP. */
export function demoSnapshot(collectedAt = new Date().toISOString()): Snapshot {
  return tenantSnapshot(generateTenant(), collectedAt);
}

/** Uploads a snapshot and waits for its scan; it replaces the latest posture unless `replacesLatest` is false. */
export async function uploadSnapshot(request: APIRequestContext, snapshot: unknown, options: { replacesLatest?: boolean } = {}): Promise<ApiScan> {
  const r = await request.post(`/api/snapshots${options.replacesLatest === false ? "" : "?replacesLatest=true"}`, {
    data: JSON.stringify(snapshot),
    headers: { "content-type": "application/json", "x-file-name": "e2e.json" },
  });
  expect(r.status(), await r.text()).toBe(202);
  const { id } = (await r.json()) as { id: string };
  const scan = await waitForScan(request, id);
  expect(scan.status, scan.error ?? "").toBe("succeeded");
  return scan;
}

/** Opens a page and waits until its interactive parts are hydrated (`<body data-ready>`). */
export async function gotoReady(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitReady(page);
}

export async function waitReady(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
}

/** The dashboard URL of a resource. */
export function resourcePath(id: string): string {
  return `/resources/${id.split("/").filter(Boolean).map(encodeURIComponent).join("/")}`;
}

/** Fails on any serious or critical accessibility violation, listing them. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(" "))
          .join("\n  ")}`,
    )
    .join("\n");
  expect(bad, `${label}:\n${text}`).toEqual([]);
}
