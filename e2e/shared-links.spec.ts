/**
 * Shared links pin their scan: "Copy link to this scan" on the findings, overview and resource
 * pages carries `scan=<id>`, so a later scan does not change what the recipient sees, and
 * "Copy link to the latest scan" stays available.
 */
import { expect, test, type Page } from "@playwright/test";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { demoSnapshot, ensureDemoScan, gotoReady, latestScan, resourcePath, uploadSnapshot } from "./support";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

async function copied(page: Page, testId: string): Promise<URL> {
  await page.getByTestId(testId).first().click();
  await expect(page.getByTestId(testId).first()).toHaveText("Copied");
  return new URL(await page.evaluate(() => navigator.clipboard.readText()));
}

test("findings, overview and resource links copied before a new scan still show the scan they were copied from", async ({ page, request }) => {
  const pinnedScan = await ensureDemoScan(request);
  // The findings explorer on the latest scan, filtered: the copied link keeps the filters and adds the scan.
  await gotoReady(page, "/findings?status=fail&controlId=IAM-1");
  const total = (await page.getByTestId("findings-total").innerText()).trim();
  const findingsLink = await copied(page, "copy-pinned-link");
  expect(findingsLink.pathname).toBe("/findings");
  expect(findingsLink.searchParams.get("scan")).toBe(pinnedScan.id);
  expect(findingsLink.searchParams.getAll("status")).toEqual(["fail"]);
  expect(findingsLink.searchParams.getAll("controlId")).toEqual(["IAM-1"]);
  const latestLink = await copied(page, "copy-latest-link");
  expect(latestLink.searchParams.has("scan")).toBe(false);
  expect(latestLink.searchParams.getAll("controlId")).toEqual(["IAM-1"]);

  await gotoReady(page, "/");
  const overviewLink = await copied(page, "copy-pinned-link");
  expect(overviewLink.pathname).toBe("/");
  expect(overviewLink.searchParams.get("scan")).toBe(pinnedScan.id);

  const resourceId = (await (await request.get(`/api/scans/${pinnedScan.id}/findings?pageSize=1`)).json()).items[0].resourceId as string;
  await gotoReady(page, resourcePath(resourceId));
  const resourceLink = await copied(page, "copy-pinned-link");
  expect(resourceLink.searchParams.get("scan")).toBe(pinnedScan.id);

  // A new scan arrives: a snapshot in which every account passes IAM-1.
  const snap = demoSnapshot();
  for (const r of snap.resources.filter(isSpeechAccount)) (r.properties as Record<string, unknown>).disableLocalAuth = true;
  const newer = await uploadSnapshot(request, snap);
  expect((await latestScan(request))?.id).toBe(newer.id);

  // The pinned findings link still shows the old scan's failures; the latest link shows none.
  await gotoReady(page, findingsLink.pathname + findingsLink.search);
  await expect(page.getByTestId("findings-total")).toHaveText(total);
  expect(Number(total.replace(/\D/g, ""))).toBeGreaterThan(0);
  await expect(page.getByRole("link", { name: "show the latest scan" })).toBeVisible();
  await gotoReady(page, latestLink.pathname + latestLink.search);
  await expect(page.getByTestId("findings-total")).toHaveText("0");

  // The pinned overview says it is not the latest and links to it.
  await gotoReady(page, overviewLink.pathname + overviewLink.search);
  await expect(page.getByTestId("pinned-note")).toHaveText("not the latest scan");
  await gotoReady(page, "/?scan=no-such-scan");
  await expect(page.getByText("Scan no-such-scan does not exist")).toBeVisible();

  // The pinned resource page shows the old verdict.
  await gotoReady(page, resourceLink.pathname + resourceLink.search);
  await expect(page.getByText("This is not the newest scan of this resource")).toBeVisible();

  // Leave the demo collection as the latest for the other tests.
  await ensureDemoScan(request);
});
