/** Hostile input at the library level: object-tampering keys, return paths after sign-in. */
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/auth/public-config";
import { COGNITIVE_ACCOUNT, InvalidResourceIdError, parseResourceId } from "@/lib/azure/arm";
import { SnapshotInputError } from "@/lib/posture/parse";
import { resourceHref } from "@/lib/views/search-params";
import { findForbiddenKey } from "./hostile-keys";
import { parseUploadedSnapshot } from "./snapshot-input";

const SUB = "00000000-0000-4000-8000-00000000beef";
const account = (extra: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a`,
  name: "a",
  type: "Microsoft.CognitiveServices/accounts",
  kind: "SpeechServices",
  location: "westeurope",
  subscriptionId: SUB,
  properties: {},
  ...extra,
});
const snapshotText = (resources: unknown[], top = "") =>
  `{${top}"kind":"speech-posture.snapshot","version":1,"collectedAt":"2026-01-01T00:00:00Z","subscriptions":[],"coverage":["resources"],"resources":${JSON.stringify(resources)},"diagnosticSettings":{},"speechEndpoints":{},"errors":[]}`;

const parseAccountId = (id: string) => parseResourceId(id, COGNITIVE_ACCOUNT);

describe("object-tampering keys", () => {
  it("are found anywhere, with their JSON path, without recursion", () => {
    expect(findForbiddenKey({ a: [{ b: 1 }, { c: { constructor: 1 } }] })).toEqual({ path: "a[1].c.constructor", key: "constructor" });
    expect(findForbiddenKey(JSON.parse('{"x":{"__proto__":{"polluted":1}}}'))).toEqual({ path: "x.__proto__", key: "__proto__" });
    expect(findForbiddenKey(JSON.parse('{"tags":{"\\u005f_proto__":1}}'))?.key).toBe("__proto__");
    expect(findForbiddenKey({ prototype: 1 })).toEqual({ path: "prototype", key: "prototype" });
    expect(findForbiddenKey({ name: "__proto__", tags: { owner: "constructor" } })).toBeNull();
    let deep: unknown = { constructor: 1 };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findForbiddenKey(deep)?.key).toBe("constructor");
  });

  it("make an uploaded snapshot invalid wherever they are, and pollute nothing", () => {
    const cases = [
      snapshotText([account()], '"__proto__":{"polluted":1},'),
      snapshotText([JSON.parse(JSON.stringify(account()).replace('"properties":{}', '"properties":{"__proto__":{"polluted":1}}'))]),
      snapshotText([account({ tags: { constructor: "x" } })]),
      snapshotText([account({ properties: { encryption: { prototype: { keySource: "x" } } } })]),
    ];
    for (const text of cases) expect(() => parseUploadedSnapshot(text)).toThrow(SnapshotInputError);
    expect(() => parseUploadedSnapshot(cases[1])).toThrow(/resources\[0\]\.properties\.__proto__: the key "__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parseUploadedSnapshot(snapshotText([account({ tags: { owner: "__proto__" } })])).resources).toHaveLength(1);
  });
});

describe("crafted resource IDs (audit-trail injection)", () => {
  const crafted = [
    "/subscriptions/../../../api/scans/x/export?format=csv",
    "/subscriptions/./../api/audit",
    `/subscriptions/${SUB}/resourceGroups/../providers/Microsoft.CognitiveServices/accounts/../../../../signout`,
    "/subscriptions/%2e%2e/%2E%2E/api/settings",
  ];

  it("link to a resource page whatever they hold, never up the path to another route", () => {
    for (const id of crafted) {
      const url = new URL(resourceHref(id, "scan1"), "http://posture.test");
      expect(url.pathname, id).toMatch(/^\/resources\//);
      expect(url.pathname.split("/"), id).not.toContain("..");
    }
    // Ordinary IDs keep their links.
    const id = `/subscriptions/${SUB}/resourceGroups/rg.a/providers/Microsoft.CognitiveServices/accounts/a.b`;
    expect(resourceHref(id)).toBe(`/resources${id}`);
  });

  it("are not account IDs, so re-check refuses them before anything is recorded", () => {
    for (const id of crafted) expect(() => parseAccountId(id), id).toThrow(InvalidResourceIdError);
    for (const rg of ["..", ".", "rg."]) {
      expect(() => parseAccountId(`/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.CognitiveServices/accounts/ab`), rg).toThrow(
        InvalidResourceIdError,
      );
    }
    expect(parseAccountId(`/subscriptions/${SUB}/resourceGroups/rg.1/providers/Microsoft.CognitiveServices/accounts/ab`).resourceGroup).toBe("rg.1");
  });
});

describe("where to go after signing in", () => {
  it("is a path on this site only", () => {
    for (const ok of ["/", "/findings?status=fail", "/resources/subscriptions/x/accounts/y"]) expect(safeReturnPath(ok)).toBe(ok);
    for (const bad of [
      "//evil.example/",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      "findings",
      "/signin?next=/",
      "/signout",
      "/x\n",
      42,
      undefined,
      "/" + "a".repeat(3000),
    ]) {
      expect(safeReturnPath(bad), String(bad).slice(0, 40)).toBe("/");
    }
  });
});
