/**
 * On a resource page the remediation is filled in for that resource: its real subscription, group
 * and names instead of placeholders, an identity step where the account has none, and portal links.
 * The controls page keeps the catalogue's placeholders.
 */
import { expect, test } from "@playwright/test";
import { demoSnapshot, ensureDemoScan, gotoReady, resourcePath } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

test("BYOS-3 on an account without a system-assigned identity: the CLI names it and assigns the identity before reading it", async ({ page }) => {
  const snapshot = demoSnapshot();
  const account = snapshot.resources.find(
    (d) =>
      String(d.type).toLowerCase() === "microsoft.cognitiveservices/accounts" &&
      ((d.properties as { userOwnedStorage?: unknown[] }).userOwnedStorage ?? []).length > 0 &&
      !String((d.identity as { type?: string } | null)?.type ?? "")
        .toLowerCase()
        .includes("systemassigned"),
  );
  expect(account, "the demo tenant has a BYOS account without a system-assigned identity").toBeDefined();
  const id = account!.id;
  const [, sub, rg, name] = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/.*\/accounts\/([^/]+)$/.exec(id)!;
  const tenant = (account as { tenantId?: string }).tenantId ?? snapshot.tenantId;

  await gotoReady(page, resourcePath(id));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("portal-link")).toHaveAttribute("href", `https://portal.azure.com/#@${tenant}/resource${id}`);

  const card = page.locator('[data-testid="resource-finding"][data-control="BYOS-3"]');
  await expect(card).toHaveAttribute("data-status", "fail");
  const cli = (await card.getByLabel("Azure CLI code").innerText()).trim();
  expect(cli).not.toMatch(/<[a-z][a-z-]*>/);
  const assign = cli.indexOf(`az cognitiveservices account identity assign --name ${name} --resource-group ${rg} --subscription ${sub}`);
  expect(assign, cli).toBeGreaterThanOrEqual(0);
  expect(cli.indexOf("--query identity.principalId")).toBeGreaterThan(assign);
  expect(cli).toMatch(/--role "Storage Blob Data Contributor" --scope \/subscriptions\/.+\/storageAccounts\//);
  await expect(card.getByRole("link", { name: /in the Azure portal/ }).first()).toHaveAttribute(
    "href",
    /^https:\/\/portal\.azure\.com\/#@.+\/resource\/subscriptions\/.+\/storageAccounts\//,
  );
  const bicep = (await card.getByLabel("Bicep code").innerText()).trim();
  expect(bicep).not.toMatch(/<[a-z][a-z-]*>/);
  expect(bicep).toContain(`scope: resourceGroup('${sub}', '${rg}')`);
});

test("the controls page keeps the catalogue's placeholders", async ({ page }) => {
  await page.goto("/controls");
  await expect(page.getByLabel("Azure CLI code").filter({ hasText: "--name <speech-name> --resource-group <rg>" }).first()).toBeAttached();
});
