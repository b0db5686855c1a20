import { expect, test } from "@playwright/test";
import { demoSnapshot, gotoReady, uploadSnapshot } from "./support";

test("diff two scans: one resource opened to the public shows as exactly one new failure", async ({ page, request }) => {
  const base = demoSnapshot();
  // Pick an account whose network is closed (NET-1 passes) and open it in the second snapshot.
  const changed = structuredClone(base);
  const target = changed.resources.find(
    (d) => d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" && (d.properties as Record<string, unknown> | undefined)?.publicNetworkAccess === "Disabled",
  );
  expect(target?.id, "the demo tenant has an account with public network access disabled").toMatch(/\/accounts\//i);
  const props = target!.properties as Record<string, unknown>;
  props.publicNetworkAccess = "Enabled";
  props.networkAcls = { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] };

  const older = await uploadSnapshot(request, base);
  const newer = await uploadSnapshot(request, changed);

  await gotoReady(page, "/scans");
  await page.getByLabel("Older scan").selectOption(older.id);
  await page.getByLabel("Newer scan").selectOption(newer.id);
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${older.id}&to=${newer.id}`));

  const diff = page.getByTestId("diff-view");
  await expect(diff.getByTestId("diff-new-failures")).toHaveText("1");
  await expect(diff.getByTestId("diff-resolved")).toHaveText("0");
  await expect(diff.getByTestId("diff-changed")).toHaveText("0");
  const newFailures = page.getByRole("region", { name: /^New failures/ });
  await expect(newFailures.getByRole("listitem")).toHaveCount(1);
  await expect(newFailures.getByRole("listitem")).toContainText("NET-1");
  await expect(newFailures.getByRole("listitem")).toContainText(String(target!.name));

  // Swapping the picks compares the same way round (older → newer).
  await gotoReady(page, `/scans?from=${newer.id}&to=${older.id}`);
  await expect(page.getByTestId("diff-view").getByTestId("diff-new-failures")).toHaveText("1");
});
