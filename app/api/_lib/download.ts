/** A file download: the right type, a safe attachment name, and never cached. */
import type { Download } from "../../../lib/scan/reports";

export function downloadResponse(file: Download): Response {
  const name = file.filename.replace(/[^A-Za-z0-9._-]+/g, "_");
  const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
