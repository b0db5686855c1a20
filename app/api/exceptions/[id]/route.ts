/** DELETE /api/exceptions/{id}: remove an exception (it stays listed as removed, for the audit). */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { removeException } from "@/lib/store/exceptions";
import { actorOf, handle, json } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function DELETE(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Operator");
    const { id } = await params;
    const jobs = await serverJobs();
    return json(await removeException(jobs.store, id, actorOf(request)));
  });
}
