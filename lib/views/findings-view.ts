/**
 * The findings explorer's URL state: the store's findings query (same parameter names as
 * `GET /api/scans/{id}/findings`) plus `group` and `scan`. A bad parameter in a shared link is
 * dropped with a notice instead of failing the page.
 */
import { InvalidInputError } from "@/lib/store/errors";
import { parseFindingsQuery, type FindingsQuery, type SortKey } from "@/lib/store/findings/params";
import { toURLSearchParams, type SearchParamsRecord } from "./search-params";

export type GroupBy = "none" | "control" | "resource";
export const GROUPS: readonly GroupBy[] = ["none", "control", "resource"];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface FindingsView {
  query: FindingsQuery;
  group: GroupBy;
  /** A scan named in the URL; the latest succeeded scan otherwise. */
  scanId?: string;
  /** The URL's parameters as given (for links that keep them). */
  params: URLSearchParams;
  /** One line per dropped parameter. */
  notices: string[];
}

const UI_ONLY = ["group", "scan"];

export function parseFindingsView(sp: SearchParamsRecord | undefined): FindingsView {
  const params = toURLSearchParams(sp);
  const storeParams = new URLSearchParams(params);
  for (const name of UI_ONLY) storeParams.delete(name);
  const notices: string[] = [];
  let query: FindingsQuery | undefined;
  for (let attempt = 0; attempt < 12 && !query; attempt++) {
    try {
      query = parseFindingsQuery(storeParams);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      notices.push(`Ignored “${error.field}”: ${error.message.replace(`${error.field}: `, "")}`);
      storeParams.delete(error.field);
    }
  }
  query ??= parseFindingsQuery(new URLSearchParams());
  const groupText = params.get("group")?.trim().toLowerCase() || "none";
  const group = (GROUPS as readonly string[]).includes(groupText) ? (groupText as GroupBy) : "none";
  if (group === "none" && groupText !== "none") notices.push(`Ignored “group”: expected one of ${GROUPS.join(", ")}`);
  // Grouping sorts by the group first; the page then shows contiguous groups.
  if (group === "control" && query.sort.key !== "controlId") query = { ...query, sort: { key: "controlId" as SortKey, descending: false } };
  if (group === "resource" && query.sort.key !== "resource") query = { ...query, sort: { key: "resource" as SortKey, descending: false } };
  const scan = params.get("scan")?.trim();
  return { query, group, scanId: scan && /^[A-Za-z0-9_-]{1,64}$/.test(scan) ? scan : undefined, params, notices };
}

/** Whether any filter narrows the findings (for the empty state's wording). */
export function hasFilters(q: FindingsQuery): boolean {
  return !!(q.status || q.severity || q.controlId || q.subscriptionId || q.kind || q.agreement || q.muted !== undefined || q.q);
}
