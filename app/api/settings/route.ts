/** GET /api/settings; PUT /api/settings { scheduleCron?, scheduleSource?, retentionKeep?, exceptionMaxDays? }. */
import { getSettings, updateSettings } from "@/lib/store/settings";
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Admin" }, async ({ store }) => json(await getSettings(store)));

export const PUT = route({ role: "Posture.Admin" }, async ({ request, store, actor }) => json(await updateSettings(store, await readJsonBody(request), actor)));
