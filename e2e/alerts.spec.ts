import { expect, test } from "@playwright/test";
import { startReceiver, type Receiver } from "@/lib/webhooks/testing/receiver";
import { expectAccessible, gotoReady } from "./support";

const SECRET = "e2e-signing-secret-0123456789";

test("alerts: an Admin adds a destination (refused on loopback until allowed), sees its secrets masked, adds a rule and finds a test message in the delivery log", async ({
  page,
  request,
}) => {
  const receiver: Receiver = await startReceiver({ secret: SECRET });
  const before = await (await request.get("/api/settings")).json();
  const name = `SIEM ${Date.now()}`;
  try {
    await gotoReady(page, "/settings");
    await page.getByRole("link", { name: "Alerts" }).click();
    await expect(page).toHaveURL(/\/settings\/alerts$/);
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();

    const destForm = page.getByRole("form", { name: "New destination" });
    const fillDestination = async () => {
      await destForm.getByLabel("Name").fill(name);
      await destForm.getByLabel("Kind").selectOption("webhook");
      await destForm.getByLabel("URL").fill(receiver.url);
      await destForm.getByLabel("Signing secret").fill(SECRET);
      await destForm.getByLabel(/^CA certificate/).fill(receiver.ca);
    };
    // Loopback is refused until an Admin allows it.
    await fillDestination();
    await destForm.getByRole("button", { name: "Add destination" }).click();
    await expect(destForm.getByRole("alert")).toContainText("127.0.0.1 is a loopback address");
    await expect(destForm.getByLabel("URL")).toBeFocused();

    const settingsForm = page.getByRole("form", { name: "Alert settings" });
    await settingsForm.getByLabel("Public address of this dashboard").fill("https://posture.example.com");
    await settingsForm.getByLabel("Allowed private networks").fill("127.0.0.1/32");
    await settingsForm.getByRole("button", { name: "Save alert settings" }).click();
    await expect(settingsForm.getByRole("status")).toHaveText("Saved. The change is in the audit trail.");

    await fillDestination();
    await destForm.getByRole("button", { name: "Add destination" }).click();
    await expect(destForm.getByRole("status")).toHaveText(`Destination ${name} added.`);
    const row = page.getByTestId("destination-row").filter({ hasText: name });
    await expect(row).toContainText(/https:\/\/127\.0\.0\.1:\d+\/…/);
    await expect(row).toContainText("set (hidden)");
    // Neither the page nor the API shows the URL's token or the secret again.
    const html = await page.content();
    expect(html).not.toContain("t0ken");
    expect(html).not.toContain(SECRET);
    const api = await (await request.get("/api/alerts")).text();
    expect(api).toContain(name);
    expect(api).not.toContain("t0ken");
    expect(api).not.toContain(SECRET);

    const ruleForm = page.getByRole("form", { name: "New rule" });
    await ruleForm.getByLabel("Name").fill(`${name} broken scans`);
    await ruleForm.getByLabel("When").selectOption("scan_degraded");
    await ruleForm.getByRole("checkbox", { name }).check();
    await ruleForm.getByRole("button", { name: "Add rule" }).click();
    await expect(ruleForm.getByRole("status")).toHaveText(`Rule ${name} broken scans added.`);
    await expect(page.getByTestId("rule-row").filter({ hasText: `${name} broken scans` })).toContainText(`A scan fails, or reads less than the one before`);

    await row.getByRole("button", { name: "Send test" }).click();
    await expect(row.getByRole("form", { name: `Send a test message to ${name}` }).getByRole("status")).toHaveText("Test message delivered (HTTP 200).");
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].signatureValid).toBe(true);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({
      title: "Test alert from Speech Posture",
      url: "https://posture.example.com/settings/alerts",
    });

    await page.reload();
    const delivery = page.getByTestId("delivery-row").filter({ hasText: name }).first();
    await expect(delivery).toContainText("Test alert from Speech Posture");
    await expect(delivery).toContainText("delivered (HTTP 200)");
    // With rows in every table and every form shown.
    await expectAccessible(page, "/settings/alerts");
  } finally {
    const origin = new URL(page.url()).origin;
    const alerts = await (await request.get("/api/alerts")).json();
    for (const r of alerts.rules.filter((r: { name: string }) => r.name.startsWith(name)))
      await request.delete(`/api/alerts/rules/${r.id}`, { headers: { origin } });
    for (const d of alerts.destinations.filter((d: { name: string }) => d.name === name))
      await request.delete(`/api/alerts/destinations/${d.id}`, { headers: { origin } });
    await request.put("/api/settings", {
      data: { publicBaseUrl: before.publicBaseUrl, alertPrivateNetworks: before.alertPrivateNetworks },
      headers: { origin },
    });
    await receiver.close();
  }
});
