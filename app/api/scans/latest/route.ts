/** GET /api/scans/latest: the newest succeeded scan (404 when there is none yet). */
import { NotFoundError } from "@/lib/store/errors";
import { scanView } from "@/lib/store/scans/view";
import { latestSucceededScan } from "@/lib/store/scans/scans";
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Reader", query: [] }, async ({ store }) => {
  const scan = await latestSucceededScan(store);
  if (!scan) throw new NotFoundError("Scan", "latest");
  return json(await scanView(store, scan));
});
