/**
 * POST /api/scans/{id}/findings/exceptions?<findings filters>: one exception per failing or unknown
 * finding the filters match that no exception mutes yet (at most 200), scoped to its control and
 * resource; body `{ owner, reason, expiresAt }`. All or none; 201 with `{ items }`.
 */
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { createExceptionsForFindings } from "@/lib/store/findings/bulk-exceptions";
import { json, readJsonBody } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";
import { InvalidInputError } from "@/lib/store/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>({ role: "Posture.Operator" }, async ({ params: { id }, search, request, store, actor }) => {
  const query = parseFindingsQuery(search);
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("body", "expected { owner, reason, expiresAt }");
  const { owner, reason, expiresAt } = body as Record<string, unknown>;
  return json({ items: await createExceptionsForFindings(store, id, query, { owner, reason, expiresAt }, actor) }, 201);
});
