import { test, expect } from "@playwright/test";

test("the overview lists the demo tenant's subscriptions and Speech resources", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Tenant overview" })).toBeVisible();
  const subRows = page.getByRole("region", { name: "Subscriptions" }).getByRole("row");
  // Header row plus one row per visible subscription of the demo tenant.
  await expect(subRows).not.toHaveCount(1);
  const resourceRows = page.getByRole("region", { name: "Speech resources" }).getByRole("row");
  expect(await resourceRows.count()).toBeGreaterThan(10);
  await expect(page.getByText(/Speech resources ·/)).toBeVisible();
});
