/**
 * A truncated Resource Graph answer is never taken as the whole: the batch is split until each
 * subscription fits, and one that is truncated on its own is recorded. Served by a tiny HTTPS
 * server answering as Resource Graph documents it (`resultTruncated: "true"`, no `$skipToken`),
 * through the real ResourceGraphClient.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificate } from "@/emulator/certificate";
import type { SnapshotError } from "@/lib/posture/snapshot";
import { ResourceGraphReader } from "./resource-graph";
import { ScopedQueries } from "./scoped-query";
import { emulatorTarget } from "./target";

const subs = Array.from({ length: 6 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`);
const HUGE = subs[4];
const rowsOf = (sub: string) => [{ id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st${sub[7]}` }];
let server: Server;
let reader: ResourceGraphReader;
const scopes: number[] = [];

beforeAll(async () => {
  const cert = await generateCertificate();
  server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const scope: string[] = JSON.parse(Buffer.concat(chunks).toString("utf8")).subscriptions;
      scopes.push(scope.length);
      // More than two subscriptions, or the huge one at all: more rows than one answer holds.
      const truncated = scope.length > 2 || scope.includes(HUGE);
      const data = truncated ? rowsOf(scope[0]) : scope.flatMap(rowsOf);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ totalRecords: data.length, count: data.length, resultTruncated: truncated ? "true" : "false", facets: [], data }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  reader = new ResourceGraphReader(
    emulatorTarget({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: cert.cert, retryOptions: { maxRetries: 0 } }),
  );
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("a truncated Resource Graph answer", () => {
  it("splits the batch until it fits, and records the subscription that never does", async () => {
    const errors: SnapshotError[] = [];
    const result = await new ScopedQueries(reader, errors, new AbortController().signal).run("resources", "resourceGraph", subs);
    expect(result.rows.map((r) => r.id).sort()).toEqual(
      subs
        .filter((s) => s !== HUGE)
        .flatMap(rowsOf)
        .map((r) => r.id)
        .sort(),
    );
    expect(result.failed).toEqual([HUGE]);
    expect(errors).toEqual([
      expect.objectContaining({ scope: `/subscriptions/${HUGE}`, source: "resourceGraph", reason: "collection_error", code: "ResultTruncated" }),
    ]);
    expect(Math.max(...scopes)).toBe(6);
    expect(scopes).toContain(1);
  });

  it("throws from queryAll rather than returning part of the rows as if they were all", async () => {
    await expect(reader.queryAll("resources", subs)).rejects.toMatchObject({ code: "ResultTruncated" });
    const outcome = await reader.query("resources", subs);
    expect(outcome).toMatchObject({ truncated: true, subscriptionLimitHit: false });
  });
});
