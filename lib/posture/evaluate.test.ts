import { describe, expect, it } from "vitest";
import { CATALOG } from "./controls";
import { evaluateSnapshot } from "./evaluate";
import { parseSnapshot } from "./parse";
import { ACCOUNT_ID, account, argAccount, hardened, snapshot, storage, SUB } from "./testing/fixtures";

describe("evaluateSnapshot", () => {
  it("produces one finding per in-scope account and control, in catalogue order", () => {
    const second = account({}, { id: ACCOUNT_ID.replace("speech-prod-01", "speech-ai"), name: "speech-ai", kind: "AIServices" });
    const { resources, findings } = evaluateSnapshot(snapshot({ resources: [account(), second] }));
    expect(resources.map((r) => r.name)).toEqual(["speech-prod-01", "speech-ai"]);
    expect(findings).toHaveLength(2 * CATALOG.length);
    expect(findings.slice(0, CATALOG.length).map((f) => f.controlId)).toEqual(CATALOG.map((c) => c.id));
  });

  it("keeps only Speech kinds of Cognitive Services accounts, comparing type and kind case-insensitively", () => {
    const kinds = ["SpeechServices", "aiservices", "COGNITIVESERVICES", "OpenAI", "TextAnalytics", "SpeechTranslation"];
    const docs = kinds.map((kind, i) => argAccount({}, { id: `${ACCOUNT_ID}${i}`, kind }));
    const { resources, findings } = evaluateSnapshot(snapshot({ resources: [...docs, storage("st1")] }));
    expect(resources.map((r) => r.kind)).toEqual(["SpeechServices", "aiservices", "COGNITIVESERVICES"]);
    expect(new Set(findings.map((f) => f.resourceId)).size).toBe(3);
  });

  it("reads type and kind with surrounding white space as the same values, for accounts and the documents they link", () => {
    const padded = account(
      { userOwnedStorage: [{ resourceId: storage("st1").id }] },
      { type: " Microsoft.CognitiveServices/accounts ", kind: "SpeechServices\t" },
    );
    const st = { ...storage("st1", { allowSharedKeyAccess: false }), type: "Microsoft.Storage/storageAccounts " };
    const snap = snapshot({ resources: [padded, st] });
    const { resources, findings } = evaluateSnapshot(snap);
    expect(resources).toHaveLength(1);
    expect(findings.find((f) => f.controlId === "BYOS-2")?.status).toBe("pass");
    // The same documents go through the file parser's shape checks and keep their verdicts.
    expect(evaluateSnapshot(parseSnapshot(JSON.parse(JSON.stringify(snap)))).findings).toEqual(findings);
  });

  it("reports the resource ID exactly as the document spelled it and fills the summary", () => {
    const spelled = ACCOUNT_ID.replace("resourceGroups/rg-speech", "resourcegroups/RG-Speech");
    const { resources, findings } = evaluateSnapshot(snapshot({ resources: [account({}, { id: spelled })] }));
    expect(findings.every((f) => f.resourceId === spelled)).toBe(true);
    expect(resources[0]).toMatchObject({
      id: spelled,
      name: "speech-prod-01",
      kind: "SpeechServices",
      location: "westeurope",
      subscriptionId: SUB,
      resourceGroup: "RG-Speech",
    });
  });

  it("uses the listed subscription's spelling for findings", () => {
    const upper = SUB.toUpperCase();
    const snap = snapshot({ resources: [account()], subscriptions: [upper] });
    expect(evaluateSnapshot(snap).findings[0].subscriptionId).toBe(upper);
  });

  it("evaluates a repeated account ID (any casing) once, from its first document", () => {
    const first = account({ disableLocalAuth: true });
    const again = account({ disableLocalAuth: false }, { id: ACCOUNT_ID.toUpperCase() });
    const { resources, findings } = evaluateSnapshot(snapshot({ resources: [first, again] }));
    expect(resources).toHaveLength(1);
    expect(findings.find((f) => f.controlId === "IAM-1")?.status).toBe("pass");
  });

  it("passes every control for a fully hardened BYOS setup", () => {
    const statuses = evaluateSnapshot(snapshot(hardened())).findings.map((f) => `${f.controlId}:${f.status}`);
    expect(statuses).toEqual(CATALOG.map((c) => `${c.id}:pass`));
  });

  it("gives LOG-1, LOG-2 and BYOS-3 unknown not_collected for a bare Resource Graph export", () => {
    const parts = hardened();
    const bare = parseSnapshot({ count: parts.resources.length, data: parts.resources, skip_token: null, total_records: parts.resources.length });
    const byControl = new Map(evaluateSnapshot(bare).findings.map((f) => [f.controlId, f]));
    for (const id of ["LOG-1", "LOG-2", "BYOS-3"] as const) {
      expect(byControl.get(id)).toMatchObject({ status: "unknown", reason: "not_collected" });
    }
    expect(byControl.get("IAM-2")?.status).toBe("pass");
  });

  it("says not_applicable before not_collected for BYOS-3 in a bare export without BYOS", () => {
    const bare = parseSnapshot([argAccount()]);
    const byos3 = evaluateSnapshot(bare).findings.find((f) => f.controlId === "BYOS-3");
    expect(byos3).toMatchObject({ status: "not_applicable", reason: null });
  });

  it("reads null properties and identity as Azure's defaults instead of failing", () => {
    const bare = account({}, { properties: null, identity: null, tags: undefined });
    const byControl = new Map(evaluateSnapshot(snapshot({ resources: [bare] })).findings.map((f) => [f.controlId, f.status]));
    expect(byControl.size).toBe(CATALOG.length);
    expect([byControl.get("BYOS-1"), byControl.get("NET-1"), byControl.get("IAM-1"), byControl.get("IAM-3"), byControl.get("CMK-3")]).toEqual([
      "fail",
      "fail",
      "fail",
      "fail",
      "not_applicable",
    ]);
  });

  it("finds nothing in a snapshot without Speech accounts", () => {
    expect(evaluateSnapshot(snapshot({ resources: [storage("st1")] }))).toEqual({ resources: [], findings: [] });
  });
});
