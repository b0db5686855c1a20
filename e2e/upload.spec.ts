import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ensureDemoScan, getScan, gotoReady, latestScan } from "./support";

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
  await page.getByTestId("replaces-latest").check();
  await page
    .getByTestId("snapshot-upload")
    .getByLabel("choose a file")
    .setInputFiles({ name: "snapshot.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(smallSnapshot(name))) });
  await expect(page.getByTestId("upload-result")).toContainText("Snapshot evaluated and stored.", { timeout: 30_000 });
  await expect(page.getByTestId("upload-result")).toContainText("it is now the latest posture");

  const latest = await latestScan(request);
  expect(latest?.source).toBe("snapshot");
  expect(latest?.origin).toBe("import");
  expect(latest?.summary?.resources).toBe(1);
  // The scans table shows it first, as an uploaded snapshot that succeeded.
  const top = page.getByTestId("scan-row").first();
  await expect(top).toHaveAttribute("data-scan-id", latest!.id);
  await expect(top).toContainText("Uploaded snapshot");
  await expect(top.getByTestId("origin-badge")).toHaveText("Import · replaces the latest collected posture");
  await expect(top.locator("[data-scan-status]")).toHaveAttribute("data-scan-status", "succeeded");
  // Its only resource is in the store with its verdicts.
  await gotoReady(page, `/findings?scan=${latest!.id}&controlId=BYOS-1`);
  await expect(page.getByTestId("finding-row")).toHaveCount(1);
  await expect(page.getByTestId("finding-row")).toHaveAttribute("data-status", "fail");
  await expect(page.getByTestId("finding-row")).toContainText(name);
});

test("a file over the upload limit is refused before it is sent, saying its size, the limit and what to do", async ({ page }) => {
  // The e2e server runs with the default limit (SPEECH_POSTURE_MAX_UPLOAD_BYTES: 50 MB).
  const dir = mkdtempSync(join(tmpdir(), "e2e-upload-"));
  const big = join(dir, "estate.json");
  writeFileSync(big, "");
  truncateSync(big, 60 * 1024 * 1024); // sparse: nothing is written
  try {
    const sent: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/snapshots") sent.push(r.method());
    });
    await gotoReady(page, "/scans");
    const upload = page.getByTestId("snapshot-upload");
    await expect(upload).toHaveAttribute("data-ready", "true");
    await expect(upload).toContainText("up to 50 MB");
    await upload.getByLabel("choose a file").setInputFiles(big);
    await expect(page.getByTestId("upload-result")).toHaveText(
      "estate.json was not sent: it is 60 MB, and this dashboard accepts snapshots of up to 50 MB. An Admin can raise the limit (SPEECH_POSTURE_MAX_UPLOAD_BYTES), or scan the file with the CLI (speech-posture scan --snapshot).",
    );
    expect(sent).toEqual([]);
    // The same file, once under the limit, is sent (and refused by the server for what it holds).
    truncateSync(big, 10);
    await upload.getByLabel("choose a file").setInputFiles(big);
    await expect(page.getByTestId("upload-result")).toContainText("estate.json was not accepted");
    expect(sent).toEqual(["POST"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

test("an uploaded snapshot is kept apart by default: marked as an import, its score and links shown, the overview unchanged", async ({ page, request }) => {
  const before = await ensureDemoScan(request);
  const name = `spch-apart-${Date.now().toString(36)}`;
  await gotoReady(page, "/scans");
  await expect(page.getByTestId("snapshot-upload")).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("replaces-latest")).not.toBeChecked();
  await page
    .getByTestId("snapshot-upload")
    .getByLabel("choose a file")
    .setInputFiles({ name: "apart.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(smallSnapshot(name))) });
  const result = page.getByTestId("upload-result");
  await expect(result).toContainText("kept apart as an import to compare", { timeout: 30_000 });
  // The new scan's score, with links to it and to its diff against the latest collected posture.
  const id = (await result.getByTestId("upload-scan-link").getAttribute("href"))!.replace("/findings?scan=", "");
  const stored = await getScan(request, id);
  expect(stored).toMatchObject({ origin: "import", inPosture: false, status: "succeeded" });
  await expect(result.getByTestId("upload-score")).toHaveText(`${stored.summary!.score} / 100`);
  await expect(result.getByTestId("upload-diff-link")).toHaveAttribute("href", `/scans?from=${before.id}&to=${id}#diff`);
  // Not the latest posture: the overview still shows the collection, and says an import is kept apart.
  expect((await latestScan(request))?.id).toBe(before.id);
  await gotoReady(page, "/");
  await expect(page.getByTestId("newer-import")).toContainText("is kept apart");
  await page.getByTestId("newer-import").getByRole("link", { name: "Compare it with this scan" }).click();
  const diff = page.getByTestId("diff-view");
  await expect(diff.getByTestId("diff-sides").getByTestId("origin-badge")).toHaveText("Import · kept apart to compare");
  await expect(page.locator(`[data-testid="scan-row"][data-scan-id="${id}"]`).getByTestId("origin-badge")).toHaveText("Import · kept apart to compare");
});

test("a refused file lists every problem, each path once with the resource named; broken JSON gets its line and column", async ({ page }) => {
  await gotoReady(page, "/scans");
  await expect(page.getByTestId("snapshot-upload")).toHaveAttribute("data-ready", "true");
  const snap = smallSnapshot("spch-broken") as Record<string, any>;
  snap.resources[0].properties.userOwnedStorage = "not-a-list";
  snap.resources[0].properties.disableLocalAuth = "yes";
  snap.coverage = "all";
  const input = page.getByTestId("snapshot-upload").getByLabel("choose a file");
  await input.setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(snap)) });
  const result = page.getByTestId("upload-result");
  await expect(result).toContainText("broken.json was not accepted: 3 problems found");
  const items = result.getByTestId("upload-problems").getByRole("listitem");
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toHaveText("coverage: expected an array, got a string");
  const id = snap.resources[0].id as string;
  await expect(items.nth(1)).toHaveText(`resources[0].properties.userOwnedStorage (spch-broken, ${id}): expected an array, got a string`);
  await expect(items.nth(2)).toHaveText(`resources[0].properties.disableLocalAuth (spch-broken, ${id}): expected true, false or null, got a string`);

  await input.setInputFiles({
    name: "cut.json",
    mimeType: "application/json",
    buffer: Buffer.from('{\n  "kind": "speech-posture.snapshot",\n  "version": 1,,\n}'),
  });
  await expect(result).toHaveText('cut.json was not accepted: not valid JSON at line 3, column 16 (found ",")');
});
