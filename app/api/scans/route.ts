/** GET /api/scans: scans, newest first. POST /api/scans: start a scan (202 with its id; 409 if its scope is busy). */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { InvalidInputError } from "@/lib/store/errors";
import { listScans } from "@/lib/store/scans/scans";
import type { ScanStatus } from "@/lib/store/db/schema";
import { actorOf, handle, intParam, json, onlyParams, readJsonBody } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const STATUSES: ScanStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Reader");
    const params = new URL(request.url).searchParams;
    onlyParams(params, ["status", "limit", "before"]);
    const status = params.get("status")?.split(",").filter(Boolean) as ScanStatus[] | undefined;
    status?.forEach((s) => {
      if (!STATUSES.includes(s)) throw new InvalidInputError("status", `unknown value ${JSON.stringify(s)}; expected one of ${STATUSES.join(", ")}`);
    });
    const before = params.get("before") ?? undefined;
    if (before !== undefined && Number.isNaN(Date.parse(before))) throw new InvalidInputError("before", "expected an ISO-8601 time");
    const jobs = await serverJobs();
    const scans = await listScans(jobs.store, { status, limit: intParam(params, "limit", 1, 500), before });
    return json({ items: scans });
  });
}

export function POST(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Operator");
    const body = await readJsonBody(request);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected a JSON object");
    const b = body as Record<string, unknown>;
    for (const key of Object.keys(b))
      if (key !== "source" && key !== "subscriptions") throw new InvalidInputError(key, "unknown field; expected source, subscriptions");
    if (b.source !== undefined && b.source !== "live" && b.source !== "emulator") throw new InvalidInputError("source", 'expected "live" or "emulator"');
    if (b.subscriptions !== undefined && (!Array.isArray(b.subscriptions) || b.subscriptions.some((s) => typeof s !== "string"))) {
      throw new InvalidInputError("subscriptions", "expected an array of subscription IDs");
    }
    const jobs = await serverJobs();
    const scan = await jobs.start({
      source: b.source as "live" | "emulator" | undefined,
      subscriptions: b.subscriptions as string[] | undefined,
      actor: actorOf(request),
    });
    return json({ id: scan.id }, 202, { location: `/api/scans/${scan.id}` });
  });
}
