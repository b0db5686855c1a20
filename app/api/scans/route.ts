/** GET /api/scans: scans, newest first. POST /api/scans: start a scan (202 with its id; 409 if its scope is busy). */
import { InvalidInputError } from "@/lib/store/errors";
import { listScans } from "@/lib/store/scans/scans";
import type { ScanStatus } from "@/lib/store/db/schema";
import { intParam, json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const STATUSES: ScanStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export const GET = route({ role: "Posture.Reader", query: ["status", "limit", "before"] }, async ({ store, search }) => {
  const status = search.get("status")?.split(",").filter(Boolean) as ScanStatus[] | undefined;
  status?.forEach((s) => {
    if (!STATUSES.includes(s)) throw new InvalidInputError("status", `unknown value ${JSON.stringify(s)}; expected one of ${STATUSES.join(", ")}`);
  });
  const before = search.get("before") ?? undefined;
  if (before !== undefined && Number.isNaN(Date.parse(before))) throw new InvalidInputError("before", "expected an ISO-8601 time");
  return json({ items: await listScans(store, { status, limit: intParam(search, "limit", 1, 500), before }) });
});

export const POST = route({ role: "Posture.Operator" }, async ({ request, jobs, actor }) => {
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (key !== "source" && key !== "subscriptions") throw new InvalidInputError(key, "unknown field; expected source, subscriptions");
  if (b.source !== undefined && b.source !== "live" && b.source !== "emulator") throw new InvalidInputError("source", 'expected "live" or "emulator"');
  if (b.subscriptions !== undefined && (!Array.isArray(b.subscriptions) || b.subscriptions.some((s) => typeof s !== "string"))) {
    throw new InvalidInputError("subscriptions", "expected an array of subscription IDs");
  }
  const scan = await jobs.start({ source: b.source as "live" | "emulator" | undefined, subscriptions: b.subscriptions as string[] | undefined, actor });
  return json({ id: scan.id }, 202, { location: `/api/scans/${scan.id}` });
});
