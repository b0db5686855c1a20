/** GET /api/trend?limit=&source=: score over the last scans, for the tenant and each subscription. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { InvalidInputError } from "@/lib/store/errors";
import { scoreTrend } from "@/lib/store/history/trend";
import type { ScanSource } from "@/lib/store/db/schema";
import { handle, intParam, json, onlyParams } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const search = new URL(request.url).searchParams;
    onlyParams(search, ["limit", "source"]);
    const source = search.get("source") || undefined;
    if (source && !["live", "emulator", "snapshot"].includes(source)) throw new InvalidInputError("source", 'expected "live", "emulator" or "snapshot"');
    const jobs = await serverJobs();
    return json(await scoreTrend(jobs.store, { limit: intParam(search, "limit", 1, 500), source: source as ScanSource | undefined }));
  });
}
