/**
 * A finding's reason is readable in full: at 400 px each findings row is a card whose reason takes
 * the width, and opening it (with the keyboard) shows the whole message, its evidence and a link
 * to the resource's remediation.
 */
import { expect, test, type Locator } from "@playwright/test";
import { ensureDemoScan, gotoReady } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

/** Whether an element's text is cut off (line-clamped or overflowing its box). */
const clipped = (l: Locator) => l.evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);

test("at 400 px the full LBX-1 reason opens from the keyboard, with its evidence and a way to fix it", async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 900 });
  await gotoReady(page, "/findings?controlId=LBX-1&status=fail&pageSize=100");
  const rows = page.getByTestId("finding-row");
  await expect(rows.first()).toBeVisible();
  // The longest LBX-1 message on the page: several parts fail.
  const lengths = await rows.getByTestId("finding-message").evaluateAll((els) => els.map((e) => (e.textContent ?? "").length));
  const row = rows.nth(lengths.indexOf(Math.max(...lengths)));
  const message = row.getByTestId("finding-message");
  const full = (await message.textContent())!.trim();
  // The specific part comes first: the resource and the failing controls, then the explanation.
  expect(full).toMatch(/^[^:]+: [A-Z]+-\d \(.+\) fails?, so it lacks Lockbox-equivalent control/);
  expect(full.endsWith("its equivalent is BYOS).")).toBe(true);

  // Closed: clamped, but the reason column is not squeezed to a sliver.
  const box = (await message.boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(400);
  expect(await clipped(message)).toBe(true);

  // Keyboard: focus the summary and press Enter.
  const summary = row.getByTestId("finding-details").locator("summary");
  await summary.focus();
  await expect(summary).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("finding-details")).toHaveAttribute("open", "");
  expect(await clipped(message)).toBe(false);
  const open = (await message.boundingBox())!;
  expect(open.x + open.width).toBeLessThanOrEqual(400);
  expect(open.height).toBeGreaterThan(box.height);
  // The tail is on screen once scrolled to: the message's last line lies inside the viewport.
  await message.scrollIntoViewIfNeeded();
  await expect(message).toBeInViewport({ ratio: 1 });
  await expect(row.getByText("control:BYOS-1 status")).toBeVisible();
  const fix = row.getByRole("link", { name: /^How to fix LBX-1 on / });
  await expect(fix).toBeVisible();
  expect(await fix.getAttribute("href")).toMatch(/^\/resources\/subscriptions\/.+#control-LBX-1$/);

  // Space closes it again.
  await summary.focus();
  await page.keyboard.press("Space");
  await expect(row.getByTestId("finding-details")).not.toHaveAttribute("open", "");
  expect(await clipped(message)).toBe(true);
});
