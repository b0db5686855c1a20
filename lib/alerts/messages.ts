/**
 * An event as each destination kind wants it: the generic webhook's JSON document, a Microsoft
 * Teams Workflows message carrying an Adaptive Card, and a Slack incoming-webhook message. Links
 * are made absolute with the configured public base URL; without one the message names the path.
 */
import type { AlertEvent, DashboardLink } from "./events";

export const DESTINATION_KINDS = ["webhook", "teams", "slack"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** The generic webhook's document version: bumped when a field changes meaning. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** `path` under `base` ("https://posture.example.com/"), or undefined without a base. */
export function absoluteUrl(link: DashboardLink, base: string | null): string | undefined {
  if (!base) return undefined;
  return new URL(link.path.replace(/^\/+/, ""), base.endsWith("/") ? base : `${base}/`).toString();
}

export function webhookPayload(event: AlertEvent, base: string | null, sentAt: string): Record<string, unknown> {
  const url = (l: DashboardLink) => absoluteUrl(l, base) ?? l.path;
  return {
    type: "speech-posture.alert",
    version: WEBHOOK_PAYLOAD_VERSION,
    id: event.key,
    sentAt,
    rule: { id: event.ruleId, name: event.ruleName, kind: event.kind },
    level: event.level,
    title: event.title,
    summary: event.summary,
    scanId: event.scanId ?? null,
    url: url(event.link),
    facts: Object.fromEntries(event.facts),
    items: event.items.map((i) => ({ text: i.text, url: url(i.link) })),
    itemCount: event.itemCount,
  };
}

/** Teams Workflows ("When a Teams webhook request is received") takes a message whose attachment is the card. */
export function teamsPayload(event: AlertEvent, base: string | null): Record<string, unknown> {
  const open = absoluteUrl(event.link, base);
  const body: Record<string, unknown>[] = [
    { type: "TextBlock", text: event.title, weight: "Bolder", size: "Medium", wrap: true, color: event.level === "high" ? "Attention" : "Default" },
    { type: "TextBlock", text: event.summary, wrap: true },
    { type: "FactSet", facts: [["Rule", event.ruleName], ...event.facts].map(([title, value]) => ({ title, value })) },
  ];
  if (event.items.length) {
    body.push({
      type: "TextBlock",
      wrap: true,
      text: event.items.map((i) => `- ${absoluteUrl(i.link, base) ? `[${mdText(i.text)}](${absoluteUrl(i.link, base)})` : mdText(i.text)}`).join("\n"),
    });
    if (event.itemCount > event.items.length)
      body.push({ type: "TextBlock", isSubtle: true, wrap: true, text: `…and ${event.itemCount - event.items.length} more` });
  }
  if (!open) body.push({ type: "TextBlock", isSubtle: true, wrap: true, text: `In the dashboard: ${event.link.path}` });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          ...(open ? { actions: [{ type: "Action.OpenUrl", title: event.link.label, url: open }] } : {}),
        },
      },
    ],
  };
}

/** Markdown-like text without the characters that would start a link or emphasis. */
function mdText(text: string): string {
  return text.replace(/[[\]()*_`~<>|]/g, (c) => `\\${c}`);
}

/** Slack's mrkdwn needs &, < and > escaped; everything else is literal. */
function slackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackPayload(event: AlertEvent, base: string | null): Record<string, unknown> {
  const open = absoluteUrl(event.link, base);
  const line = (i: AlertEvent["items"][number]) => {
    const u = absoluteUrl(i.link, base);
    return u ? `• <${u}|${slackText(i.text)}>` : `• ${slackText(i.text)}`;
  };
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: event.title.slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: slackText(event.summary) } },
    {
      type: "section",
      fields: [["Rule", event.ruleName], ...event.facts].slice(0, 10).map(([k, v]) => ({ type: "mrkdwn", text: `*${slackText(k)}*\n${slackText(v)}` })),
    },
  ];
  if (event.items.length) {
    const more = event.itemCount > event.items.length ? `\n…and ${event.itemCount - event.items.length} more` : "";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: event.items.map(line).join("\n") + more } });
  }
  blocks.push(
    open
      ? { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: event.link.label }, url: open }] }
      : { type: "context", elements: [{ type: "mrkdwn", text: `In the dashboard: ${slackText(event.link.path)}` }] },
  );
  // `text` is what notifications and clients without blocks show.
  return { text: `${slackText(event.title)}${open ? ` <${open}|${slackText(event.link.label)}>` : ""}`, blocks };
}

export function payloadFor(kind: DestinationKind, event: AlertEvent, base: string | null, sentAt: string): Record<string, unknown> {
  if (kind === "teams") return teamsPayload(event, base);
  if (kind === "slack") return slackPayload(event, base);
  return webhookPayload(event, base, sentAt);
}
