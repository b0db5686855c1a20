/**
 * Blast radius and search by dependency: from a resource's encryption chain, a storage account's
 * and a key vault's page lists every Speech resource depending on it, and the findings search
 * finds resources by their linked storage-account or key-vault name.
 */
import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady, resourcePath } from "./support";

test("a storage account and a key vault list the Speech resources that depend on them, and search finds them by those names", async ({ page, request }) => {
  const scan = await ensureDemoScan(request);
  // A resource with linked storage whose key is in a key vault (CMK-2 judges the storage's key).
  const withVaultKey = (await (await request.get(`/api/scans/${scan.id}/findings?controlId=CMK-2&status=pass&pageSize=1`)).json()).items[0];
  expect(withVaultKey, "the demo tenant has storage encrypted with a customer key").toBeTruthy();
  await gotoReady(page, resourcePath(withVaultKey.resourceId));

  const storageNode = page.getByTestId("chain-node-storage").first();
  const storageName = (await storageNode.locator("h3").innerText()).trim();
  await storageNode.getByTestId("chain-dependents-link").click();
  await page.waitForURL(/\/dependencies\//);
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(storageName);
  const dependents = page.getByTestId("dependent-row");
  const ids = await dependents.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-resource-id")));
  expect(ids).toContain(withVaultKey.resourceId);
  await expect(page.getByTestId("dependents-count")).toHaveText(String(ids.length));
  await expect(dependents.first()).toContainText("linked storage (BYOS)");

  // Search by the storage account's name finds these resources' findings (18 each; names that contain it, e.g. "stx1" in "stx1a", may add more).
  const searched = async (name: string) => {
    const body = await (await request.get(`/api/scans/${scan.id}/findings?q=${encodeURIComponent(name.toLowerCase())}&pageSize=500`)).json();
    await gotoReady(page, `/findings?q=${encodeURIComponent(name)}`);
    await expect(page.getByTestId("findings-total")).toHaveText(String(body.total));
    return new Set((body.items as { resourceId: string }[]).map((f) => f.resourceId));
  };
  const byStorage = await searched(storageName);
  for (const id of ids) expect(byStorage.has(id!)).toBe(true);

  // The vault holding that storage's key.
  await gotoReady(page, resourcePath(withVaultKey.resourceId));
  const vaultNode = page.getByTestId("chain-node-vault").first();
  const vaultName = (await vaultNode.locator("h3").innerText()).trim();
  await vaultNode.getByTestId("chain-dependents-link").click();
  await page.waitForURL(/\/dependencies\//);
  await page.locator('body[data-ready="true"]').waitFor({ state: "attached" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(vaultName);
  const vaultUsers = await page.getByTestId("dependent-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-resource-id")));
  expect(vaultUsers).toContain(withVaultKey.resourceId);
  await expect(page.getByTestId("dependent-row").filter({ hasText: "key vault: holds" })).toHaveCount(vaultUsers.length);

  const byVault = await searched(vaultName);
  for (const id of vaultUsers) expect(byVault.has(id!)).toBe(true);

  // Something that is neither says so.
  await gotoReady(page, "/dependencies/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z");
  await expect(page.getByText("is not a storage account or key vault ID")).toBeVisible();
});
