/**
 * The one preamble of every role-guarded API handler: the role check (401/403), the route's
 * parameters, the query string checked against the names the route accepts (400 for any other),
 * the server's store, and every error mapped to the `{ error: { code, message } }` answer.
 */
import { requireRole } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import type { ScanJobs } from "@/lib/scan/jobs";
import { serverJobs } from "@/lib/scan/jobs-server";
import type { Store } from "@/lib/store/store";
import { handle, onlyParams } from "./http";

export interface RouteContext<P> {
  request: Request;
  /** The dynamic segments of the route's path (`{}` for a static route). */
  params: P;
  /** The query string, holding only names the route accepts. */
  search: URLSearchParams;
  jobs: ScanJobs;
  store: Store;
  /** Who is acting, for the audit trail: the signed-in user, or `local` without sign-in. */
  actor: string;
}

export interface RouteOptions {
  role: Role;
  /** The query parameters the route accepts; any other is refused, so a typo is not silently
   *  ignored. Omitted: the route reads its query itself (the findings filter does). */
  query?: readonly string[];
}

/** A Next route handler: `export const GET = route({ role: "Posture.Reader" }, async ({ store }) => json(...))`. */
export function route<P extends object = Record<string, never>>(
  options: RouteOptions,
  fn: (ctx: RouteContext<P>) => Promise<Response>,
): (request: Request, context?: { params: Promise<P> }) => Promise<Response> {
  return (request, context) =>
    handle(async () => {
      const principal = await requireRole(request, options.role);
      const params = context ? await context.params : ({} as P);
      const search = new URL(request.url).searchParams;
      if (options.query) onlyParams(search, options.query);
      const jobs = await serverJobs();
      return fn({ request, params, search, jobs, store: jobs.store, actor: principal.actor });
    });
}
