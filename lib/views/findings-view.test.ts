import { describe, expect, it } from "vitest";
import { hasFilters, parseFindingsView } from "./findings-view";

describe("parseFindingsView", () => {
  it("reads the store's parameters plus group and scan", () => {
    const v = parseFindingsView({ controlId: "cmk-2", severity: ["high", "medium"], status: "fail", group: "resource", scan: "abc123", page: "3" });
    expect(v.query.controlId).toEqual(["CMK-2"]);
    expect(v.query.severity).toEqual(["high", "medium"]);
    expect(v.query.page).toBe(3);
    expect(v.group).toBe("resource");
    // Grouping sorts by the group.
    expect(v.query.sort.key).toBe("resource");
    expect(v.scanId).toBe("abc123");
    expect(v.notices).toEqual([]);
    expect(hasFilters(v.query)).toBe(true);
  });

  it("drops what it does not understand and says so, keeping the rest", () => {
    const v = parseFindingsView({ severity: "urgent", controlId: "NET-1", colour: "red", group: "team", scan: "../etc" });
    expect(v.query.severity).toBeUndefined();
    expect(v.query.controlId).toEqual(["NET-1"]);
    expect(v.group).toBe("none");
    expect(v.scanId).toBeUndefined();
    expect(v.notices.join("\n")).toMatch(/severity/);
    expect(v.notices.join("\n")).toMatch(/colour/);
    expect(v.notices.join("\n")).toMatch(/group/);
  });

  it("groups by subscription, sorting by it whatever sort the link asks for", () => {
    const v = parseFindingsView({ group: "Subscription", sort: "-severity", status: "fail" });
    expect(v.group).toBe("subscription");
    expect(v.query.group).toBe("subscription");
    expect(v.query.sort).toEqual({ key: "subscription", descending: false });
    expect(v.notices).toEqual([]);
  });

  it("defaults to severity order, 50 per page, no filters", () => {
    const v = parseFindingsView({});
    expect(v.query.sort).toEqual({ key: "severity", descending: false });
    expect(v.query.pageSize).toBe(50);
    expect(hasFilters(v.query)).toBe(false);
  });
});
