/** POST /api/alerts/destinations/{id}/test (Admins): send a test message now; answers with its last attempt. */
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { sendTestAlert } from "@/lib/scan/alerts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>({ role: "Posture.Admin", query: [] }, async ({ params: { id }, store, actor }) => {
  const last = await sendTestAlert(store, id, actor);
  return json({ outcome: last.outcome, attempts: last.attempt, httpStatus: last.httpStatus, error: last.error });
});
