/**
 * A collecting scan with scan targets, end to end on a real store and the emulator's real HTTPS
 * endpoints: each target's tenant is collected with its own token, every subscription is stored
 * under its own tenant (the Lighthouse-delegated one under its customer's), a target that cannot be
 * signed in to becomes an error naming it while the others still count, and requested
 * subscriptions go to their tenant's target.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate, LIGHTHOUSE_CLIENT_ID, type Estate } from "@/emulator/estate";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { ConfigurationError, emulatorTarget } from "@/lib/azure/target";
import { emulatorTargetFor } from "@/lib/azure/target-credential";
import { getScan, scanErrors } from "@/lib/store/scans/scans";
import { scanSubscriptions } from "@/lib/store/reads";
import type { Store } from "@/lib/store/store";
import { addTarget } from "@/lib/store/targets";
import { scanTenants } from "@/lib/store/tenants";
import { createTestDb, releaseDatabases, type TestDatabase } from "@/lib/store/testing/databases";
import { jobsFor } from "@/lib/store/testing/fixtures";
import type { ScanJobs } from "./jobs";
import { PdfFile, squash } from "@/lib/report/testing/poppler";
import { scanPdfReport } from "./reports";

let emu: RunningEmulator;
let estate: Estate;
let tdb: TestDatabase;
let store: Store;
let jobs: ScanJobs;
const BROKEN = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const lower = (s: string) => s.toLowerCase();
const visible = (t: Estate["home"]) => t.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId));

beforeAll(async () => {
  estate = generateEstate(3, { subscriptions: 2, accounts: 6, hiddenSubscriptions: 0 });
  emu = await startEmulator({ tenant: estate.home, otherTenants: estate.others, delegations: estate.delegations, quota: false });
  tdb = await createTestDb("sqlite");
  store = await tdb.open();
  jobs = jobsFor(store, emu, {
    openTarget: async (_source, scanTarget) => {
      if (scanTarget?.tenantId === BROKEN) throw new ConfigurationError(`Target "Broken" (tenant ${BROKEN}): the environment variable NOPE is not set.`);
      const target = scanTarget ? emulatorTargetFor(scanTarget, emu) : emulatorTarget(emu);
      return { target: { ...target, retryOptions: { maxRetries: 1, retryDelayInMs: 5 } }, close: async () => undefined };
    },
  });
  const sp = (clientId?: string) => (clientId ? { kind: "client-secret", clientId, secretEnv: "SP_SECRET" } : { kind: "azure-cli" });
  await addTarget(store, { tenantId: estate.home.tenantId, displayName: "Contoso", credential: sp(LIGHTHOUSE_CLIENT_ID) }, "admin");
  await addTarget(store, { tenantId: estate.others[1].tenantId, displayName: "Northwind", credential: sp() }, "admin");
  await addTarget(store, { tenantId: BROKEN, displayName: "Broken", credential: sp() }, "admin");
});
afterAll(async () => {
  await jobs?.close();
  await tdb?.dispose();
  await emu?.close();
  await releaseDatabases();
});

async function latestScanOf(): Promise<string | undefined> {
  return (await store.db.selectFrom("scans").select("id").where("status", "=", "succeeded").orderBy("created_at", "desc").limit(1).executeTakeFirst())?.id;
}

async function scanNow(subscriptions?: string[]) {
  const scan = await jobs.start({ source: "emulator", subscriptions });
  await jobs.settled(scan.id);
  return (await getScan(store, scan.id))!;
}

describe("a scan of every target", () => {
  it("collects each target's tenant, stores every subscription under its own tenant, and names the target it could not collect", async () => {
    const scan = await scanNow();
    expect(scan.status).toBe("succeeded");
    const delegated = lower(estate.delegations[0].subscriptionId);
    const subs = await scanSubscriptions(store, scan.id);
    const expected = new Map<string, string>([
      ...visible(estate.home).map((s) => [s, lower(estate.home.tenantId)] as const),
      [delegated, lower(estate.others[0].tenantId)],
      ...visible(estate.others[1]).map((s) => [s, lower(estate.others[1].tenantId)] as const),
    ]);
    expect(new Map(subs.map((s) => [s.key, s.tenantId]))).toEqual(expected);
    const tenants = await scanTenants(store, scan.id);
    expect(tenants.map((t) => [t.displayName, t.tenantId, t.subscriptions])).toEqual([
      ["Contoso", lower(estate.home.tenantId), visible(estate.home).length],
      ["Northwind", lower(estate.others[1].tenantId), visible(estate.others[1]).length],
      // The delegated customer has no target of its own: reported under its tenant all the same.
      [null, lower(estate.others[0].tenantId), 1],
    ]);
    expect(await scanErrors(store, scan.id)).toContainEqual(
      expect.objectContaining({
        scope: "/",
        reason: "collection_error",
        message: expect.stringContaining(`Target "Broken" (tenant ${BROKEN}) could not be collected`),
      }),
    );
  });

  it("reports one tenant in its own PDF: its subscriptions, not the others'", async () => {
    const scan = (await latestScanOf())!;
    const download = await scanPdfReport(store, scan, { tenantId: lower(estate.others[1].tenantId) }, "tester");
    expect(download.filename).toContain(`tenant-${lower(estate.others[1].tenantId)}`);
    const pdf = new PdfFile(Buffer.from(download.body as Buffer));
    try {
      const text = squash(pdf.text(1, pdf.info().pages));
      for (const s of estate.others[1].subscriptions.filter((x) => x.visible)) expect(text).toContain(squash(s.subscriptionId));
      for (const s of estate.home.subscriptions.filter((x) => x.visible)) expect(text).not.toContain(squash(s.subscriptionId));
    } finally {
      pdf.dispose();
    }
    await expect(scanPdfReport(store, scan, { tenantId: "cccccccc-cccc-4ccc-8ccc-cccccccccccc" }, "tester")).rejects.toThrow("is not part of scan");
  });

  it("reports the whole estate in one PDF: each tenant scored on its own, its subscriptions under it", async () => {
    const scan = (await latestScanOf())!;
    const tenants = await scanTenants(store, scan);
    const pdf = new PdfFile(Buffer.from((await scanPdfReport(store, scan, {}, "tester")).body as Buffer));
    try {
      const pages = pdf.pages();
      expect(pages[0]).toContain(`Estate of ${tenants.length} tenants`);
      const titles = pdf.outline().map((o) => o.title);
      for (const t of tenants)
        expect(titles).toContain(`Tenant ${t.displayName ? `${t.displayName} (${t.tenantId})` : t.tenantId} · score ${t.score ?? "n/a"}`);
      // Northwind's part lists its own subscriptions and none of Contoso's.
      const text = pages.join("\n");
      const start = text.lastIndexOf(`Tenant Northwind (${lower(estate.others[1].tenantId)})`); // the heading, not the contents line
      // It ends at the next tenant's heading or the next numbered section.
      const rest = text.slice(start + 1);
      const end = rest.search(/\nTenant [^\n]* · score |\n\d+\. [A-Z]/);
      const part = squash(text.slice(start, end >= 0 ? start + 1 + end : undefined));
      expect(start).toBeGreaterThan(0);
      for (const id of visible(estate.others[1])) expect(part).toContain(squash(id));
      for (const id of visible(estate.home)) expect(part).not.toContain(squash(id));
    } finally {
      pdf.dispose();
    }
  });

  it("sends requested subscriptions to the target of the tenant they were last seen in", async () => {
    const wanted = visible(estate.others[1])[0];
    const scan = await scanNow([wanted]);
    expect(scan.status).toBe("succeeded");
    expect((await scanSubscriptions(store, scan.id)).map((s) => [s.key, s.tenantId])).toEqual([[wanted, lower(estate.others[1].tenantId)]]);
    // No other target was asked for it (it would have answered SubscriptionNotFound).
    const errors = await scanErrors(store, scan.id);
    expect(errors.filter((e) => e.code === "SubscriptionNotFound" || e.scope === `/subscriptions/${wanted}`)).toEqual([]);
  });
});
