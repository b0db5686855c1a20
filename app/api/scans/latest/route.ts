/** GET /api/scans/latest: the newest succeeded scan (404 when there is none yet). */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { NotFoundError } from "@/lib/store/errors";
import { scanView } from "@/lib/store/scans/view";
import { latestSucceededScan } from "@/lib/store/scans/scans";
import { handle, json, onlyParams } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    onlyParams(new URL(request.url).searchParams, []);
    const jobs = await serverJobs();
    const scan = await latestSucceededScan(jobs.store);
    if (!scan) throw new NotFoundError("Scan", "latest");
    return json(await scanView(jobs.store, scan));
  });
}
