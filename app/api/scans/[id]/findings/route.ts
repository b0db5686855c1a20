/** GET /api/scans/{id}/findings: a filtered, sorted page of findings with facet counts. */
import { parseFindingsQuery } from "@/lib/store/findings/params";
import { queryFindings } from "@/lib/store/findings/query";
import { json } from "@/app/api/_lib/http";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// No `query` list: parseFindingsQuery refuses unknown parameters itself, naming them.
export const GET = route<{ id: string }>({ role: "Posture.Reader" }, async ({ params: { id }, search, store }) =>
  json(await queryFindings(store, id, parseFindingsQuery(search))),
);
