/** DELETE /api/alerts/rules/{id} (Admins): remove a rule. */
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { removeAlertRule } from "@/lib/store/alerts/rules";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>({ role: "Posture.Admin", query: [] }, async ({ params: { id }, store, actor }) => {
  await removeAlertRule(store, id, actor);
  return json({ removed: id });
});
