/** GET /api/resources/{resourceId}?scan=: one resource's documents, findings and history across scans. */
import { InvalidInputError } from "@/lib/store/errors";
import { resourceDetail } from "@/lib/store/resource-detail";
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ resourceId: string[] }>({ role: "Posture.Reader", query: ["scan"] }, async ({ params: { resourceId }, search, store }) => {
  let id: string;
  try {
    id = "/" + resourceId.map((s) => decodeURIComponent(s)).join("/");
  } catch {
    throw new InvalidInputError("resourceId", "is not validly percent-encoded");
  }
  return json(await resourceDetail(store, id, { scanId: search.get("scan") || undefined }));
});
