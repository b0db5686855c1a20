/** POST /api/alerts/rules (Admins): add a rule (201). */
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { createAlertRule } from "@/lib/store/alerts/rules";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ role: "Posture.Admin", query: [] }, async ({ request, store, actor }) =>
  json(await createAlertRule(store, await readJsonBody(request), actor), 201),
);
