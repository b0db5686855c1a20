/**
 * POST /api/snapshots: the snapshot file as the raw body (any of the four accepted shapes).
 * The proxy does not run here (so Next.js does not buffer the body before the sign-in check):
 * the route makes the proxy's checks itself on the headers, then waits its turn (one upload at a
 * time), then reads the body, refusing (413) as soon as it passes the limit, and parses it in a
 * worker thread with its own memory limit. Invalid → 400 naming the JSON path; too costly → 413;
 * either way nothing is stored. Valid → 202 with the ID of the scan that evaluates it.
 */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { proxyChecks, withHeaders } from "@/lib/security/route-guard";
import { readBodyBytes } from "@/lib/security/upload-body";
import { oneUploadAtATime, parseSnapshotInWorker } from "@/lib/security/upload-parser";
import { actorOf, handle, json, uploadLimit } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const checked = await proxyChecks(request);
  if ("refusal" in checked) return checked.refusal;
  const answer = await handle(async () => {
    await requireRole(request, "Posture.Operator");
    const { snapshot, bytes } = await oneUploadAtATime(async () => {
      const body = await readBodyBytes(request, uploadLimit());
      const size = body.byteLength;
      return { snapshot: await parseSnapshotInWorker(body), bytes: size };
    });
    const jobs = await serverJobs();
    const fileName = request.headers.get("x-file-name") ?? undefined;
    const scan = await jobs.importSnapshot(snapshot, { actor: actorOf(request), bytes, fileName });
    return json({ id: scan.id }, 202, { location: `/api/scans/${scan.id}` });
  });
  return withHeaders(answer, checked.headers);
}
