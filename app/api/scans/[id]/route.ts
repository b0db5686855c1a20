/** GET /api/scans/{id}: one scan (muted count as of now). DELETE: cancel it. */
import { scanView } from "@/lib/store/scans/view";
import { requireScan } from "@/lib/store/scans/scans";
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>({ role: "Posture.Reader" }, async ({ params: { id }, store }) =>
  json(await scanView(store, await requireScan(store, id))),
);

export const DELETE = route<{ id: string }>({ role: "Posture.Operator" }, async ({ params: { id }, jobs, actor }) => json(await jobs.cancel(id, actor), 202));
