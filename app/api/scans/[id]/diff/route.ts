/** GET /api/scans/{id}/diff?against={otherId}[&limit=]: what changed from the other scan to this one. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { InvalidInputError } from "@/lib/store/errors";
import { diffScans } from "@/lib/store/history/diff";
import { handle, intParam, json, onlyParams } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const { id } = await params;
    const search = new URL(request.url).searchParams;
    onlyParams(search, ["against", "limit"]);
    const against = search.get("against")?.trim();
    if (!against) throw new InvalidInputError("against", "is required: the ID of the scan to compare with");
    const jobs = await serverJobs();
    return json(await diffScans(jobs.store, id, against, { limit: intParam(search, "limit", 0, 100_000) }));
  });
}
