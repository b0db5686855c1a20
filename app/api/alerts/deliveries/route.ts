/** GET /api/alerts/deliveries?limit=&destinationId= (Admins): the delivery log, newest attempt first. */
import { intParam, json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { listDeliveries } from "@/lib/store/alerts/deliveries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Admin", query: ["limit", "destinationId"] }, async ({ search, store }) =>
  json({ items: await listDeliveries(store, { limit: intParam(search, "limit", 1, 1000) ?? 100, destinationId: search.get("destinationId") ?? undefined }) }),
);
