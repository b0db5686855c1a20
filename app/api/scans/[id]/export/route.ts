/**
 * GET /api/scans/{id}/export?format=csv|json|ocsf|oscal-ar|oscal-poam|oscal-ap[&subscriptionId=…]:
 * findings for spreadsheets, tools and SIEMs, and OSCAL documents for auditors.
 */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { scanExport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { EXPORT_FORMATS, isExportFormat } from "@/lib/report/export";
import { EmptyPoamError } from "@/lib/report/oscal/poam";
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
    if (!isExportFormat(format)) throw new InvalidInputError("format", `expected one of ${EXPORT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
    const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
    const jobs = await serverJobs();
    try {
      return downloadResponse(await scanExport(jobs.store, id, format, subscriptionId, actorOf(request)));
    } catch (error) {
      if (error instanceof ReportScopeError) throw new NotFoundError("Subscription", subscriptionId!);
      if (error instanceof EmptyPoamError) throw new StateConflictError(error.message);
      throw error;
    }
  });
}
