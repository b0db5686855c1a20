/**
 * POST /api/snapshots: the snapshot file as the raw body (any of the four accepted shapes).
 * Too large → 413 while it streams; invalid → 400 naming the JSON path; either way nothing is
 * stored. Valid → 202 with the ID of the scan that evaluates it.
 */
import { parseUploadedSnapshot } from "@/lib/security/snapshot-input";
import { json, readBodyText, uploadLimit } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ role: "Posture.Operator" }, async ({ request, jobs, actor }) => {
  const text = await readBodyText(request, uploadLimit());
  const snapshot = parseUploadedSnapshot(text);
  const fileName = request.headers.get("x-file-name") ?? undefined;
  const scan = await jobs.importSnapshot(snapshot, { actor, bytes: Buffer.byteLength(text), fileName });
  return json({ id: scan.id }, 202, { location: `/api/scans/${scan.id}` });
});
