import { expect, test } from "@playwright/test";
import { getScan, latestScan } from "./support";

test("Scan now runs a collection, streams its progress and refreshes the overview when it finishes", async ({ page, request }) => {
  const before = await latestScan(request);
  await page.goto("/");
  const events = page.waitForResponse((r) => /\/api\/scans\/[^/]+\/events$/.test(new URL(r.url()).pathname));
  await page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ }).click();
  await expect(page.getByTestId("scan-message")).toHaveText(/Scan finished — tenant score \d+\./, { timeout: 50_000 });

  // The stream carried progress and ended with the scan's final state.
  const response = await events;
  expect(response.headers()["content-type"]).toContain("text/event-stream");
  const body = await response.text();
  expect(body).toContain("event: progress");
  const done = /event: done\ndata: (.*)\n/.exec(body);
  expect(done, body.slice(-500)).not.toBeNull();
  const final = JSON.parse(done![1]) as { id: string; status: string };
  expect(final.status).toBe("succeeded");

  // The new scan is now the latest, and the refreshed page shows it.
  const latest = await latestScan(request);
  expect(latest?.id).toBe(final.id);
  expect(latest?.id).not.toBe(before?.id);
  const stored = await getScan(request, final.id);
  expect(stored.source).toBe("emulator");
  await expect(page.getByRole("heading", { name: "Tenant overview" })).toBeVisible();
  await expect(page.getByTestId("tenant-score")).toContainText(String(stored.summary!.score));
  // The button is usable again.
  await expect(page.getByRole("button", { name: "Scan now" })).toBeEnabled();
});
