/** GET /api/settings; PUT /api/settings { scheduleCron?, scheduleSource?, retentionKeep? }. */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { getSettings, updateSettings } from "@/lib/store/settings";
import { actorOf, handle, json, readJsonBody } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Admin");
    return json(await getSettings((await serverJobs()).store));
  });
}

export function PUT(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Admin");
    const body = await readJsonBody(request);
    const jobs = await serverJobs();
    return json(await updateSettings(jobs.store, body, actorOf(request)));
  });
}
