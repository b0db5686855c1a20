/**
 * Conformance with Microsoft's published contracts, over a full collection of the demo tenant, a
 * re-check and a doctor run through the real SDK clients: every request matches an operation's
 * path template, api-version, declared query parameters, path-parameter rules and body schema;
 * every response the emulator sent validates against that operation's response schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { collect } from "@/lib/azure/collect";
import { runDoctor } from "@/lib/azure/doctor";
import { emulatorTarget } from "@/lib/azure/target";
import { asServiceRequest, exchangeRecorder, type Exchange } from "./recorder";
import { matchRequest, responseProblems } from "./specs";

let emu: RunningEmulator;
const recorded: Exchange[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quota: false });
  const rec = exchangeRecorder();
  const target = emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: { maxRetries: 1, retryDelayInMs: 5 }, policies: [rec.policy] });
  const { snapshot } = await collect(target);
  const account = snapshot.resources.find(isSpeechAccount)!;
  await collect(target, { accountId: account.id });
  await runDoctor(target);
  recorded.push(...rec.exchanges);
});
afterAll(() => emu.close());

describe("the requests the collector sends", () => {
  it("each match an operation of Microsoft's specs, with its api-version, parameters and body", () => {
    expect(recorded.length).toBeGreaterThan(50);
    const unmatched = recorded.filter((x) => !matchRequest(asServiceRequest(x))).map((x) => `${x.method} ${x.url}`);
    expect(unmatched).toEqual([]);
    const problems = recorded.flatMap((x) => matchRequest(asServiceRequest(x))!.problems.map((p) => `${x.method} ${x.url}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("cover every operation the collector uses", () => {
    const used = new Set(recorded.map((x) => matchRequest(asServiceRequest(x))?.operation.operationId));
    for (const id of ["Resources", "DiagnosticSettings_List", "Endpoints_List", "Accounts_Get", "StorageAccounts_GetProperties"])
      expect(used, id).toContain(id);
  });
});

describe("the responses the emulator sends", () => {
  it("each validate against the operation's response schema", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const x of recorded) {
      const match = matchRequest(asServiceRequest(x));
      if (!match) continue;
      const found = responseProblems(match.operation, x.status, x.responseBody);
      if (found === undefined) continue;
      checked++;
      problems.push(...found.slice(0, 3).map((p) => `${x.status} ${x.method} ${new URL(x.url).pathname}: ${p}`));
    }
    expect(checked).toBeGreaterThan(50);
    expect([...new Set(problems)]).toEqual([]);
  });
});
