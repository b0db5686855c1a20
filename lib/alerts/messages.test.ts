import { describe, expect, it } from "vitest";
import type { AlertEvent } from "./events";
import { payloadFor } from "./messages";

const event: AlertEvent = {
  key: "r1:new_failure:s2",
  ruleId: "r1",
  ruleName: "High <failures>",
  kind: "new_failure",
  level: "high",
  title: "2 new failures in scan s2",
  summary: "Findings failed & were not failing before.",
  facts: [["Scan", "s2"]],
  items: [{ text: "HIGH SP-03 on speech_1", link: { label: "Open the resource", path: "/resources/subscriptions/a?scan=s2" } }],
  itemCount: 2,
  link: { label: "Open the findings", path: "/findings?scan=s2&status=fail" },
  scanId: "s2",
};

describe("messages", () => {
  it("the webhook document carries the event with absolute links under the base URL's path", () => {
    const p = payloadFor("webhook", event, "https://posture.example.com/app", "2026-12-01T00:00:00.000Z");
    expect(p).toMatchObject({
      type: "speech-posture.alert",
      id: "r1:new_failure:s2",
      url: "https://posture.example.com/app/findings?scan=s2&status=fail",
      itemCount: 2,
    });
    expect(p.items).toEqual([{ text: "HIGH SP-03 on speech_1", url: "https://posture.example.com/app/resources/subscriptions/a?scan=s2" }]);
  });

  it("Teams gets an Adaptive Card attachment with an open-URL action", () => {
    const p = payloadFor("teams", event, "https://posture.example.com", "t") as { attachments: { contentType: string; content: Record<string, unknown> }[] };
    expect(p.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(p.attachments[0].content).toMatchObject({
      type: "AdaptiveCard",
      actions: [{ type: "Action.OpenUrl", url: "https://posture.example.com/findings?scan=s2&status=fail" }],
    });
    expect(JSON.stringify(p)).toContain("…and 1 more");
  });

  it("Slack gets text and blocks with &, < and > escaped, and a button to the findings", () => {
    const p = payloadFor("slack", event, "https://posture.example.com", "t") as { text: string; blocks: Record<string, unknown>[] };
    expect(p.text).toBe("2 new failures in scan s2 <https://posture.example.com/findings?scan=s2&status=fail|Open the findings>");
    expect(JSON.stringify(p.blocks)).toContain("High &lt;failures&gt;");
    expect(JSON.stringify(p.blocks)).toContain("failed &amp; were");
    expect(p.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ url: "https://posture.example.com/findings?scan=s2&status=fail" }] });
  });

  it("without a public base URL, messages name the dashboard path instead of linking", () => {
    const p = payloadFor("slack", event, null, "t") as { text: string; blocks: Record<string, unknown>[] };
    expect(p.text).toBe("2 new failures in scan s2");
    expect(p.blocks.at(-1)).toMatchObject({ type: "context" });
    expect(payloadFor("webhook", event, null, "t").url).toBe("/findings?scan=s2&status=fail");
  });
});
