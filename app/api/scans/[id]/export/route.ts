/**
 * GET /api/scans/{id}/export?format=csv|json|ocsf|oscal-ar|oscal-poam|oscal-ap[&subscriptionId=…]:
 * findings for spreadsheets, tools and SIEMs, and OSCAL documents for auditors.
 */
import { scanExport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { EXPORT_FORMATS, isExportFormat } from "@/lib/report/export";
import { EmptyPoamError } from "@/lib/report/oscal/poam";
import { ReportScopeError } from "@/lib/report/scope";
import { downloadResponse } from "@/app/api/_lib/download";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>({ role: "Posture.Reader", query: ["format", "subscriptionId"] }, async ({ params: { id }, search, store, actor }) => {
  const format = search.get("format");
  if (!isExportFormat(format)) throw new InvalidInputError("format", `expected one of ${EXPORT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
  try {
    return downloadResponse(await scanExport(store, id, format, subscriptionId, actor));
  } catch (error) {
    if (error instanceof ReportScopeError) throw new NotFoundError("Subscription", subscriptionId!);
    if (error instanceof EmptyPoamError) throw new StateConflictError(error.message);
    throw error;
  }
});
