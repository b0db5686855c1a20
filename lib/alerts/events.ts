/** What an alert is about, before it is addressed to any destination (pure data). */
import type { AlertRuleKind } from "./rules";

/** A link inside the dashboard: a path with its query, made absolute with the public base URL when sent. */
export interface DashboardLink {
  label: string;
  path: string;
}

export interface AlertEvent {
  /**
   * The event's identity: the same event found again (a re-evaluation, a second instance, the next
   * daily check) has the same key, so each destination hears of it once.
   */
  key: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  /** How loud: a failure's severity, or "info". */
  level: "high" | "medium" | "low" | "info";
  title: string;
  summary: string;
  facts: [string, string][];
  /** A few lines of detail (the first failures, the expiring exceptions), each with its link. */
  items: { text: string; link: DashboardLink }[];
  /** How many items there were in all (items lists at most MAX_ITEMS). */
  itemCount: number;
  /** Where to look: the findings or page the event is about. */
  link: DashboardLink;
  scanId?: string;
}

/** Lines of detail in one message; the link shows the rest. */
export const MAX_ITEMS = 10;
