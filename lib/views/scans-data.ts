/** The scans page: history (newest first, paged backwards by time), an optional diff and one scan's collection errors. */
import { diffScans, type ScanDiff } from "@/lib/store/history/diff";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { parseTenantParam } from "@/lib/store/tenants";
import { getScan, listScans, type Scan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { summarizeErrors, type ErrorSummary } from "./scan-errors";
import { activeScan, scanSubscriptions } from "@/lib/store/reads";
import { scanErrors } from "@/lib/store/scans/scans";

export const SCANS_PAGE_SIZE = 25;
export const DIFF_LIMIT = 200;

export interface ScansData {
  scans: (Scan & { errorCount: number })[];
  /** `before` cursor for the next (older) page, when there is one. */
  olderBefore: string | null;
  succeeded: Scan[];
  active: Scan | null;
  /** `tenant`: the one tenant compared, or null for the whole scans. */
  diff: { from: Scan; to: Scan; tenant: string | null; diff: ScanDiff } | null;
  diffProblem: string | null;
  errors: { scan: Scan; summary: ErrorSummary } | null;
}

/** `tenant`: compare only that tenant of an estate (`tenant=` on the page); a malformed one is a diff problem. */
export async function loadScans(
  store: Store,
  options: { before?: string; from?: string; to?: string; errorsOf?: string; tenant?: string },
): Promise<ScansData> {
  const [page, succeeded, active] = await Promise.all([
    listScans(store, { limit: SCANS_PAGE_SIZE + 1, before: options.before }),
    listScans(store, { status: ["succeeded"], limit: 100 }),
    activeScan(store),
  ]);
  const rows = page.slice(0, SCANS_PAGE_SIZE);
  const counts = await Promise.all(rows.map((s) => (s.status === "succeeded" ? scanErrors(store, s.id).then((e) => e.length) : Promise.resolve(0))));
  let diff: ScansData["diff"] = null;
  let diffProblem: string | null = null;
  if (options.from && options.to) {
    if (options.from === options.to) diffProblem = "Pick two different scans to compare.";
    else {
      try {
        const [a, b] = await Promise.all([getScan(store, options.from), getScan(store, options.to)]);
        if (!a || !b) throw new NotFoundError("Scan", !a ? options.from : options.to);
        // Compare older → newer whichever way they were picked.
        const [from, to] = (a.finishedAt ?? "") <= (b.finishedAt ?? "") ? [a, b] : [b, a];
        const tenant = parseTenantParam(options.tenant);
        diff = { from, to, tenant: tenant ?? null, diff: await diffScans(store, to.id, from.id, { limit: DIFF_LIMIT, ...(tenant ? { tenant } : {}) }) };
      } catch (error) {
        if (error instanceof NotFoundError || error instanceof StateConflictError || error instanceof InvalidInputError) diffProblem = error.message;
        else throw error;
      }
    }
  }
  let errors: ScansData["errors"] = null;
  if (options.errorsOf) {
    const scan = await getScan(store, options.errorsOf);
    if (scan) {
      const [list, subs] = await Promise.all([scanErrors(store, scan.id), scanSubscriptions(store, scan.id)]);
      errors = { scan, summary: summarizeErrors(list, new Map(subs.map((s) => [s.key, s.displayName]))) };
    }
  }
  return {
    scans: rows.map((s, i) => ({ ...s, errorCount: counts[i] })),
    olderBefore: page.length > SCANS_PAGE_SIZE ? rows[rows.length - 1].createdAt : null,
    succeeded,
    active: active ?? null,
    diff,
    diffProblem,
    errors,
  };
}
