/**
 * GET /api/scans/{id}/diff/export?against={otherId}&format=csv|json[&tenant=]: what changed from the other
 * scan to this one as a download, every change listed (up to 100,000 of each kind; the JSON says
 * `truncated` beyond that). Audited like the other exports.
 */
import { InvalidInputError } from "@/lib/store/errors";
import { diffScans } from "@/lib/store/history/diff";
import { parseTenantParam } from "@/lib/store/tenants";
import { requireScan } from "@/lib/store/scans/scans";
import { recordAudit } from "@/lib/store/audit";
import { diffToCsvLines, diffToJson } from "@/lib/report/diff-export";
import { fileNamePart } from "@/lib/report/export-names";
import { downloadResponse } from "@/app/api/_lib/download";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const FORMATS = ["csv", "json"] as const;
const EXPORT_LIMIT = 100_000;

export const GET = route<{ id: string }>(
  { role: "Posture.Reader", query: ["against", "format", "tenant"] },
  async ({ params: { id }, search, store, actor }) => {
    const against = search.get("against")?.trim();
    if (!against) throw new InvalidInputError("against", "is required: the ID of the scan to compare with");
    const format = search.get("format");
    if (format !== "csv" && format !== "json") throw new InvalidInputError("format", `expected one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
    const tenant = parseTenantParam(search.get("tenant"));
    const diff = await diffScans(store, id, against, { limit: EXPORT_LIMIT, ...(tenant ? { tenant } : {}) });
    const [to, from] = await Promise.all([requireScan(store, id), requireScan(store, against)]);
    await recordAudit(store, { actor, action: "report.exported", target: id, details: { format: `diff-${format}`, against, ...(tenant ? { tenant } : {}) } });
    const filename = `speech-posture-diff-${fileNamePart(against)}-to-${fileNamePart(id)}${tenant ? `-tenant-${tenant}` : ""}.${format}`;
    return downloadResponse(
      format === "csv"
        ? { body: diffToCsvLines(diff), contentType: "text/csv; charset=utf-8", filename }
        : { body: diffToJson(diff, from, to), contentType: "application/json; charset=utf-8", filename },
    );
  },
);
