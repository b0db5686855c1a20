import { expect, test } from "@playwright/test";
import { getScan, gotoReady, latestScan } from "./support";

test("Scan now runs a collection, streams its progress and refreshes the overview when it finishes", async ({ page, request }) => {
  const before = await latestScan(request);
  // Record what the page receives over server-sent events.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const seen: { type: string; data: string }[] = [];
    (window as unknown as { __sse: typeof seen }).__sse = seen;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        for (const type of ["progress", "done"]) this.addEventListener(type, (e) => seen.push({ type, data: (e as MessageEvent).data }));
      }
    } as typeof EventSource;
  });
  await gotoReady(page, "/");
  const events = page.waitForResponse((r) => /\/api\/scans\/[^/]+\/events$/.test(new URL(r.url()).pathname));
  await page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ }).click();
  expect((await events).headers()["content-type"]).toContain("text/event-stream");
  await expect(page.getByTestId("scan-message")).toHaveText(/Scan finished — tenant score \d+\./, { timeout: 50_000 });

  // The stream carried progress (phases of the collection) and ended with the scan's final state.
  const seen = await page.evaluate(() => (window as unknown as { __sse: { type: string; data: string }[] }).__sse);
  const progress = seen.filter((e) => e.type === "progress").map((e) => JSON.parse(e.data) as { phase: string | null });
  expect(progress.length).toBeGreaterThan(0);
  const done = seen.filter((e) => e.type === "done");
  expect(done).toHaveLength(1);
  expect(seen[seen.length - 1].type).toBe("done");
  const final = JSON.parse(done[0].data) as { id: string; status: string };
  expect(final.status).toBe("succeeded");

  // The new scan is now the latest, and the refreshed page shows it.
  const latest = await latestScan(request);
  expect(latest?.id).toBe(final.id);
  expect(latest?.id).not.toBe(before?.id);
  const stored = await getScan(request, final.id);
  expect(stored.source).toBe("emulator");
  await expect(page.getByRole("heading", { name: "Tenant overview" })).toBeVisible();
  await expect(page.getByTestId("tenant-score")).toContainText(String(stored.summary!.score));
  // The refresh has landed (the subscriptions link to the new scan), and the finished message is still there: it is not
  // only a glimpse before the refresh (on an empty store the first scan's refresh swaps the empty overview for the real one).
  await expect(page.locator(`a[href*="scan=${final.id}"]`).first()).toBeVisible();
  await expect(page.getByTestId("scan-message")).toHaveText(`Scan finished — tenant score ${stored.summary!.score}.`);
  // The button is usable again.
  await expect(page.getByRole("button", { name: "Scan now" })).toBeEnabled();
});
