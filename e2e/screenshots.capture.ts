/**
 * The README screenshots, 1280 px wide, from the demo tenant: a short history of snapshots (the
 * tenant getting better) and then a live collection from the emulator, so the trend and "what
 * changed" have something to show.
 */
import { expect, test } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { demoSnapshot, gotoReady, runEmulatorScan, uploadSnapshot } from "./support";

const out = (name: string) => fileURLToPath(new URL(`../docs/images/${name}`, import.meta.url));

test.use({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });

test("capture the overview, the findings explorer and a resource page", async ({ page, request }) => {
  test.setTimeout(180_000);
  // Older states of the same tenant: more accounts open to the internet, with key auth on and no outbound limits.
  for (const every of [1, 2, 4]) {
    const snap = demoSnapshot();
    let i = 0;
    for (const d of snap.resources) {
      if (d.type?.toLowerCase() !== "microsoft.cognitiveservices/accounts") continue;
      if (i++ % every !== 0) continue;
      const p = d.properties as Record<string, unknown>;
      p.publicNetworkAccess = "Enabled";
      p.networkAcls = { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] };
      p.disableLocalAuth = false;
      p.restrictOutboundNetworkAccess = false;
    }
    await uploadSnapshot(request, snap);
  }
  const scan = await runEmulatorScan(request);

  await gotoReady(page, "/");
  await expect(page.getByRole("heading", { name: "Tenant overview" })).toBeVisible();
  await page.screenshot({ path: out("ui-overview.png"), fullPage: true });

  await gotoReady(page, "/findings?status=fail&group=control&pageSize=25");
  await expect(page.getByTestId("finding-row").first()).toBeVisible();
  await page.screenshot({ path: out("ui-findings.png"), fullPage: true });

  // A resource with customer-managed storage keys but an open storage firewall: a mixed picture.
  const cmk = (await (await request.get(`/api/scans/${scan.id}/findings?controlId=CMK-2&status=pass&pageSize=500`)).json()) as {
    items: { resourceId: string }[];
  };
  const open = (await (await request.get(`/api/scans/${scan.id}/findings?controlId=NET-3&status=fail&pageSize=500`)).json()) as {
    items: { resourceId: string }[];
  };
  const openIds = new Set(open.items.map((f) => f.resourceId.toLowerCase()));
  const pick = cmk.items.find((f) => openIds.has(f.resourceId.toLowerCase())) ?? cmk.items[0];
  await gotoReady(page, `/resources/${pick.resourceId.split("/").filter(Boolean).map(encodeURIComponent).join("/")}`);
  await expect(page.getByTestId("chain-node-storage").first()).toBeVisible();
  await page.screenshot({ path: out("ui-resource.png"), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1400 } });
});
