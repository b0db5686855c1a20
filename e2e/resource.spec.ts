import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady, waitReady } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

const CASES = [
  { status: "fail", keySource: /^Microsoft-managed key/, verdict: "Fail" },
  { status: "pass", keySource: /^Customer-managed key \(Key Vault\)$/, verdict: "Pass" },
] as const;

for (const c of CASES) {
  test(`drill into a resource whose CMK-2 is ${c.status} and read its storage key source`, async ({ page }) => {
    await gotoReady(page, `/findings?controlId=CMK-2&status=${c.status}`);
    const row = page.getByTestId("finding-row").first();
    await expect(row).toBeVisible();
    const link = row.locator("td:nth-child(4) a").first();
    const name = (await link.innerText()).trim();
    await link.click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const storage = page.getByTestId("chain-node-storage").first();
    await expect(storage).toBeVisible();
    const keySource = storage.locator("div", { has: page.locator("dt", { hasText: /^Key source$/ }) }).locator("dd");
    await expect(keySource.first()).toHaveText(c.keySource);
    // The picture and the stored verdict agree: the storage → key edge carries CMK-2 with its verdict in words.
    const keyEdge = page.getByTestId("chain-edge").filter({ hasText: "CMK-2" });
    await expect(keyEdge).toHaveCount(1);
    const verdict = keyEdge.locator('li[data-control="CMK-2"]').filter({ visible: true });
    await expect(verdict).toHaveAttribute("data-status", c.status);
    await expect(verdict).toHaveText(new RegExp(`CMK-2\\s*${c.verdict.toLowerCase()}`));
    if (c.status === "fail") await expect(keyEdge).toHaveAttribute("data-status", "fail");
    await expect(page.locator('[data-testid="resource-finding"][data-control="CMK-2"]')).toHaveAttribute("data-status", c.status);
  });
}

test("Re-check now shows fresh verdicts from Azure, labelled as not stored", async ({ page }) => {
  await gotoReady(page, "/findings?controlId=CMK-1&status=pass");
  await page.getByTestId("finding-row").first().locator("td:nth-child(4) a").first().click();
  await expect(page.getByRole("heading", { name: "Where the customer data is and who holds the keys" })).toBeVisible();
  await waitReady(page);
  await page.getByRole("button", { name: "Re-check now" }).click();
  const result = page.getByTestId("recheck-result");
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result.getByRole("heading", { name: "Fresh verdicts — not yet stored" })).toBeVisible();
  await expect(result.locator("tbody tr")).toHaveCount(18);
  // CMK-1 passed in the stored scan and the emulator has not changed: the fresh verdict agrees.
  await expect(result.locator("tbody tr", { hasText: "CMK-1" })).toHaveAttribute("data-changed", "false");
  // Reading Azure on the user's behalf is audited.
  const resourceId = decodeURIComponent(new URL(page.url()).pathname.replace(/^\/resources/, ""));
  const audit = await (await page.request.get(`/api/audit?action=resource.rechecked`)).json();
  expect((audit.items ?? audit).some((e: { target: string }) => e.target.toLowerCase() === resourceId.toLowerCase())).toBe(true);
});
