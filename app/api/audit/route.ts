/** GET /api/audit?limit=&beforeId=&action=&actor=: the audit trail, newest first. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { listAudit } from "@/lib/store/audit";
import { handle, intParam, json, onlyParams } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Admin");
    const search = new URL(request.url).searchParams;
    onlyParams(search, ["limit", "beforeId", "action", "actor"]);
    const jobs = await serverJobs();
    const items = await listAudit(jobs.store, {
      limit: intParam(search, "limit", 1, 1000),
      beforeId: intParam(search, "beforeId", 0, Number.MAX_SAFE_INTEGER),
      action: search.get("action") || undefined,
      actor: search.get("actor") || undefined,
    });
    return json({ items });
  });
}
