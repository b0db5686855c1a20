/** GET /api/scans/{id}: one scan (muted count as of now). DELETE: cancel it. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { scanView } from "@/lib/store/scans/view";
import { requireScan } from "@/lib/store/scans/scans";
import { actorOf, handle, json } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const { id } = await params;
    const jobs = await serverJobs();
    return json(await scanView(jobs.store, await requireScan(jobs.store, id)));
  });
}

export function DELETE(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Operator");
    const { id } = await params;
    const jobs = await serverJobs();
    return json(await jobs.cancel(id, actorOf(request)), 202);
  });
}
