import { expect, test } from "@playwright/test";
import { ensureDemoScan, gotoReady, latestScan } from "./support";

test("the audit trail lists who did what, newest first, filters by action and reports a bad link", async ({ page, request }) => {
  await ensureDemoScan(request);
  // Something to find: a download is audited.
  const latest = (await latestScan(request))!;
  expect((await request.get(`/api/scans/${latest.id}/export?format=csv`)).status()).toBe(200);

  await gotoReady(page, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit trail" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  // Newest first: the export just made is at the top, with its actor and details.
  await expect(rows.first()).toHaveAttribute("data-action", "report.exported");
  await expect(rows.first()).toContainText("Report or export downloaded");
  await expect(rows.first()).toContainText(latest.id);
  await expect(rows.first()).toContainText("format: csv");
  await expect(rows.first().getByRole("link", { name: latest.id })).toHaveAttribute("href", `/findings?scan=${latest.id}`);

  await page.getByLabel("Action").selectOption("scan.started");
  await expect(page).toHaveURL(/action=scan\.started/);
  await expect(rows.first()).toBeVisible();
  expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action"))))).toEqual(new Set(["scan.started"]));

  await gotoReady(page, "/audit?action=nope&before=abc");
  await expect(page.getByText(/Ignored “action”: expected one of scan\.started/)).toBeVisible();
  await expect(page.getByText(/Ignored “before”/)).toBeVisible();
  await expect(rows.first()).toBeVisible();
});
