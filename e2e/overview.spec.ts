import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ensureDemoScan, gotoReady, waitReady } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

test("the overview lists subscriptions worst first and opens the worst subscription's report", async ({ page }) => {
  await gotoReady(page, "/");
  await expect(page.getByRole("heading", { name: "Tenant overview" })).toBeVisible();
  const table = page.getByRole("region", { name: "Subscriptions" }).getByRole("table");
  const rows = table.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(1);

  // Scores ascend down the table (worst first); "n/a" (nothing to judge) sorts last.
  const scores = (await rows.locator("td:nth-child(2)").allInnerTexts()).map((t) => (t.includes("n/a") ? Infinity : Number.parseInt(t, 10)));
  expect(scores.every((s, i) => i === 0 || scores[i - 1] <= s)).toBe(true);

  const worst = rows.first();
  const name = (await worst.locator("td").first().getByRole("link").innerText()).trim();
  await worst.getByRole("link", { name: new RegExp(`^Report for ${name}`) }).click();

  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("subscription-score")).toHaveText(Number.isFinite(scores[0]) ? String(scores[0]) : "n/a");
  const controls = page.getByRole("region", { name: "Controls" }).locator("tbody tr");
  await expect(controls).toHaveCount(18);
  // Every failing control of the report is listed with its remediation.
  const failingCount = await page.getByRole("region", { name: "Failing findings by control" }).locator("section").count();
  const failingInTable = await controls.evaluateAll((trs) => trs.filter((tr) => (tr.children[2]?.textContent ?? "0").trim() !== "0").length);
  expect(failingCount).toBe(failingInTable);
  // Export links point at this scan and subscription.
  const csv = page.getByTestId("export-buttons").getByRole("link", { name: "CSV" });
  await expect(csv).toHaveAttribute("href", /\/api\/scans\/[0-9a-f]+\/export\?format=csv&subscriptionId=[0-9a-f-]+/);
});

test("the subscription report downloads its PDF and CSV", async ({ page }) => {
  await gotoReady(page, "/");
  await page
    .getByRole("region", { name: "Subscriptions" })
    .locator("tbody tr")
    .first()
    .getByRole("link", { name: /^Report for / })
    .click();
  await expect(page.getByTestId("subscription-score")).toBeVisible();
  await waitReady(page);
  const buttons = page.getByTestId("export-buttons");

  const pdfDownload = page.waitForEvent("download");
  await buttons.getByRole("button", { name: "PDF report" }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync((await pdf.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await expect(buttons.getByRole("button", { name: "PDF report" })).toBeEnabled();

  const csvDownload = page.waitForEvent("download");
  await buttons.getByRole("link", { name: "CSV" }).click();
  const csv = readFileSync((await (await csvDownload).path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[0].toLowerCase()).toContain("control");
});

test("the heat map and trend describe the latest scan", async ({ page }) => {
  await gotoReady(page, "/");
  const heat = page.getByRole("region", { name: "Heat map" });
  // One column per control (18) and one row per subscription in the table.
  await expect(heat.locator("thead tr").nth(1).locator("th")).toHaveCount(19);
  const subRows = await page.getByRole("region", { name: "Subscriptions" }).locator("tbody tr").count();
  await expect(heat.locator("tbody tr")).toHaveCount(subRows);
  await expect(page.getByRole("img", { name: /Tenant score by scan/ })).toBeVisible();
});
