import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { demoSnapshot, gotoReady, uploadSnapshot } from "./support";

test("diff two scans: one resource opened to the public shows as exactly one new failure", async ({ page, request }) => {
  const base = demoSnapshot();
  // Pick an account whose network is closed (NET-1 passes) and open it in the second snapshot.
  const changed = structuredClone(base);
  const target = changed.resources.find(
    (d) =>
      d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" &&
      (d.properties as Record<string, unknown> | undefined)?.publicNetworkAccess === "Disabled",
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
  await expect(page.getByLabel("Older scan")).toHaveValue(older.id);
  await expect(page.getByLabel("Newer scan")).toHaveValue(newer.id);
});

test("a snapshot of one subscription is compared only on that subscription; what it lacks links to the older scan", async ({ page, request }) => {
  const full = demoSnapshot();
  const keep = full.subscriptions[0].subscriptionId.toLowerCase();
  const inKeep = (d: { id: string }) => d.id.toLowerCase().startsWith(`/subscriptions/${keep}/`);
  const partial = { ...structuredClone(full), subscriptions: full.subscriptions.filter((s) => s.subscriptionId.toLowerCase() === keep) };
  partial.resources = partial.resources.filter(inKeep);
  const older = await uploadSnapshot(request, full);
  const newer = await uploadSnapshot(request, partial);

  await gotoReady(page, `/scans?from=${older.id}&to=${newer.id}`);
  const diff = page.getByTestId("diff-view");
  await expect(diff.getByTestId("diff-scope")).toContainText(`Compared the 1 subscription both scans covered`);
  await expect(diff.getByTestId("diff-scope")).toContainText(`${full.subscriptions.length - 1} only in the older scan`);
  await expect(diff.getByTestId("diff-resolved")).toHaveText("0");
  await expect(diff.getByTestId("diff-removed")).toHaveText("0");

  // While the partial scan is the latest, another subscription's report falls back to the older scan
  // that read it, and its links stay on that scan.
  const other = full.subscriptions[1].subscriptionId;
  await gotoReady(page, `/subscriptions/${other}`);
  await expect(page.getByTestId("older-scan-note")).toContainText("The latest scan did not read this subscription");
  const firstResource = page.locator(`a[href^="/resources/"]`).first();
  await expect(firstResource).toHaveAttribute("href", new RegExp(`scan=${older.id}`));
  // A resource link naming a scan that does not exist says so, and offers the latest scan that has it.
  const someAccount = full.resources.find((d) => !inKeep(d) && d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts")!;
  await gotoReady(page, `/resources${someAccount.id}?scan=nope`);
  await expect(page.getByText("Scan nope does not exist")).toBeVisible();
  await page.getByRole("link", { name: "Show the resource in the latest scan that has it" }).click();
  await expect(page.getByRole("region", { name: /^Where the customer data is/ })).toBeVisible();

  // Back to the whole tenant: the resources the partial scan lacked are new to the comparison only in
  // the subscription both read (none), and an account gone from there links to the scan that had it.
  const gone = full.resources.find((d) => inKeep(d) && d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts")!;
  const without = { ...structuredClone(full), resources: full.resources.filter((d) => d.id !== gone.id) };
  const latest = await uploadSnapshot(request, without);
  await gotoReady(page, `/scans?from=${newer.id}&to=${latest.id}`);
  const goneItem = page
    .getByRole("region", { name: /^(Resolved|Gone)/ })
    .getByRole("link", { name: String(gone.name) })
    .first();
  await expect(goneItem).toHaveAttribute("href", new RegExp(`scan=${newer.id}`));
  await goneItem.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(String(gone.name));
  await expect(page.getByRole("region", { name: /^Where the customer data is/ })).toBeVisible();
  await expect(page.getByText("This resource is not in any stored scan")).toHaveCount(0);
});

test("a deleted failing resource is gone, not resolved: listed apart, named on the overview, and the diff exports as CSV and JSON", async ({
  page,
  request,
}) => {
  const base = demoSnapshot();
  const accounts = base.resources.filter(
    (d) => d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" && String(d.kind).toLowerCase() === "speechservices",
  );
  const [fixed, deleted] = accounts;
  (fixed.properties as Record<string, unknown>).disableLocalAuth = false;
  (deleted.properties as Record<string, unknown>).disableLocalAuth = false; // it fails IAM-1 at least
  const next = structuredClone(base);
  next.resources = next.resources.filter((d) => d.id !== deleted.id);
  (next.resources.find((d) => d.id === fixed.id)!.properties as Record<string, unknown>).disableLocalAuth = true;
  const older = await uploadSnapshot(request, base);
  const newer = await uploadSnapshot(request, next);

  await gotoReady(page, `/scans?from=${older.id}&to=${newer.id}`);
  const diff = page.getByTestId("diff-view");
  await expect(diff.getByTestId("diff-gone-resources")).toHaveText("1");
  // Only the fixed account's verdicts are resolved; nothing of the deleted one is.
  const resolved = page.getByRole("region", { name: /^Resolved/ });
  const resolvedItems = resolved.getByRole("listitem");
  const n = await resolvedItems.count();
  expect(n).toBeGreaterThan(0);
  await expect(diff.getByTestId("diff-resolved")).toHaveText(String(n));
  for (let i = 0; i < n; i++) await expect(resolvedItems.nth(i)).toContainText(String(fixed.name));
  await expect(resolved).not.toContainText(String(deleted.name));
  // Which property changed, before → after.
  const iam1 = resolvedItems.filter({ hasText: "IAM-1" });
  await expect(iam1.getByTestId("evidence-change")).toHaveText(/account properties\.disableLocalAuth: false\s*→\s*changed to true/);
  const gone = page.getByRole("region", { name: /^Gone resources/ });
  await expect(gone.getByTestId("gone-resource")).toHaveCount(1);
  await expect(gone.getByTestId("gone-resource")).toHaveAttribute("data-resource-id", deleted.id);
  await expect(gone.getByTestId("gone-resource")).toContainText("not resolved");
  await expect(diff.getByTestId("diff-score")).toContainText("Score over the resources both scans hold");

  // The export buttons download the same diff.
  const [csv] = await Promise.all([page.waitForEvent("download"), diff.getByTestId("diff-export").getByRole("link", { name: "CSV" }).click()]);
  expect(csv.suggestedFilename()).toBe(`speech-posture-diff-${older.id}-to-${newer.id}.csv`);
  const text = (await readFile((await csv.path())!, "utf8")).replace(/^\uFEFF/, "");
  const rows = text.trim().split("\r\n");
  expect(rows[0]).toBe("change,subscriptionId,resourceId,resourceName,controlId,severity,from,to,ruleChange,evidenceChanged");
  expect(rows.filter((r) => r.startsWith("resolved,"))).toHaveLength(n);
  expect(rows.filter((r) => r.startsWith("gone,")).every((r) => r.includes(deleted.id))).toBe(true);
  expect(rows.some((r) => r.startsWith("gone,"))).toBe(true);
  const [json] = await Promise.all([page.waitForEvent("download"), diff.getByTestId("diff-export").getByRole("link", { name: "JSON" }).click()]);
  const body = JSON.parse(await readFile((await json.path())!, "utf8"));
  expect(body).toMatchObject({ kind: "speech-posture.diff", from: { id: older.id }, to: { id: newer.id }, counts: { resolved: n, goneResources: 1 } });

  // The overview (the newer scan is the latest posture) says a resource is gone and that its failures are not resolved.
  await gotoReady(page, "/");
  const changes = page.getByRole("region", { name: /^Since the previous scan/ });
  await expect(changes.getByTestId("resolved")).toHaveText(String(n));
  await expect(changes.getByTestId("gone-resources")).toHaveText("1");
  await expect(changes.getByTestId("gone-note")).toContainText("not counted as resolved");
});
