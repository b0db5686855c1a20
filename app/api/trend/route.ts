/** GET /api/trend?limit=&source=&tenant=: score over the last scans, for the estate (or one tenant of it) and each subscription. */
import { InvalidInputError } from "@/lib/store/errors";
import { scoreTrend } from "@/lib/store/history/trend";
import { parseTenantParam } from "@/lib/store/tenants";
import type { ScanSource } from "@/lib/store/db/schema";
import { intParam, json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ role: "Posture.Reader", query: ["limit", "source", "tenant"] }, async ({ store, search }) => {
  const source = search.get("source") || undefined;
  if (source && !["live", "emulator", "snapshot"].includes(source)) throw new InvalidInputError("source", 'expected "live", "emulator" or "snapshot"');
  const tenant = parseTenantParam(search.get("tenant"));
  return json(await scoreTrend(store, { limit: intParam(search, "limit", 1, 500), source: source as ScanSource | undefined, ...(tenant ? { tenant } : {}) }));
});
