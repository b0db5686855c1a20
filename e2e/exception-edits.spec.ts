/**
 * Exceptions beyond one finding, in the browser: an Admin's longest exception (Settings), bulk
 * creation for a filtered findings view, edit and renew (audited old → new), creation by tag, and
 * the muting exception's owner, reason and expiry in the CSV export.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ensureDemoScan, gotoReady } from "./support";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function removeOwnedBy(request: APIRequestContext, owner: RegExp) {
  const list = (await (await request.get("/api/exceptions")).json()) as { active: { id: string; owner: string }[]; expired: { id: string; owner: string }[] };
  for (const e of [...list.active, ...list.expired]) if (owner.test(e.owner)) await request.delete(`/api/exceptions/${e.id}`);
}

test.afterEach(async ({ request }) => {
  await removeOwnedBy(request, /^e2e-bulk-|^e2e-tag-/);
  await request.put("/api/settings", { data: { exceptionMaxDays: null } });
});

test("an Admin's longest exception is enforced when exceptions are created for a filtered view, then edited and renewed", async ({ page, request }) => {
  const scan = await ensureDemoScan(request);
  const owner = `e2e-bulk-${Date.now()}@contoso.example`;
  // A control whose unmuted failures fit one bulk creation.
  const facets = (await (await request.get(`/api/scans/${scan.id}/findings?status=fail&muted=false&pageSize=1`)).json()).facets.controlId as Record<
    string,
    number
  >;
  const [control, failing] = Object.entries(facets)
    .filter(([, n]) => n > 1 && n <= 200)
    .sort((a, b) => a[1] - b[1])[0];

  // The Admin sets 30 days in Settings.
  await gotoReady(page, "/settings");
  await page.getByLabel("Longest exception").fill("30");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved. The change is in the audit trail.")).toBeVisible();

  await gotoReady(page, `/findings?status=fail&controlId=${control}`);
  const open = page.getByTestId("add-view-exceptions");
  await expect(open).toHaveText(`Add exceptions for these ${failing} findings`);
  await open.click();
  const dialog = page.getByRole("dialog", { name: `Add exceptions for ${failing} findings` });
  await dialog.getByLabel(/^Owner/).fill(owner);
  await dialog.getByLabel("Reason").fill("Rollout of the fix is scheduled; tracked in CHG-1234.");
  // Beyond the maximum: refused with the last allowed day, and nothing is created.
  await dialog.getByLabel(/^Expires/).fill(day(45));
  await dialog.getByRole("button", { name: `Create ${failing} exceptions` }).click();
  await expect(dialog.getByRole("alert")).toContainText(`Expiry: ${day(45)} is beyond the longest exception allowed: 30 days, so at most through ${day(30)}`);
  await expect(dialog.getByLabel(/^Expires/)).toBeFocused();
  await dialog.getByLabel(/^Expires/).fill(day(20));
  await dialog.getByRole("button", { name: `Create ${failing} exceptions` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("finding-row").getByText("Muted")).toHaveCount(Math.min(failing, 50));
  await expect(page.getByTestId("add-view-exceptions")).toHaveCount(0);
  const muted = await (await request.get(`/api/scans/${scan.id}/findings?status=fail&controlId=${control}&muted=true&pageSize=1`)).json();
  expect(muted.total).toBe(failing);

  // The CSV export names the muting exception's owner, reason and expiry.
  const csv = await (await request.get(`/api/scans/${scan.id}/export?format=csv`)).text();
  const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
  expect(lines[0]).toContain("exceptionOwner,exceptionReason,exceptionExpiresAt");
  expect(lines.filter((l) => l.includes(`,${owner},`) && l.endsWith(`,${day(20)}`))).toHaveLength(failing);

  // Edit one: owner and reason change in place; the row says who changed it.
  await gotoReady(page, "/exceptions");
  const row = page.getByTestId("exception-row").filter({ hasText: owner }).first();
  const id = (await row.getAttribute("data-exception-id"))!;
  await row.getByTestId("edit-exception").click();
  const edit = page.getByRole("dialog", { name: "Edit the exception" });
  await expect(edit.getByLabel(/^Owner/)).toHaveValue(owner);
  await edit.getByLabel(/^Owner/).fill(`${owner}.new`);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  const edited = page.locator(`[data-exception-id="${id}"]`);
  await expect(edited).toContainText(`${owner}.new`);
  await expect(edited.getByTestId("exception-updated")).toContainText("by local");

  // Renew it: beyond the maximum is refused, within it is saved and audited as old → new.
  await edited.getByTestId("renew-exception").click();
  const renew = page.getByRole("dialog", { name: "Renew the exception" });
  await renew.getByLabel(/^Expires/).fill(day(31));
  await renew.getByRole("button", { name: "Renew" }).click();
  await expect(renew.getByRole("alert")).toContainText(`at most through ${day(30)}`);
  await renew.getByLabel(/^Expires/).fill(day(30));
  await renew.getByRole("button", { name: "Renew" }).click();
  await expect(renew).toBeHidden();
  const audit = (await (await request.get("/api/audit?action=exception.renewed&limit=5")).json()).items as {
    target: string;
    details: Record<string, string>;
  }[];
  expect(audit.find((a) => a.target === id)?.details).toEqual({ expiresAt: `${day(20)} → ${day(30)}` });
  const updated = (await (await request.get("/api/audit?action=exception.updated&limit=5")).json()).items as {
    target: string;
    details: Record<string, string>;
  }[];
  expect(updated.find((a) => a.target === id)?.details).toEqual({ owner: `${owner} → ${owner}.new` });
});

test("an exception by tag mutes that tag's resources for the chosen control", async ({ page, request }) => {
  const scan = await ensureDemoScan(request);
  const owner = `e2e-tag-${Date.now()}@contoso.example`;
  // A tag value that some failing CMK-1 resources carry: find one through a resource's tags.
  const fail = (await (await request.get(`/api/scans/${scan.id}/findings?status=fail&controlId=CMK-1&muted=false&pageSize=1`)).json()).items[0];
  const detail = await (await request.get(`/api/resources${fail.resourceId}?scan=${scan.id}`)).json();
  const [tagName, tagValue] = Object.entries(detail.resource.tags as Record<string, string>)[0];

  await gotoReady(page, "/exceptions");
  await page.getByTestId("add-tag-exception").click();
  const dialog = page.getByRole("dialog", { name: "Add an exception by tag" });
  await dialog.getByLabel("Tag name").fill(tagName.toUpperCase());
  await dialog.getByLabel(/^Tag value/).fill(tagValue);
  await dialog.getByLabel("Control").selectOption("CMK-1");
  await dialog.getByLabel(/^Owner/).fill(owner);
  await dialog.getByLabel("Reason").fill("This team's keys move to the HSM vault next quarter.");
  await dialog.getByRole("button", { name: "Create exception" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("exception-row").filter({ hasText: owner });
  await expect(row).toContainText(`Tag: ${tagName.toUpperCase()} = ${tagValue}`);
  await expect(row).toContainText("CMK-1");
  const after = await (await request.get(`/api/scans/${scan.id}/findings?controlId=CMK-1&q=${encodeURIComponent(fail.resourceId.toLowerCase())}`)).json();
  expect(after.items[0]).toMatchObject({ muted: true });
});
