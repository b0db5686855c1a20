/** GET /api/alerts (Admins): the rules, the destinations (URLs and secrets masked) and the alert settings. */
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { listDestinations } from "@/lib/store/alerts/destinations";
import { listAlertRules } from "@/lib/store/alerts/rules";
import { getSettings } from "@/lib/store/settings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Admin", query: [] }, async ({ store }) => {
  const [rules, destinations, settings] = await Promise.all([listAlertRules(store), listDestinations(store), getSettings(store)]);
  return json({ rules, destinations, settings: { publicBaseUrl: settings.publicBaseUrl, alertPrivateNetworks: settings.alertPrivateNetworks } });
});
