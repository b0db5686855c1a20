/** GET /api/exceptions: active, expired and removed exceptions. POST: create one (201). */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { createException, listExceptions } from "@/lib/store/exceptions";
import { actorOf, handle, json, onlyParams, readJsonBody } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    onlyParams(new URL(request.url).searchParams, []);
    const jobs = await serverJobs();
    return json(await listExceptions(jobs.store));
  });
}

export function POST(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Operator");
    const body = await readJsonBody(request);
    const jobs = await serverJobs();
    return json(await createException(jobs.store, body, actorOf(request)), 201);
  });
}
