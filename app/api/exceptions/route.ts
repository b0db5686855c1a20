/** GET /api/exceptions: active, expired and removed exceptions. POST: create one (201). */
import { createException, listExceptions } from "@/lib/store/exceptions";
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Reader", query: [] }, async ({ store }) => json(await listExceptions(store)));

export const POST = route({ role: "Posture.Operator" }, async ({ request, store, actor }) =>
  json(await createException(store, await readJsonBody(request), actor), 201),
);
