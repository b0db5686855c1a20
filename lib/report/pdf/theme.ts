/**
 * The look of the reports: page geometry, type sizes, a restrained palette, and how each status
 * is printed. A status is always a word and a symbol; colour only repeats what the text says.
 */
import type { Severity, Status, UnknownReason } from "@/lib/posture/vocabulary";
export const PAGE = {
  /** A4 in points. */
  width: 595.28,
  height: 841.89,
  marginX: 50,
  top: 70,
  bottom: 62,
  headerY: 30,
  footerY: 806,
} as const;

export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;
export const CONTENT_BOTTOM = PAGE.height - PAGE.bottom;

export const SIZE = {
  title: 24,
  h1: 16,
  h2: 12,
  h3: 10,
  body: 9,
  small: 8,
  tiny: 7,
  micro: 6.5,
} as const;

/** Colours as [r, g, b] in 0..1. */
export type Rgb = readonly [number, number, number];

function hex(h: string): Rgb {
  const n = Number.parseInt(h.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

export const COLOR = {
  ink: hex("#1f2933"),
  text: hex("#323f4b"),
  muted: hex("#616e7c"),
  faint: hex("#9aa5b1"),
  rule: hex("#cbd2d9"),
  panel: hex("#f5f7fa"),
  code: hex("#f0f2f5"),
  accent: hex("#1d3557"),
  accentSoft: hex("#e4ebf5"),
  white: hex("#ffffff"),
  pass: hex("#2f7d32"),
  fail: hex("#b42318"),
  unknown: hex("#a15c07"),
  na: hex("#616e7c"),
  /** Fill for "not applicable" areas in charts: lighter than its text colour. */
  naFill: hex("#b8c2cc"),
  muteInk: hex("#5b4b8a"),
  high: hex("#b42318"),
  medium: hex("#c4631a"),
  low: hex("#8d7d1f"),
} as const;

export interface StatusStyle {
  /** The word printed: never omitted. */
  readonly label: string;
  /** A short form for dense tables. */
  readonly short: string;
  /** A symbol from the embedded font, printed before the word. */
  readonly symbol: string;
  readonly color: Rgb;
}

export const STATUS_STYLE: Readonly<Record<string, StatusStyle>> = {
  pass: { label: "PASS", short: "PASS", symbol: "✓", color: COLOR.pass },
  fail: { label: "FAIL", short: "FAIL", symbol: "✗", color: COLOR.fail },
  unknown: { label: "UNKNOWN", short: "UNK", symbol: "?", color: COLOR.unknown },
  not_applicable: { label: "N/A", short: "N/A", symbol: "–", color: COLOR.na },
} satisfies Record<Status, StatusStyle>;

export function statusStyle(status: string | null | undefined): StatusStyle {
  return (status && STATUS_STYLE[status]) || { label: String(status ?? "NONE").toUpperCase(), short: "—", symbol: "·", color: COLOR.na };
}

export const SEVERITY_STYLE: Readonly<Record<string, { label: string; color: Rgb }>> = {
  high: { label: "High", color: COLOR.high },
  medium: { label: "Medium", color: COLOR.medium },
  low: { label: "Low", color: COLOR.low },
} satisfies Record<Severity, { label: string; color: Rgb }>;

export const REASON_LABEL: Readonly<Record<string, string>> = {
  not_collected: "not collected",
  not_visible: "not visible",
  access_denied: "access denied",
  network_blocked: "network blocked",
  collection_error: "collection error",
} satisfies Record<UnknownReason, string>;
