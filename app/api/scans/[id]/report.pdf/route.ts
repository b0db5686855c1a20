/** GET /api/scans/{id}/report.pdf[?subscriptionId=…|resourceId=…|tenant=…]: the estate, subscription, resource or one tenant's PDF. */
import { scanPdfReport } from "@/lib/scan/reports";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { ReportScopeError } from "@/lib/report/scope";
import { downloadResponse } from "@/app/api/_lib/download";
import { route } from "@/app/api/_lib/route";
import { parseTenantParam } from "@/lib/store/tenants";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(
  { role: "Posture.Reader", query: ["subscriptionId", "resourceId", "tenant"] },
  async ({ params: { id }, search, store, actor }) => {
    const subscriptionId = search.get("subscriptionId")?.trim() || undefined;
    const resourceId = search.get("resourceId")?.trim() || undefined;
    const tenantId = parseTenantParam(search.get("tenant"));
    if (subscriptionId && resourceId) throw new InvalidInputError("resourceId", "give subscriptionId or resourceId, not both");
    if (tenantId && (subscriptionId || resourceId)) throw new InvalidInputError("tenant", "give tenant, subscriptionId or resourceId, not two of them");
    try {
      return downloadResponse(await scanPdfReport(store, id, { subscriptionId, resourceId, tenantId }, actor));
    } catch (error) {
      if (error instanceof ReportScopeError)
        throw new NotFoundError(tenantId ? "Tenant" : subscriptionId ? "Subscription" : "Resource", (tenantId ?? subscriptionId ?? resourceId)!);
      throw error;
    }
  },
);
