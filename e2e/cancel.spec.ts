import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { expect, test } from "@playwright/test";
import { getScan, gotoReady, latestScan } from "./support";

/** The emulator the e2e server collects from (playwright.config.ts: --state-dir data/e2e-emulator). */
function emulator(): { url: string; ca: Buffer } {
  const state = JSON.parse(readFileSync("data/e2e-emulator/emulator.json", "utf8")) as { url: string; caPath: string };
  return { url: state.url, ca: readFileSync(state.caPath) };
}

/** Sets the emulator's injected faults (its /.emulator/faults control endpoint, HTTPS with its own CA). */
function setFaults(faults: object): Promise<number> {
  const { url, ca } = emulator();
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(faults);
    const req = httpsRequest(new URL("/.emulator/faults", url), { method: "POST", ca, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test.afterEach(async () => {
  expect(await setFaults({})).toBe(200);
});

test("Cancel scan stops a running collection: it ends cancelled, stores nothing and the last results stay", async ({ page, request }) => {
  // Slow every emulator response so the collection is still running when Cancel is clicked.
  expect(await setFaults({ latencyMs: 400 })).toBe(200);
  const before = await latestScan(request);
  await gotoReady(page, "/");
  await page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ }).click();
  const cancel = page.getByRole("button", { name: "Cancel scan" });
  await expect(cancel).toBeVisible();
  const scans = (await (await request.get("/api/scans?limit=1")).json()) as { items: { id: string; status: string }[] };
  const running = scans.items[0];
  expect(running.status).toMatch(/^(queued|running)$/);

  await cancel.click();
  await expect(page.getByTestId("scan-message")).toHaveText("Scan cancelled; nothing was stored.", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: /^(Scan now|Run the first scan)$/ })).toBeEnabled();

  const ended = await getScan(request, running.id);
  expect(ended.status).toBe("cancelled");
  expect(ended.summary).toBeNull();
  // The cancelled scan has no findings to read; the latest results are still the previous scan's.
  expect((await request.get(`/api/scans/${running.id}/findings`)).status()).toBe(409);
  expect((await latestScan(request))?.id).toBe(before?.id);
  const audit = (await (await request.get("/api/audit?action=scan.cancelled")).json()) as { items: { target: string; actor: string }[] };
  expect(audit.items.map((e) => e.target)).toContain(running.id);
});
