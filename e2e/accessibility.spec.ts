import { expect, test } from "@playwright/test";
import { demoSnapshot, ensureDemoScan, expectAccessible, gotoReady, latestScan, resourcePath, uploadSnapshot } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

test("every page has no serious or critical accessibility violation", async ({ page, request }) => {
  const scan = (await latestScan(request))!;
  const findings = (await (await request.get(`/api/scans/${scan.id}/findings?status=fail&pageSize=1`)).json()) as {
    items: { resourceId: string; subscriptionId: string }[];
  };
  const { resourceId, subscriptionId } = findings.items[0];
  const pages = [
    "/",
    "/findings",
    "/findings?group=control&severity=high",
    "/findings?group=resource",
    `/subscriptions/${subscriptionId}`,
    resourcePath(resourceId),
    "/scans",
    "/controls",
    "/exceptions",
    "/audit",
    "/settings",
    "/no-such-page",
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    await expectAccessible(page, path);
  }
});

test("the exception dialog, the diff view and the keyboard path are accessible", async ({ page, request }) => {
  await gotoReady(page, "/findings?status=fail&muted=false");
  await page
    .getByTestId("finding-row")
    .first()
    .getByRole("button", { name: /Add exception/ })
    .click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectAccessible(page, "exception dialog");
  await page.keyboard.press("Escape");

  const before = (await latestScan(request))!;
  const after = await uploadSnapshot(request, demoSnapshot());
  await gotoReady(page, `/scans?from=${before.id}&to=${after.id}`);
  await expect(page.getByTestId("diff-view")).toBeVisible();
  await expectAccessible(page, "diff view");

  // The first Tab reaches the skip link, which moves focus to the main content.
  await gotoReady(page, "/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // Focus indicators are visible: the focused control has an outline.
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe("none");
});
