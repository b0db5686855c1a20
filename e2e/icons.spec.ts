import { expect, test } from "@playwright/test";
import { gotoReady } from "./support";

test("the layout links the icons and the web manifest from public/, and they are served", async ({ page, request }) => {
  await gotoReady(page, "/");
  const hrefs = async (selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute("href")));
  expect(await hrefs('head link[rel="apple-touch-icon"]')).toContain("/apple-touch-icon.png");
  expect(await hrefs('head link[rel="manifest"]')).toEqual(["/site.webmanifest"]);
  expect(await hrefs('head link[rel="icon"]')).toContain("/favicon.ico");

  const touch = await request.get("/apple-touch-icon.png");
  expect(touch.status()).toBe(200);
  expect(touch.headers()["content-type"]).toBe("image/png");
  const png = await touch.body();
  // PNG IHDR: width and height as big-endian integers at bytes 16 and 20.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([180, 180]);

  const manifest = await (await request.get("/site.webmanifest")).json();
  expect(manifest.name).toBe("Speech Posture");
  for (const icon of manifest.icons as { src: string }[]) expect((await request.get(icon.src)).status(), icon.src).toBe(200);
  expect((await request.get("/favicon.ico")).status()).toBe(200);
});
