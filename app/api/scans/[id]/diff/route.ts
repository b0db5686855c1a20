/** GET /api/scans/{id}/diff?against={otherId}[&limit=][&tenant=]: what changed from the other scan to this one (in one tenant of an estate with `tenant`). */
import { InvalidInputError } from "@/lib/store/errors";
import { diffScans } from "@/lib/store/history/diff";
import { parseTenantParam } from "@/lib/store/tenants";
import { intParam, json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>({ role: "Posture.Reader", query: ["against", "limit", "tenant"] }, async ({ params: { id }, search, store }) => {
  const against = search.get("against")?.trim();
  if (!against) throw new InvalidInputError("against", "is required: the ID of the scan to compare with");
  const tenant = parseTenantParam(search.get("tenant"));
  return json(await diffScans(store, id, against, { limit: intParam(search, "limit", 0, 100_000), ...(tenant ? { tenant } : {}) }));
});
