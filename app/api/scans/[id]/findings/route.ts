/** GET /api/scans/{id}/findings: a filtered, sorted page of findings with facet counts. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { queryFindings } from "@/lib/store/findings/query";
import { handle, json } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const { id } = await params;
    const query = parseFindingsQuery(new URL(request.url).searchParams);
    const jobs = await serverJobs();
    return json(await queryFindings(jobs.store, id, query));
  });
}
