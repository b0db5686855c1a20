import { describe, expect, it } from "vitest";
import { dateTime, duration, durationMs, evidenceValue, nameOfId, percent, relative, score } from "./format";
import { hrefWith, resourceHref, resourceIdFromSegments } from "./search-params";
import { summarizeErrors } from "./scan-errors";

describe("format", () => {
  it("shows hidden characters in evidence values as code points", () => {
    expect(evidenceValue("st\u202Eexe")).toBe("st[U+202E]exe");
    expect(evidenceValue({ name: "a\u200Bb" })).toBe('{"name":"a[U+200B]b"}');
  });

  it("formats times in UTC and durations readably", () => {
    expect(dateTime("2026-11-14T09:05:00Z")).toBe("14 Nov 2026, 09:05 UTC");
    expect(dateTime(null)).toBe("—");
    expect(duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:01.5Z")).toBe("1.5 s");
    expect(durationMs(125_000)).toBe("2 min 5 s");
    expect(durationMs(450)).toBe("450 ms");
  });
  it("never shows nothing-to-judge as 100", () => {
    expect(score(null)).toBe("n/a");
    expect(score(0)).toBe("0");
    expect(percent(1, 3)).toBe("33%");
    expect(percent(0, 0)).toBe("—");
  });
  it("says how far a time is", () => {
    const now = new Date("2026-01-10T00:00:00Z");
    expect(relative("2026-01-12T00:00:00Z", now)).toBe("in 2 days");
    expect(relative("2026-01-09T23:00:00Z", now)).toBe("1 hour ago");
  });
  it("shows evidence values as text", () => {
    expect(evidenceValue(undefined)).toBe("(absent)");
    expect(evidenceValue("")).toBe('""');
    expect(evidenceValue(["a"])).toBe('["a"]');
    expect(nameOfId("/subscriptions/x/resourceGroups/rg/providers/P/accounts/name")).toBe("name");
  });
});

describe("links", () => {
  it("round-trips a resource ID through its page URL", () => {
    const id = "/subscriptions/s/resourceGroups/rg (1)/providers/Microsoft.CognitiveServices/accounts/a.b";
    const href = resourceHref(id, "scan1");
    expect(href).toBe("/resources/subscriptions/s/resourceGroups/rg%20(1)/providers/Microsoft.CognitiveServices/accounts/a.b?scan=scan1");
    const segments = href.split("?")[0].split("/").slice(2);
    expect(resourceIdFromSegments(segments)).toBe(id);
  });
  it("changes URL state without losing the rest", () => {
    const current = new URLSearchParams("controlId=NET-1&page=3&severity=high");
    expect(hrefWith("/findings", current, { page: null, status: ["fail", "unknown"] })).toBe(
      "/findings?controlId=NET-1&severity=high&status=fail&status=unknown",
    );
  });
});

describe("summarizeErrors", () => {
  it("separates unread subscriptions, partly read subscriptions and resources", () => {
    const names = new Map([["sub-a", "Prod"]]);
    const s = summarizeErrors(
      [
        { scope: "/subscriptions/SUB-A", source: "resourceGraph", reason: "access_denied", code: "AuthorizationFailed", message: "denied" },
        { scope: "/subscriptions/sub-a", source: "roleAssignments", reason: "access_denied", message: "no roles" },
        {
          scope: "/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/x",
          source: "speechEndpoints",
          reason: "network_blocked",
          message: "closed",
        },
        {
          scope: "/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/y",
          source: "diagnosticSettings",
          reason: "weird" as never,
          message: "?",
        },
      ],
      names,
    );
    expect(s.total).toBe(4);
    expect(s.subscriptionsUnread.map((e) => e.name)).toEqual(["Prod"]);
    expect(s.subscriptionOther).toHaveLength(1);
    expect(s.resources.map((e) => e.name)).toEqual(["x", "y"]);
    // An unknown reason counts as a collection error.
    expect(s.byReason).toContainEqual(["collection error", 1]);
    expect(s.byReason[0]).toEqual(["access denied", 2]);
  });
});
