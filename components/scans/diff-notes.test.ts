/**
 * What the diff views say when two scans were judged with different catalogue versions: the note
 * naming both versions and the changed rules, and the "rule change" mark on a changed verdict.
 */
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { DiffItem, ScanDiff } from "@/lib/store/history/diff";
import { DiffCatalogNote } from "./diff-catalog-note";
import { DiffList } from "./diff-list";

const diff = (from: number, to: number, ruleChanges: number, controls: string[]): ScanDiff => ({
  scanId: "new",
  against: "old",
  counts: {
    newFailures: 0,
    resolved: 0,
    changed: 0,
    unchanged: 0,
    added: 0,
    removed: 0,
    goneResources: 0,
    goneFindings: 0,
    goneFailures: 0,
    notCompared: 0,
    ruleChanges,
  },
  catalogVersions: { from, to },
  ruleChangedControls: controls,
  subscriptions: { compared: 1, onlyNewer: 0, onlyOlder: 0 },
  unchangedByStatus: {},
  newFailures: [],
  resolved: [],
  changed: [],
  added: [],
  removed: [],
  gone: [],
  scores: { tenant: { from: null, to: null }, subscriptions: [] },
  truncated: false,
});
const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"');

describe("DiffCatalogNote", () => {
  it("says nothing when both scans were judged with the same catalogue", () => {
    expect(renderToStaticMarkup(createElement(DiffCatalogNote, { diff: diff(2, 2, 0, []) }))).toBe("");
  });

  it.each([
    [3, "3 changed verdicts of these controls are marked “rule change”: they may have changed because the rule did, not because Azure did."],
    [1, "1 changed verdict of these controls is marked “rule change”: it may have changed because the rule did, not because Azure did."],
    [0, "None of their verdicts changed between the two scans."],
  ])("names both versions and the changed rules (%s rule changes)", (n, sentence) => {
    const shown = text(renderToStaticMarkup(createElement(DiffCatalogNote, { diff: diff(1, 2, n, ["BYOS-2", "NET-1"]) })));
    expect(shown).toContain("The scans were judged with different control catalogues (version 1 → version 2)");
    expect(shown).toContain("The rules of BYOS-2, NET-1 changed between these versions.");
    expect(shown).toContain(sentence);
  });
});

describe("DiffList", () => {
  const item = (controlId: string, ruleChange: boolean): DiffItem => ({
    resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a-${controlId}`,
    resourceName: `a-${controlId}`,
    subscriptionId: "s",
    controlId,
    severity: "high",
    from: "pass",
    to: "fail",
    ruleChange,
  });

  it("marks only the verdicts whose rule changed", () => {
    const html = renderToStaticMarkup(createElement(DiffList, { items: [item("NET-1", true), item("IAM-1", false)], empty: "none", scanId: "new" }));
    const rows = html.split("<li").slice(1);
    expect(rows).toHaveLength(2);
    expect(text(rows[0])).toContain("rule change");
    expect(text(rows[1])).not.toContain("rule change");
  });
});
