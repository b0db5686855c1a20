/** GET /api/scans/{id}/report.pdf[?subscriptionId=…|resourceId=…]: the tenant, subscription or resource PDF. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { scanPdfReport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { ReportScopeError } from "@/lib/report/scope";
import { actorOf, handle, onlyParams } from "@/app/api/_lib/http";
import { downloadResponse } from "@/app/api/_lib/download";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const { id } = await params;
    const search = new URL(request.url).searchParams;
    onlyParams(search, ["subscriptionId", "resourceId"]);
    const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
    const resourceId = search.get("resourceId")?.trim() || undefined;
    if (subscriptionId && resourceId) throw new InvalidInputError("resourceId", "give subscriptionId or resourceId, not both");
    const jobs = await serverJobs();
    try {
      return downloadResponse(await scanPdfReport(jobs.store, id, { subscriptionId, resourceId }, actorOf(request)));
    } catch (error) {
      if (error instanceof ReportScopeError) throw new NotFoundError(subscriptionId ? "Subscription" : "Resource", (subscriptionId ?? resourceId)!);
      throw error;
    }
  });
}
