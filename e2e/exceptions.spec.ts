import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady } from "./support";

test.beforeEach(async ({ request }) => {
  await ensureDemoScan(request);
});

test("create an exception from a finding, see the finding muted, then remove it", async ({ page }) => {
  const owner = `e2e-${Date.now()}@contoso.example`;
  await gotoReady(page, "/findings?controlId=IAM-1&status=fail&muted=false&sort=resource");
  const first = page.getByTestId("finding-row").first();
  await expect(first).toBeVisible();
  const resourceLink = first.locator("td:nth-child(4) a").first();
  const resourceName = (await resourceLink.innerText()).trim();
  const resourceId = (await resourceLink.getAttribute("title"))!;
  expect(resourceId).toMatch(/^\/subscriptions\//);

  // Look at just this finding, whatever its muting.
  await gotoReady(page, `/findings?controlId=IAM-1&q=${encodeURIComponent(resourceId.toLowerCase())}`);
  const row = page.getByTestId("finding-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Muted")).toHaveCount(0);

  // The dialog is modal, starts in the owner field and closes with Escape.
  await row.getByRole("button", { name: /Add exception/ }).click();
  let dialog = page.getByRole("dialog", { name: "Add an exception" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/^Owner/)).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("button", { name: /Add exception/ })).toBeFocused();

  await row.getByRole("button", { name: /Add exception/ }).click();
  dialog = page.getByRole("dialog", { name: "Add an exception" });
  await expect(dialog.getByRole("radio", { name: /This finding/ })).toBeChecked();
  await dialog.getByLabel(/^Owner/).fill(owner);
  await dialog.getByLabel("Reason").fill("Key auth is needed by a legacy batch client until it moves to Entra ID.");
  await dialog.getByRole("button", { name: "Create exception" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Muted")).toBeVisible();

  // A second exception with the same scope is refused; the dialog keeps what was typed and the message gets focus.
  await row.getByRole("button", { name: /Add exception/ }).click();
  dialog = page.getByRole("dialog", { name: "Add an exception" });
  await dialog.getByLabel(/^Owner/).fill("second@contoso.example");
  await dialog.getByLabel("Reason").fill("again");
  await dialog.getByRole("button", { name: "Create exception" }).click();
  await expect(dialog.getByRole("alert")).toContainText(`Scope: an active exception with the same scope already exists (owner ${owner}`);
  await expect(dialog.getByRole("alert")).toBeFocused();
  await expect(dialog.getByLabel(/^Owner/)).toHaveValue("second@contoso.example");
  await expect(dialog.getByLabel("Reason")).toHaveValue("again");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Muted findings drop out of the "not muted" view, and show under "muted only".
  await gotoReady(page, `/findings?controlId=IAM-1&muted=false&q=${encodeURIComponent(resourceId.toLowerCase())}`);
  await expect(page.getByTestId("finding-row")).toHaveCount(0);
  await gotoReady(page, `/findings?controlId=IAM-1&muted=true&q=${encodeURIComponent(resourceId.toLowerCase())}`);
  await expect(page.getByTestId("finding-row")).toHaveCount(1);

  // The exceptions page lists it with its owner and expiry; removing it unmutes the finding.
  await gotoReady(page, "/exceptions");
  const listed = page.getByTestId("exception-row").filter({ hasText: owner });
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(resourceName);
  await expect(listed).toContainText("IAM-1");
  await expect(listed).toContainText(/in (89|90) days/);
  // Removal asks first: "Keep" leaves it in place, "Confirm removal" removes it.
  const remove = listed.getByRole("button", { name: new RegExp(`^Remove the exception for .*IAM-1.*owned by ${owner}`) });
  await remove.click();
  await listed.getByRole("button", { name: /^Keep/ }).click();
  await expect(remove).toBeFocused();
  await remove.click();
  await page.keyboard.press("Escape"); // Escape cancels too
  await expect(remove).toBeFocused();
  await remove.click();
  await expect(listed.getByRole("button", { name: /^Confirm removal/ })).toBeFocused();
  await page.keyboard.press("Enter");
  // A note says what was removed, and takes focus.
  await expect(page.getByTestId("removed-note")).toContainText(`owned by ${owner}, no longer mutes anything`);
  await expect(page.getByTestId("removed-note")).toBeFocused();
  await expect(
    page
      .getByRole("region", { name: /^Active/ })
      .getByTestId("exception-row")
      .filter({ hasText: owner }),
  ).toHaveCount(0);
  await expect(
    page
      .getByRole("region", { name: /^Removed/ })
      .getByTestId("exception-row")
      .filter({ hasText: owner }),
  ).toHaveCount(1);

  await gotoReady(page, `/findings?controlId=IAM-1&q=${encodeURIComponent(resourceId.toLowerCase())}`);
  await expect(page.getByTestId("finding-row").getByText("Muted")).toHaveCount(0);
});

test("the exception dialog refuses an empty owner and says why", async ({ page }) => {
  await gotoReady(page, "/findings?status=fail&muted=false");
  await page
    .getByTestId("finding-row")
    .first()
    .getByRole("button", { name: /Add exception/ })
    .click();
  const dialog = page.getByRole("dialog", { name: "Add an exception" });
  await dialog.getByLabel("Reason").fill("reason");
  await dialog.getByRole("button", { name: "Create exception" }).click();
  // The browser's own validation keeps the dialog open on the empty required owner.
  await expect(dialog).toBeVisible();
  expect(await dialog.getByLabel(/^Owner/).evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
});
