/**
 * Several tenants end to end: scan targets added on the Settings page (a refused one names its
 * field), a scan of the emulator's three tenants through those targets, the overview's tenants
 * (all, then one) and the findings' tenant filter. The e2e emulator serves three tenants with a
 * Lighthouse delegation (playwright.config.ts); the targets are removed again at the end, and a
 * plain demo scan is made so later tests see the demo as before.
 */
import { expect, test, type Page } from "@playwright/test";
import { generateEstate, LIGHTHOUSE_CLIENT_ID } from "@/emulator/estate";
import { gotoReady, runEmulatorScan, waitForScan } from "./support";

// The e2e emulator's estate (same seed and sizes as `speech-posture emulator --tenants 3`).
const estate = generateEstate(3);
const [home, customer, third] = [estate.home, ...estate.others];
const visibleCount = (t: typeof home) => t.subscriptions.filter((s) => s.visible).length;

async function addTarget(page: Page, fields: { name: string; tenantId: string; kind: string; clientId?: string; secretEnv?: string }) {
  const form = page.getByRole("form", { name: "Add scan target" });
  await form.getByLabel("Name").fill(fields.name);
  await form.getByLabel("Tenant ID").fill(fields.tenantId);
  await form.getByLabel("Credential").selectOption(fields.kind);
  if (fields.clientId !== undefined) await form.getByLabel("Client ID").fill(fields.clientId);
  if (fields.secretEnv !== undefined) await form.getByLabel("Environment variable holding the secret").fill(fields.secretEnv);
  await form.getByRole("button", { name: "Add target" }).click();
}

test("scan targets on Settings, a scan of three tenants, and the tenant filter on the overview and findings", async ({ page, request }) => {
  test.setTimeout(180_000);
  try {
    // A plain demo scan first, so the estate scan has one before it to compare with.
    await runEmulatorScan(request);
    await gotoReady(page, "/settings");
    const panel = page.locator("#scan-targets");
    await expect(panel.getByTestId("no-targets")).toBeVisible();

    // A refused target names its field, keeps what was typed, and writes nothing.
    await addTarget(page, {
      name: "Contoso",
      tenantId: "contoso.onmicrosoft.com",
      kind: "client-secret",
      clientId: LIGHTHOUSE_CLIENT_ID,
      secretEnv: "CONTOSO_SECRET",
    });
    await expect(panel.getByRole("alert")).toContainText("Tenant ID:");
    await expect(panel.getByRole("alert")).toContainText("is not a GUID");
    await expect(panel.getByLabel("Tenant ID")).toHaveAttribute("aria-invalid", "true");
    await expect(panel.getByLabel("Tenant ID")).toHaveValue("contoso.onmicrosoft.com");
    await expect(panel.getByTestId("no-targets")).toBeVisible();

    // The managing tenant, through its Lighthouse principal (the secret stays in an environment variable).
    await panel.getByLabel("Tenant ID").fill(home.tenantId);
    await panel.getByRole("button", { name: "Add target" }).click();
    await expect(panel.getByRole("status")).toContainText("Added Contoso.");
    const table = panel.getByTestId("targets-table");
    await expect(table.getByRole("row", { name: /Contoso/ })).toContainText("client-secret ($CONTOSO_SECRET)");
    // A third tenant through the Azure CLI, scoped to its management group.
    await addTarget(page, { name: "Northwind", tenantId: third.tenantId, kind: "azure-cli" });
    await expect(panel.getByRole("status")).toContainText("Added Northwind.");
    await table.getByRole("button", { name: "Edit Northwind" }).click();
    const edit = page.getByRole("form", { name: "Edit scan target" });
    await edit.getByLabel("Scope").selectOption("managementGroups");
    await edit.getByLabel("Management group IDs").fill("mg-contoso");
    await edit.getByRole("button", { name: "Save target" }).click();
    await expect(panel.getByRole("status")).toContainText("Saved Northwind.");
    await expect(table.getByRole("row", { name: /Northwind/ })).toContainText("management groups mg-contoso");
    const audit = await (await request.get("/api/audit?limit=5")).json();
    expect(audit.items.map((e: { action: string }) => e.action).slice(0, 3)).toEqual(["target.changed", "target.added", "target.added"]);

    // A scan collects both targets; the delegated customer subscription is reported under its own tenant.
    const started = await request.post("/api/scans", { data: { source: "emulator" } });
    expect(started.status(), await started.text()).toBe(202);
    const scan = await waitForScan(request, ((await started.json()) as { id: string }).id);
    expect(scan.status, scan.error ?? "").toBe("succeeded");

    await gotoReady(page, "/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Estate overview");
    const tenants = page.locator("#tenants");
    await expect(tenants.getByRole("row", { name: /Contoso/ })).toContainText(String(visibleCount(home)));
    await expect(tenants.getByRole("row", { name: /Northwind/ })).toContainText(String(visibleCount(third)));
    await expect(tenants.locator(`tr[data-tenant="${customer.tenantId}"]`)).toBeVisible();
    // Then one: the selector narrows the subscriptions to that tenant's.
    await page.getByLabel("Tenant", { exact: true }).selectOption(third.tenantId);
    await expect(page).toHaveURL(new RegExp(`[?&]tenant=${third.tenantId}`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Northwind");
    await expect(page.getByTestId("tenant-selector").getByTestId("tenant-score")).toContainText(`${visibleCount(third)} subscriptions`);
    // The headline figures are that tenant's, and their links keep it.
    await expect(page.getByText("Score of this tenant", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: /^\d+ high$/ })).toHaveAttribute("href", new RegExp(`tenant=${third.tenantId}`, "i"));
    const subRows = page.locator("#subscriptions tbody tr");
    await expect(subRows).toHaveCount(visibleCount(third));
    const thirdSubs = new Set(third.subscriptions.map((s) => s.subscriptionId));
    for (const text of await page.locator("#subscriptions tbody tr td:first-child .font-mono").allInnerTexts()) expect(thirdSubs.has(text.trim())).toBe(true);
    // "Since the previous scan" and its full diff are that tenant's too.
    await page.locator("#changes").getByRole("link", { name: "Full diff" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]tenant=${third.tenantId}`, "i"));
    await expect(page.getByTestId("diff-tenant")).toContainText(third.tenantId.toLowerCase());
    const compared = new URL(page.url()).searchParams;
    const tenantDiff = await (await request.get(`/api/scans/${compared.get("to")}/diff?against=${compared.get("from")}&tenant=${third.tenantId}`)).json();
    expect(tenantDiff.newFailures.length).toBeGreaterThan(0);
    const thirdLower = new Set([...thirdSubs].map((id) => id.toLowerCase()));
    for (const f of tenantDiff.newFailures as { subscriptionId: string }[]) expect(thirdLower.has(f.subscriptionId.toLowerCase())).toBe(true);

    // The findings' tenant filter: only that tenant's subscriptions are offered and matched.
    await gotoReady(page, `/findings?tenant=${customer.tenantId}`);
    const subscriptionOptions = await page.getByLabel("Subscription").locator("option").allInnerTexts();
    expect(subscriptionOptions.length).toBe(2); // "All subscriptions" and the one delegated subscription
    await expect(page.getByLabel("Tenant", { exact: true })).toHaveValue(customer.tenantId);
    const api = await (await request.get(`/api/scans/${scan.id}/findings?tenant=${customer.tenantId}&pageSize=500`)).json();
    expect(api.total).toBeGreaterThan(0);
    const delegated = estate.delegations[0].subscriptionId.toLowerCase();
    expect(api.items.every((f: { subscriptionId: string }) => f.subscriptionId.toLowerCase() === delegated)).toBe(true);
    await page.getByLabel("Tenant", { exact: true }).selectOption("");
    await expect(page).not.toHaveURL(/tenant=/);

    // An exception for one tenant of the estate mutes that tenant's findings and no other's.
    await gotoReady(page, "/exceptions");
    await page.getByTestId("add-tenant-exception").click();
    const dialog = page.getByRole("dialog", { name: "Add an exception for a tenant" });
    await dialog.getByLabel("Tenant").selectOption(third.tenantId.toLowerCase());
    await dialog.getByLabel("Control").selectOption("NET-1");
    await dialog.getByLabel(/^Owner/).fill("northwind-owner@example.com");
    await dialog.getByLabel(/^Reason/).fill("Northwind's voice lab is open by design until its move");
    await dialog.getByRole("button", { name: "Create exception" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row", { name: /northwind-owner@example\.com/ });
    await expect(row).toContainText("Tenant");
    await expect(row).toContainText("Northwind");
    const mutedNow = await (await request.get(`/api/scans/${scan.id}/findings?muted=true&controlId=NET-1&pageSize=500`)).json();
    expect(mutedNow.total).toBeGreaterThan(0);
    for (const f of mutedNow.items as { subscriptionId: string }[]) expect(thirdLower.has(f.subscriptionId.toLowerCase())).toBe(true);
    const created = (await (await request.get("/api/exceptions")).json()) as { active: { id: string; owner: string }[] };
    const ex = created.active.find((e) => e.owner === "northwind-owner@example.com")!;
    expect((await request.delete(`/api/exceptions/${ex.id}`)).status()).toBe(200);

    // Remove both targets on Settings.
    await gotoReady(page, "/settings");
    await page.getByRole("button", { name: "Remove Contoso" }).click();
    await expect(page.locator("#scan-targets").getByRole("status")).toContainText("Removed the target");
    await page.getByRole("button", { name: "Remove Northwind" }).click();
    await expect(page.locator("#scan-targets").getByTestId("no-targets")).toBeVisible();
  } finally {
    // Whatever happened above, later tests get no targets and a plain demo scan.
    await gotoReady(page, "/settings");
    for (const name of ["Contoso", "Northwind"]) {
      const button = page.getByRole("button", { name: `Remove ${name}` });
      if (await button.count()) {
        await button.click();
        await expect(button).toHaveCount(0);
      }
    }
    await runEmulatorScan(request);
  }
});
