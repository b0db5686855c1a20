/**
 * A server killed mid-scan (SIGKILL while the scan's rows are being written) leaves no partial
 * scan: the next store open marks it failed as interrupted and removes its rows.
 */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { INTERRUPTED_MESSAGE } from "@/lib/store/scans/recovery";
import { getScan } from "@/lib/store/scans/scans";
import { createTestDb, DATABASES, releaseDatabases } from "@/lib/store/testing/databases";

afterAll(() => releaseDatabases());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DATABASES)("a scan killed with its process on %s", (kind) => {
  it("is marked failed on the next open, with its partial rows removed", async () => {
    const tdb = await createTestDb(kind);
    try {
      const observer = await tdb.open({ staleAfterMs: 3_600_000 });
      const child = spawn(process.execPath, ["--import", "tsx", "lib/store/testing/scan-child.ts", "3000"], {
        env: { ...process.env, DATABASE_URL: tdb.url },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      // Wait until the child is storing and some rows of the scan already exist.
      let id = "";
      let partial = 0;
      for (let i = 0; i < 1200 && partial === 0; i++) {
        await sleep(50);
        id ||= out.split("\n")[0].trim();
        if (!id || child.exitCode !== null) continue;
        const row = await getScan(observer, id);
        if (row?.phase !== "storing") continue;
        partial = (await observer.db.selectFrom("findings").select("id").where("scan_id", "=", id).limit(1).execute()).length;
      }
      expect(out).not.toContain("finished");
      expect(partial).toBe(1);
      child.kill("SIGKILL");
      await exited;
      expect((await getScan(observer, id))?.status).toBe("running"); // nothing cleaned up by itself

      // Heartbeats are recent, but the owner's process is gone: the next open recovers at once.
      const reopened = await tdb.open({ staleAfterMs: 3_600_000 });
      expect(await getScan(reopened, id)).toMatchObject({ status: "failed", error: INTERRUPTED_MESSAGE });
      for (const table of ["findings", "resources", "scan_subscriptions"] as const) {
        expect(await reopened.db.selectFrom(table).select("scan_id").where("scan_id", "=", id).execute()).toEqual([]);
      }
      const active = await reopened.db.selectFrom("scans").select("id").where("active_scope", "is not", null).execute();
      expect(active).toEqual([]);
    } finally {
      await tdb.dispose();
    }
  });
});
