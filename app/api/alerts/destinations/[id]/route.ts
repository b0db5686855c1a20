/** DELETE /api/alerts/destinations/{id} (Admins): remove a destination no rule uses (409 names the rules that do). */
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { removeDestination } from "@/lib/store/alerts/destinations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>({ role: "Posture.Admin", query: [] }, async ({ params: { id }, store, actor }) => {
  await removeDestination(store, id, actor);
  return json({ removed: id });
});
