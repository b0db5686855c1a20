/**
 * The findings explorer's URL state: the store's findings query (same parameter names as
 * `GET /api/scans/{id}/findings`) plus `group` and `scan`. A bad parameter in a shared link is
 * dropped with a notice instead of failing the page.
 */
import { InvalidInputError } from "@/lib/store/errors";
import { FINDINGS_GROUPS, parseFindingsQuery, type FindingsGroup, type FindingsQuery } from "@/lib/store/findings/params";
import { toURLSearchParams, type SearchParamsRecord } from "./search-params";

export type GroupBy = "none" | FindingsGroup;
export const GROUPS: readonly GroupBy[] = ["none", ...FINDINGS_GROUPS];
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

const UI_ONLY = ["scan"];

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
  // The store sorts a grouped page by the group first, so groups are contiguous.
  const group: GroupBy = query.group ?? "none";
  const scan = params.get("scan")?.trim();
  return { query, group, scanId: scan && /^[A-Za-z0-9_-]{1,64}$/.test(scan) ? scan : undefined, params, notices };
}

/** Whether any filter narrows the findings (for the empty state's wording). */
export function hasFilters(q: FindingsQuery): boolean {
  return !!(q.status || q.severity || q.controlId || q.subscriptionId || q.tenant || q.kind || q.agreement || q.muted !== undefined || q.q);
}
