import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

test("the subscription and resource pages print without navigation or buttons, keeping their charts, and make a PDF", async ({ page }) => {
  await gotoReady(page, "/");
  const subscriptionHref = await page.locator('main a[href^="/subscriptions/"]').first().getAttribute("href");
  await gotoReady(page, subscriptionHref!);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByTestId("export-buttons")).toBeHidden();
  await expect(page.getByTestId("control-pass-bar").first()).toBeVisible();
  // A bar's colours print (browsers drop backgrounds unless told), and table rows are not split.
  expect(
    await page
      .getByTestId("control-pass-bar")
      .first()
      .evaluate((e) => getComputedStyle(e).printColorAdjust),
  ).toBe("exact");
  expect(
    await page
      .locator("main tbody tr")
      .first()
      .evaluate((e) => getComputedStyle(e).breakInside),
  ).toBe("avoid");
  const subscriptionPdf = await page.pdf({ format: "A4" });
  expect(subscriptionPdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(subscriptionPdf.length).toBeGreaterThan(10_000);

  // The screen still shows everything.
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  const resourceHref = await page.locator('#resources a[href^="/resources/"]').first().getAttribute("href");
  await gotoReady(page, resourceHref!);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.locator("#recheck")).toBeHidden();
  await expect(page.getByTestId("chain-node-speech").first()).toBeVisible();
  await expect(page.getByTestId("chain-edge").first()).toBeVisible();
  const resourcePdf = await page.pdf({ format: "A4" });
  expect(resourcePdf.subarray(0, 5).toString()).toBe("%PDF-");
});
