/** POST /api/alerts/destinations (Admins): add a destination (201); its URL is checked against the SSRF policy first. */
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { verifyDestinationUrl } from "@/lib/scan/alerts";
import { createDestination } from "@/lib/store/alerts/destinations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ role: "Posture.Admin", query: [] }, async ({ request, store, actor }) =>
  json(await createDestination(store, await readJsonBody(request), actor, (url) => verifyDestinationUrl(store, url)), 201),
);
