/**
 * Validating the findings query string: every parameter and every value is checked, and the first
 * problem names its parameter (HTTP 400), so a typo never silently means "no filter".
 */
import { controlById } from "@/lib/posture/controls";
import { InvalidInputError } from "@/lib/store/errors";
import { SPEECH_KINDS } from "@/lib/posture/snapshot";
import { AGREEMENTS, SEVERITIES, STATUSES } from "@/lib/posture/vocabulary";
import { SORT_KEYS, type SortKey } from "./model";
import { parseTenantParam } from "@/lib/store/tenants";

export { SORT_KEYS, type SortKey } from "./model";

export interface FindingsQuery {
  status?: string[];
  severity?: string[];
  /** How our status compares with Azure's verdict (AGREEMENTS). */
  agreement?: string[];
  controlId?: string[];
  /** Lower-cased. */
  subscriptionId?: string[];
  /** One tenant's subscriptions only (lower-cased tenant GUID, or `unknown`). */
  tenant?: string;
  kind?: string[];
  muted?: boolean;
  /** Lower-cased free text: resource name or ID, or control ID. */
  q?: string;
  sort: { key: SortKey; descending: boolean };
  /** Group the page by control, resource or subscription: sorted by the group first, with each group's total. */
  group?: FindingsGroup;
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 500;
const KNOWN = new Set(["status", "severity", "agreement", "controlId", "subscriptionId", "tenant", "kind", "muted", "q", "sort", "group", "page", "pageSize"]);

export const FINDINGS_GROUPS = ["control", "resource", "subscription"] as const;
export type FindingsGroup = (typeof FINDINGS_GROUPS)[number];
/** The sort a group imposes, so each group's findings are contiguous across pages. */
export const GROUP_SORT: Record<FindingsGroup, SortKey> = { control: "controlId", resource: "resource", subscription: "subscription" };

/** Values may repeat the parameter (`?status=fail&status=unknown`) or be comma-separated. */
function values(params: URLSearchParams, name: string): string[] | undefined {
  const all = params
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return all.length ? all : undefined;
}

function oneOf(name: string, given: string[] | undefined, allowed: readonly string[]): string[] | undefined {
  if (!given) return undefined;
  const byLower = new Map(allowed.map((a) => [a.toLowerCase(), a]));
  return [
    ...new Set(
      given.map((v) => {
        const hit = byLower.get(v.toLowerCase());
        if (!hit) throw new InvalidInputError(name, `unknown value ${JSON.stringify(v)}; expected one of ${allowed.join(", ")}`);
        return hit;
      }),
    ),
  ];
}

function integer(params: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const v = params.get(name);
  if (v === null || v.trim() === "") return fallback;
  if (!/^\d+$/.test(v.trim())) throw new InvalidInputError(name, `expected a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new InvalidInputError(name, `must be between ${min} and ${max}`);
  return n;
}

export function parseFindingsQuery(params: URLSearchParams): FindingsQuery {
  for (const name of params.keys()) if (!KNOWN.has(name)) throw new InvalidInputError(name, `unknown parameter; expected ${[...KNOWN].join(", ")}`);
  const controls = values(params, "controlId")?.map((c) => {
    const control = controlById(c);
    if (!control) throw new InvalidInputError("controlId", `unknown control ${JSON.stringify(c)}`);
    return control.id as string;
  });
  const subs = values(params, "subscriptionId")?.map((s) => {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(s)) throw new InvalidInputError("subscriptionId", `not a subscription ID: ${JSON.stringify(s)}`);
    return s.toLowerCase();
  });
  let muted: boolean | undefined;
  const m = params.get("muted");
  if (m !== null && m.trim() !== "") {
    if (m !== "true" && m !== "false") throw new InvalidInputError("muted", 'expected "true" or "false"');
    muted = m === "true";
  }
  const q = params.get("q")?.trim();
  if (q && q.length > 200) throw new InvalidInputError("q", "at most 200 characters");
  const sortText = params.get("sort")?.trim() || "severity";
  const descending = sortText.startsWith("-");
  const key = SORT_KEYS.find((k) => k.toLowerCase() === sortText.replace(/^[-+]/, "").toLowerCase());
  if (!key)
    throw new InvalidInputError("sort", `unknown sort ${JSON.stringify(sortText)}; expected one of ${SORT_KEYS.join(", ")}, optionally prefixed with -`);
  const groupText = params.get("group")?.trim().toLowerCase();
  let group: FindingsGroup | undefined;
  if (groupText && groupText !== "none") {
    group = FINDINGS_GROUPS.find((g) => g === groupText);
    if (!group) throw new InvalidInputError("group", `unknown group ${JSON.stringify(groupText)}; expected one of none, ${FINDINGS_GROUPS.join(", ")}`);
  }
  return {
    status: oneOf("status", values(params, "status"), STATUSES),
    severity: oneOf("severity", values(params, "severity"), SEVERITIES),
    agreement: oneOf("agreement", values(params, "agreement"), AGREEMENTS),
    controlId: controls ? [...new Set(controls)] : undefined,
    subscriptionId: subs ? [...new Set(subs)] : undefined,
    tenant: parseTenantParam(params.get("tenant")),
    kind: oneOf("kind", values(params, "kind"), SPEECH_KINDS),
    muted,
    q: q ? q.toLowerCase() : undefined,
    // Grouping sorts by the group first (ascending), so a group is never split across a page by the sort.
    sort: group ? { key: GROUP_SORT[group], descending: false } : { key, descending },
    ...(group ? { group } : {}),
    page: integer(params, "page", 1, 1_000_000, 1),
    pageSize: integer(params, "pageSize", 1, MAX_PAGE_SIZE, 50),
  };
}
