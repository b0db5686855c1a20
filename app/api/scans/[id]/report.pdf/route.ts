/** GET /api/scans/{id}/report.pdf[?subscriptionId=…|resourceId=…]: the tenant, subscription or resource PDF. */
import { scanPdfReport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { ReportScopeError } from "@/lib/report/scope";
import { downloadResponse } from "@/app/api/_lib/download";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(
  { role: "Posture.Reader", query: ["subscriptionId", "resourceId"] },
  async ({ params: { id }, search, store, actor }) => {
    const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
    const resourceId = search.get("resourceId")?.trim() || undefined;
    if (subscriptionId && resourceId) throw new InvalidInputError("resourceId", "give subscriptionId or resourceId, not both");
    try {
      return downloadResponse(await scanPdfReport(store, id, { subscriptionId, resourceId }, actor));
    } catch (error) {
      if (error instanceof ReportScopeError) throw new NotFoundError(subscriptionId ? "Subscription" : "Resource", (subscriptionId ?? resourceId)!);
      throw error;
    }
  },
);
