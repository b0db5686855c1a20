/**
 * GET /api/exceptions: active, expired and removed exceptions. POST: create one (201), or several
 * at once, all or none, with `{ "exceptions": [ … ] }` (201, `{ items }`).
 */
import { createException, createExceptions, listExceptions } from "@/lib/store/exceptions";
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { InvalidInputError } from "@/lib/store/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Reader", query: [] }, async ({ store }) => json(await listExceptions(store)));

export const POST = route({ role: "Posture.Operator" }, async ({ request, store, actor }) => {
  const body = await readJsonBody(request);
  if (body && typeof body === "object" && !Array.isArray(body) && Object.hasOwn(body, "exceptions")) {
    const list = (body as { exceptions: unknown }).exceptions;
    if (!Array.isArray(list)) throw new InvalidInputError("exceptions", "expected an array of exceptions");
    return json({ items: await createExceptions(store, list, actor) }, 201);
  }
  return json(await createException(store, body, actor), 201);
});
