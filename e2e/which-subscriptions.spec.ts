/**
 * "Which subscriptions fail X?": the heat map prints the control IDs, each cell opens that
 * control's findings in that subscription, the findings group by subscription with totals, and
 * at 400 px the heat map scrolls sideways under a fixed first column.
 */
import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady } from "./support";

test.beforeAll(async ({ request }) => {
  await ensureDemoScan(request);
});

test("heat-map headers show every control ID and a cell opens that control's failing findings in that subscription", async ({ page }) => {
  await gotoReady(page, "/");
  const heat = page.getByRole("region", { name: "Heat map" });
  const headers = heat.locator("thead tr").nth(1).locator("th");
  // Visible text, not a tooltip: "IAM-1", "BYOS-3", … one per control.
  const texts = (await headers.allInnerTexts()).slice(1).map((t) => t.trim());
  expect(texts).toHaveLength(18);
  for (const t of texts) expect(t).toMatch(/^[A-Z]+-\d+$/);
  expect(texts).toContain("IAM-1");

  // The first cell with failures: its number is how many findings the link opens.
  const cell = heat.locator('[data-testid="heat-cell"]:not([data-fail="0"])').first();
  const failing = Number(await cell.getAttribute("data-fail"));
  expect(failing).toBeGreaterThan(0);
  await expect(cell.locator('[aria-hidden="true"]')).toHaveText(String(failing));
  const href = (await cell.getAttribute("href"))!;
  const url = new URL(href, "http://x");
  expect(url.pathname).toBe("/findings");
  expect(url.searchParams.get("status")).toBe("fail");
  const control = url.searchParams.get("controlId")!;
  const subscription = url.searchParams.get("subscriptionId")!;
  expect(texts).toContain(control);
  expect(subscription).toMatch(/\S/);
  expect(url.searchParams.get("scan")).toMatch(/\S/);

  await cell.click();
  await page.waitForURL(/\/findings\?/);
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  const rows = page.getByTestId("finding-row");
  await expect(rows).toHaveCount(failing);
  for (const r of await rows.all()) {
    await expect(r).toHaveAttribute("data-control", control);
    await expect(r).toHaveAttribute("data-status", "fail");
  }
});

test("findings group by subscription, each group saying its total and its share of this page", async ({ page }) => {
  await gotoReady(page, "/findings?status=fail&group=subscription&pageSize=25");
  await expect(page.getByLabel("Group by")).toHaveValue("subscription");
  const groups = page.getByTestId("finding-group");
  expect(await groups.count()).toBeGreaterThan(0);
  const counts = await page.getByTestId("group-count").allInnerTexts();
  for (const c of counts) expect(c).toMatch(/^\d+ findings?(?: in all · \d+ on this page|, all on this page)$/);
  // 25 rows on the page, and the page's shares add up to them.
  const onPage = counts.map((c) => (/· (\d+) on this page/.exec(c) ? Number(/· (\d+) on this page/.exec(c)![1]) : Number(/^(\d+)/.exec(c)![1])));
  expect(onPage.reduce((a, b) => a + b, 0)).toBe(await page.getByTestId("finding-row").count());
  // A long group is cut by the page: its total is larger than what this page shows.
  expect(counts.some((c) => c.includes("in all"))).toBe(true);
});

test("at 400 px the heat map scrolls sideways inside its panel and the subscription column stays put", async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 900 });
  await gotoReady(page, "/");
  const table = page.getByTestId("heat-map");
  await table.scrollIntoViewIfNeeded();
  const scroller = table.locator("xpath=..");
  const sizes = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
  // The page itself does not scroll sideways: only the table does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
  const firstRowHeader = table.locator("tbody th").first();
  const before = (await firstRowHeader.boundingBox())!;
  const lastHeader = table.locator("thead tr").nth(1).locator("th").last();
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect(lastHeader).toBeInViewport();
  const after = (await firstRowHeader.boundingBox())!;
  // It sticks at the scroller's left edge (the table's 2 px cell spacing is all it may move).
  expect(Math.abs(after.x - before.x)).toBeLessThanOrEqual(2);
  const edge = (await scroller.boundingBox())!.x;
  expect(after.x).toBeGreaterThanOrEqual(edge - 0.5);
  await expect(firstRowHeader).toBeInViewport();
});
