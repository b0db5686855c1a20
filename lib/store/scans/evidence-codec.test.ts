import { describe, expect, it } from "vitest";
import { decodeEvidence, decodeForResource, encodeEvidence, encodeForResource } from "./evidence-codec";

const ID = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a"1';

describe("a finding's JSON columns without its resource ID", () => {
  it("leaves the ID out when stored and puts it back when read", () => {
    const azure = { state: "compliant", sources: [{ resourceId: ID, definitionId: "/providers/x" }, { resourceId: `${ID}/child` }] };
    const text = encodeForResource(azure, ID);
    expect(text).not.toContain("accounts/a");
    expect(text.length).toBeLessThan(JSON.stringify(azure).length);
    expect(decodeForResource(text, ID)).toEqual(azure);
    const evidence = [{ path: `account:${ID} properties.encryption`, value: null }];
    expect(decodeEvidence(encodeEvidence(evidence, ID), ID)).toEqual(evidence);
  });

  it("reads values stored before the marker existed, and values that never named the resource", () => {
    const old = JSON.stringify({ state: "none", sources: [{ resourceId: ID }] });
    expect(decodeForResource(old, ID)).toEqual({ state: "none", sources: [{ resourceId: ID }] });
    expect(encodeForResource({ state: "none" }, ID)).toBe('{"state":"none"}');
  });

  it("keeps a marker-like character in the data apart from the marker", () => {
    const tricky = { note: "\u0001 is not the ID" };
    expect(decodeForResource(encodeForResource(tricky, ID), ID)).toEqual(tricky);
  });
});
