import { expect, test } from "@playwright/test";
import { gotoReady } from "./support";

test("settings: save a weekly schedule and retention, see the next runs, refuse a bad cron, and find the change audited", async ({ page, request }) => {
  const before = await (await request.get("/api/settings")).json();
  try {
    await gotoReady(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings$/);

    await page.getByRole("button", { name: "Weekly, Monday 06:00 UTC" }).click();
    await expect(page.getByRole("textbox", { name: /^Schedule/ })).toHaveValue("0 6 * * 1");
    await expect(page.getByRole("textbox", { name: /^Schedule/ })).toBeFocused();
    await page.getByLabel("Keep the newest").fill("40");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByTestId("next-runs").getByRole("listitem")).toHaveCount(3);
    // Every next run is a Monday at 06:00 UTC.
    for (const text of await page.getByTestId("next-runs").getByRole("listitem").allInnerTexts()) {
      const at = new Date(Date.parse(text.replace(",", "")));
      expect([at.getUTCDay(), at.getUTCHours(), at.getUTCMinutes()], text).toEqual([1, 6, 0]);
    }
    expect(await (await request.get("/api/settings")).json()).toMatchObject({ scheduleCron: "0 6 * * 1", retentionKeep: 40 });
    // Audited as old → new, for what changed only.
    expect(before.retentionKeep).not.toBe(40);
    const audit = await (await request.get("/api/audit?action=settings.changed&limit=1")).json();
    expect(audit.items[0].details).toEqual({ scheduleCron: `${before.scheduleCron ?? "none"} → 0 6 * * 1`, retentionKeep: `${before.retentionKeep} → 40` });

    await page.getByRole("textbox", { name: /^Schedule/ }).fill("every monday");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Schedule: not a valid cron expression; use five fields" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: /^Schedule/ })).toHaveAttribute("aria-invalid", "true");
    // The refused input stays in the field to be corrected, and has focus.
    await expect(page.getByRole("textbox", { name: /^Schedule/ })).toHaveValue("every monday");
    await expect(page.getByRole("textbox", { name: /^Schedule/ })).toBeFocused();

    // Live Azure is refused on a server without Azure credentials (this one).
    await page.getByLabel("Scheduled scans read").selectOption("live");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "this server has no Azure credentials" })).toBeVisible();
    await expect(page.getByLabel("Scheduled scans read")).toBeFocused();

    // A choice in the select survives a save, and a later save of another field keeps it.
    await page.getByRole("textbox", { name: /^Schedule/ }).fill("0 6 * * 1");
    await page.getByLabel("Scheduled scans read").selectOption("emulator");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(async () => (await (await request.get("/api/settings")).json()).scheduleSource).toBe("emulator");
    await expect(page.getByLabel("Scheduled scans read")).toHaveValue("emulator");
    await page.getByLabel("Keep the newest").fill("41");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(async () => (await (await request.get("/api/settings")).json()).retentionKeep).toBe(41);
    expect((await (await request.get("/api/settings")).json()).scheduleSource).toBe("emulator");
    expect((await (await request.get("/api/settings")).json()).scheduleCron).toBe("0 6 * * 1");
  } finally {
    const restore = await request.put("/api/settings", { data: before, headers: { origin: new URL(page.url()).origin } });
    expect(restore.status()).toBe(200);
  }
});

test("settings: check access with the scanning identity, as `speech-posture doctor` does, and find it audited", async ({ page, request }) => {
  await gotoReady(page, "/settings");
  const panel = page.locator("#access-check");
  await panel.getByRole("button", { name: "Check access now" }).click();
  const report = panel.getByTestId("access-report");
  // The demo's scanner reads the whole home tenant: no gap, and every check named.
  await expect(report.getByRole("heading", { level: 3 })).toContainText("No gap: every control can be judged (emulator");
  for (const title of ["Subscriptions", "Role assignments", "Diagnostic settings"])
    await expect(report.getByRole("rowheader", { name: new RegExp(title, "i") }).first()).toBeVisible();
  await expect(report.locator('[data-testid="access-check"][data-status="gap"]')).toHaveCount(0);
  const audit = await (await request.get("/api/audit?action=access.checked&limit=1")).json();
  expect(audit.items[0]).toMatchObject({ action: "access.checked", target: "emulator" });
});
