import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, parseAuditView } from "./audit-data";

describe("parseAuditView", () => {
  it("reads an action and a cursor", () => {
    expect(parseAuditView({ action: "exception.created", before: "120" })).toEqual({ action: "exception.created", before: 120, notices: [] });
    expect(parseAuditView({})).toEqual({ action: undefined, before: undefined, notices: [] });
  });

  it.each([
    [{ action: "toString" }, /Ignored “action”/],
    [{ action: "SCAN.STARTED" }, /Ignored “action”/],
    [{ before: "0" }, /Ignored “before”/],
    [{ before: "-5" }, /Ignored “before”/],
    [{ before: "1e3" }, /Ignored “before”/],
    [{ before: "99999999999999999999" }, /Ignored “before”/],
  ])("drops %j with a notice", (sp, notice) => {
    const view = parseAuditView(sp);
    expect(view.action).toBeUndefined();
    expect(view.before).toBeUndefined();
    expect(view.notices.join("\n")).toMatch(notice);
  });

  it("names every action the store records", () => {
    expect(Object.keys(AUDIT_ACTIONS).sort()).toEqual(
      [
        "access.checked",
        "alert.destination.created",
        "alert.destination.removed",
        "alert.rule.created",
        "alert.rule.removed",
        "alert.test.sent",
        "exception.created",
        "exception.removed",
        "exception.renewed",
        "exception.updated",
        "report.exported",
        "resource.rechecked",
        "scan.cancelled",
        "scans.removed",
        "scan.started",
        "settings.changed",
        "snapshot.imported",
        "target.added",
        "target.changed",
        "target.removed",
      ].sort(),
    );
  });
});
