/**
 * Server-side calls go only where the configuration says: a Speech data plane that answers with an
 * @nextLink to another host, an account whose customSubDomainName smuggles a host, or an uploaded
 * snapshot full of URLs to elsewhere cause no request to that other host.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificate } from "@/emulator/certificate";
import { DetailReader, DetailError, NotCallableError } from "@/lib/azure/details";
import { emulatorTarget } from "@/lib/azure/target";
import { parseUploadedSnapshot } from "./snapshot-input";
import { createTestDb, type TestDatabase } from "@/lib/store/testing/databases";
import { importAndWait, jobsFor } from "@/lib/store/testing/fixtures";

interface Recorder {
  server: Server;
  url: string;
  hits: string[];
}

let cert: { key: string; cert: string };
let plane: Recorder; // the configured Speech data plane
let elsewhere: Recorder; // any other host
let nextLinkTarget = "";

async function listen(handler: (path: string) => unknown): Promise<Recorder> {
  const hits: string[] = [];
  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(handler(req.url ?? "")));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

beforeAll(async () => {
  cert = await generateCertificate();
  elsewhere = await listen(() => ({ values: [{ self: "stolen" }] }));
  plane = await listen(() => ({ values: [{ self: "endpoint-1", properties: { loggingEnabled: true } }], "@nextLink": nextLinkTarget }));
});
afterAll(async () => {
  for (const r of [plane, elsewhere]) await new Promise((res) => r?.server.close(() => res(null)));
});

const reader = () => new DetailReader(emulatorTarget({ url: plane.url, ca: cert.cert, retryOptions: { maxRetries: 0 } }));
const account = (customSubDomainName: unknown) => ({
  id: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a",
  properties: { customSubDomainName },
});

describe("the Speech data plane", () => {
  it("does not follow an @nextLink to another host, port or scheme", async () => {
    const foreign = [
      `${elsewhere.url}/speech/a/speechtotext/v3.2/endpoints?skip=100`,
      elsewhere.url.replace("https:", "http:") + "/speech/a/x",
      `https://127.0.0.1.nip.io:${new URL(plane.url).port}/speech/a/x`,
      `${plane.url}@${new URL(elsewhere.url).host}/speech/a/x`,
    ];
    for (const link of foreign) {
      nextLinkTarget = link;
      const before = plane.hits.length;
      const err = await reader()
        .speechEndpoints(account("a"))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err, link).toBeInstanceOf(DetailError);
      expect((err as DetailError).code, link).toMatch(/ForeignNextLink|InvalidNextLink/);
      expect(plane.hits.length - before).toBe(1);
    }
    expect(elsewhere.hits).toEqual([]);
  });

  it("follows an @nextLink within the data plane", async () => {
    let pages = 0;
    nextLinkTarget = `${plane.url}/speech/a/speechtotext/v3.2/endpoints?skip=1`;
    const r = reader();
    const original = plane.server.listeners("request")[0] as (...a: unknown[]) => void;
    plane.server.removeAllListeners("request");
    plane.server.on("request", (req, res) => {
      pages++;
      if (pages > 1) nextLinkTarget = "";
      original(req, res);
    });
    const endpoints = await r.speechEndpoints(account("a"));
    expect(endpoints).toHaveLength(2);
    expect(elsewhere.hits).toEqual([]);
  });

  it("never calls an account whose custom subdomain smuggles a host or path", async () => {
    const before = plane.hits.length;
    for (const sub of [`127.0.0.1:${new URL(elsewhere.url).port}`, "evil.example", "a/../../x", "a@evil.example", "a#x", "-a", "a".repeat(64), "", 42]) {
      await expect(reader().speechEndpoints(account(sub))).rejects.toBeInstanceOf(NotCallableError);
    }
    expect(plane.hits.length).toBe(before);
    expect(elsewhere.hits).toEqual([]);
  });
});

describe("an uploaded snapshot naming other hosts", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDb("sqlite");
  });
  afterAll(() => tdb?.dispose());

  it("is evaluated without contacting any of them", async () => {
    const sub = "00000000-0000-4000-8000-00000000f00d";
    const host = elsewhere.url;
    const text = JSON.stringify({
      kind: "speech-posture.snapshot",
      version: 1,
      collectedAt: new Date().toISOString(),
      subscriptions: [{ subscriptionId: sub, displayName: host, state: "Enabled" }],
      coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints"],
      resources: [
        {
          id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/spch`,
          name: "spch",
          type: "Microsoft.CognitiveServices/accounts",
          kind: "SpeechServices",
          location: "westeurope",
          subscriptionId: sub,
          properties: {
            customSubDomainName: new URL(host).host,
            endpoint: `${host}/`,
            endpoints: { "Speech Services Speech to Text": `${host}/stt` },
            encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyVaultUri: `${host}/`, keyName: "k", keyVersion: "" } },
            userOwnedStorage: [
              { resourceId: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st`, identityClientId: null },
            ],
            publicNetworkAccess: "Enabled",
          },
        },
      ],
      diagnosticSettings: {},
      speechEndpoints: {},
      errors: [],
    });
    const jobs = jobsFor(await tdb.open());
    try {
      const scan = await importAndWait(jobs, parseUploadedSnapshot(text));
      expect(scan.status).toBe("succeeded");
    } finally {
      await jobs.close();
    }
    expect(elsewhere.hits).toEqual([]);
  });
});
