/**
 * POST /api/snapshots: the snapshot file as the raw body (any of the four accepted shapes).
 * The proxy does not run here (so Next.js does not buffer the body before the sign-in check):
 * the route makes the proxy's checks itself on the headers, then waits its turn (one upload at a
 * time), then streams the body to a private temp file (gunzipped when sent with `Content-Encoding:
 * gzip`), refusing (413) as soon as it passes the limit, and parses that file in slices in a
 * worker thread with its own memory limit. Invalid → 400 naming the JSON path; too costly → 413;
 * either way nothing is stored. Valid → 202 with the ID of the scan that evaluates it.
 * `?replacesLatest=true` lets the import become the latest posture; without it the import is kept
 * apart to compare (marked `origin: "import"`, not on the overview or the trend). The answer names
 * the latest posture scan it is compared with (`compareWith`), and the audit trail keeps the file's SHA-256.
 */
import { requireRole } from "@/lib/auth/principal";
import { serverJobs } from "@/lib/scan/jobs-server";
import { proxyChecks, withHeaders } from "@/lib/security/route-guard";
import { spoolBody } from "@/lib/security/upload-body";
import { oneUploadAtATime, parseSnapshotInWorker } from "@/lib/security/upload-parser";
import { latestSucceededScan } from "@/lib/store/scans/scans";
import { InvalidInputError } from "@/lib/store/errors";
import { actorOf, handle, json, onlyParams, uploadLimit } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const checked = await proxyChecks(request);
  if ("refusal" in checked) return checked.refusal;
  const answer = await handle(async () => {
    await requireRole(request, "Posture.Operator");
    const replacesLatest = replacesLatestParam(new URL(request.url).searchParams);
    const { snapshot, bytes, sha256 } = await oneUploadAtATime(async () => {
      // Spooled to a private temp file while streaming (hashed, gunzipped when sent gzip), never held whole.
      const body = await spoolBody(request, uploadLimit());
      try {
        return { snapshot: await parseSnapshotInWorker({ path: body.path }), bytes: body.bytes, sha256: body.sha256 };
      } finally {
        body.remove();
      }
    });
    const jobs = await serverJobs();
    const fileName = request.headers.get("x-file-name") ?? undefined;
    const compareWith = await latestSucceededScan(jobs.store);
    const scan = await jobs.importSnapshot(snapshot, { actor: actorOf(request), bytes, fileName, sha256, replacesLatest });
    return json({ id: scan.id, origin: scan.origin, replacesLatest, compareWith: compareWith?.id ?? null, sha256 }, 202, {
      location: `/api/scans/${scan.id}`,
    });
  });
  return withHeaders(answer, checked.headers);
}

/** `replacesLatest=true|false` (default false); any other query name or value is refused. */
function replacesLatestParam(search: URLSearchParams): boolean {
  onlyParams(search, ["replacesLatest"]);
  const v = search.get("replacesLatest");
  if (v === null || v === "false") return false;
  if (v === "true") return true;
  throw new InvalidInputError("replacesLatest", `expected true or false, got ${JSON.stringify(v)}`);
}
