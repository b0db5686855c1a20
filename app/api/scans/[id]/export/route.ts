/** GET /api/scans/{id}/export?format=csv|json|ocsf[&subscriptionId=…]: findings for spreadsheets, tools and SIEMs. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { scanExport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { isExportFormat } from "@/lib/report/export";
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
    onlyParams(search, ["format", "subscriptionId"]);
    const format = search.get("format");
    if (!isExportFormat(format)) throw new InvalidInputError("format", `expected csv, json or ocsf, got ${JSON.stringify(format)}`);
    const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
    const jobs = await serverJobs();
    try {
      return downloadResponse(await scanExport(jobs.store, id, format, subscriptionId, actorOf(request)));
    } catch (error) {
      if (error instanceof ReportScopeError) throw new NotFoundError("Subscription", subscriptionId!);
      throw error;
    }
  });
}
