/** DELETE /api/exceptions/{id}: remove an exception (it stays listed as removed, for the audit). */
import { removeException } from "@/lib/store/exceptions";
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>({ role: "Posture.Operator" }, async ({ params: { id }, store, actor }) =>
  json(await removeException(store, id, actor)),
);
