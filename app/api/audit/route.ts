/** GET /api/audit?limit=&beforeId=&action=&actor=: the audit trail, newest first. */
import { listAudit } from "@/lib/store/audit";
import { intParam, json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Admin", query: ["limit", "beforeId", "action", "actor"] }, async ({ store, search }) => {
  const items = await listAudit(store, {
    limit: intParam(search, "limit", 1, 1000),
    beforeId: intParam(search, "beforeId", 0, Number.MAX_SAFE_INTEGER),
    action: search.get("action") || undefined,
    actor: search.get("actor") || undefined,
  });
  return json({ items });
});
