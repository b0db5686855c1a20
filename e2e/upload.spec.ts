import { expect, test } from "@playwright/test";
import { gotoReady, latestScan } from "./support";

/** A one-resource snapshot: a Speech account with Microsoft-managed keys and public access. */
function smallSnapshot(name: string) {
  const sub = "00000000-0000-4000-8000-00000000e2e0";
  return {
    kind: "speech-posture.snapshot",
    version: 1,
    collectedAt: new Date().toISOString(),
    subscriptions: [{ subscriptionId: sub, displayName: "e2e-upload", state: "Enabled" }],
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
    resources: [
      {
        id: `/subscriptions/${sub}/resourceGroups/rg-e2e/providers/Microsoft.CognitiveServices/accounts/${name}`,
        name,
        type: "Microsoft.CognitiveServices/accounts",
        kind: "SpeechServices",
        location: "westeurope",
        subscriptionId: sub,
        resourceGroup: "rg-e2e",
        properties: { publicNetworkAccess: "Enabled" },
      },
    ],
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
  };
}

test("upload a snapshot with the file picker: it is evaluated and stored as a scan", async ({ page, request }) => {
  const name = `spch-e2e-${Date.now().toString(36)}`;
  await gotoReady(page, "/scans");
  await expect(page.getByTestId("snapshot-upload")).toHaveAttribute("data-ready", "true");
  await page
    .getByTestId("snapshot-upload")
    .getByLabel("choose a file")
    .setInputFiles({ name: "snapshot.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(smallSnapshot(name))) });
  await expect(page.getByTestId("upload-result")).toHaveText(/Snapshot evaluated and stored\./, { timeout: 30_000 });

  const latest = await latestScan(request);
  expect(latest?.source).toBe("snapshot");
  expect(latest?.summary?.resources).toBe(1);
  // The scans table shows it first, as an uploaded snapshot that succeeded.
  const top = page.getByTestId("scan-row").first();
  await expect(top).toHaveAttribute("data-scan-id", latest!.id);
  await expect(top).toContainText("Uploaded snapshot");
  await expect(top.locator("[data-scan-status]")).toHaveAttribute("data-scan-status", "succeeded");
  // Its only resource is in the store with its verdicts.
  await gotoReady(page, `/findings?scan=${latest!.id}&controlId=BYOS-1`);
  await expect(page.getByTestId("finding-row")).toHaveCount(1);
  await expect(page.getByTestId("finding-row")).toHaveAttribute("data-status", "fail");
  await expect(page.getByTestId("finding-row")).toContainText(name);
});

test("drop a snapshot on the drop zone: an invalid file is refused with the path of the problem", async ({ page }) => {
  await gotoReady(page, "/scans");
  await expect(page.getByTestId("snapshot-upload")).toHaveAttribute("data-ready", "true");
  const bad = { kind: "speech-posture.snapshot", version: 1, collectedAt: "2026-01-01T00:00:00Z", subscriptions: "not-a-list", resources: [] };
  const zone = page.getByTestId("snapshot-upload").locator("div").first();
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "broken.json", { type: "application/json" }));
    return dt;
  }, JSON.stringify(bad));
  await zone.dispatchEvent("drop", { dataTransfer });
  const result = page.getByTestId("upload-result");
  await expect(result).toContainText("broken.json was not accepted");
  await expect(result).toContainText("subscriptions");
  // Announced as an alert, at once.
  await expect(page.getByTestId("snapshot-upload").getByRole("alert")).toContainText("broken.json was not accepted");
});
