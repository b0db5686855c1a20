/**
 * PATCH /api/exceptions/{id}: edit or renew an exception ({ owner?, reason?, expiresAt? }; audited as
 * old → new). DELETE: remove it (it stays listed as removed, for the audit).
 */
import { removeException, updateException } from "@/lib/store/exceptions";
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route<{ id: string }>({ role: "Posture.Operator", query: [] }, async ({ params: { id }, request, store, actor }) =>
  json(await updateException(store, id, await readJsonBody(request), actor)),
);

export const DELETE = route<{ id: string }>({ role: "Posture.Operator" }, async ({ params: { id }, store, actor }) =>
  json(await removeException(store, id, actor)),
);
