/**
 * POST /api/snapshots: the snapshot file as the raw body (any of the four accepted shapes).
 * Too large → 413 while it streams; invalid → 400 naming the JSON path; either way nothing is
 * stored. Valid → 202 with the ID of the scan that evaluates it.
 */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { parseUploadedSnapshot } from "@/lib/security/snapshot-input";
import { actorOf, handle, json, readBodyText, uploadLimit } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handle(async () => {
    await requireRole(request, "Posture.Operator");
    const text = await readBodyText(request, uploadLimit());
    const snapshot = parseUploadedSnapshot(text);
    const jobs = await serverJobs();
    const fileName = request.headers.get("x-file-name") ?? undefined;
    const scan = await jobs.importSnapshot(snapshot, { actor: actorOf(request), bytes: Buffer.byteLength(text), fileName });
    return json({ id: scan.id }, 202, { location: `/api/scans/${scan.id}` });
  });
}
