/** GET /api/resources/{resourceId}?scan=: one resource's documents, findings and history across scans. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { InvalidInputError } from "@/lib/store/errors";
import { resourceDetail } from "@/lib/store/resource-detail";
import { handle, json, onlyParams } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ resourceId: string[] }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const { resourceId } = await params;
    const search = new URL(request.url).searchParams;
    onlyParams(search, ["scan"]);
    let id: string;
    try {
      id = "/" + resourceId.map((s) => decodeURIComponent(s)).join("/");
    } catch {
      throw new InvalidInputError("resourceId", "is not validly percent-encoded");
    }
    const jobs = await serverJobs();
    return json(await resourceDetail(jobs.store, id, { scanId: search.get("scan") || undefined }));
  });
}
