/** A file download: the right type, a safe attachment name, and never cached. */
import type { Download } from "@/lib/scan/reports";

export function downloadResponse(file: Download): Response {
  const name = file.filename.replace(/[^A-Za-z0-9._-]+/g, "_");
  const body = typeof file.body === "string" ? file.body : Buffer.isBuffer(file.body) ? new Uint8Array(file.body) : textStream(file.body);
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

/** Bytes of at least this many characters per chunk sent: fewer, larger writes than one per line. */
const CHUNK_CHARS = 256 * 1024;

/** Text pieces as a byte stream, produced only as fast as the client reads. */
export function textStream(pieces: Iterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: Iterator<string> | undefined;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      iterator ??= pieces[Symbol.iterator]();
      let text = "";
      while (text.length < CHUNK_CHARS) {
        const next = iterator.next();
        if (next.done) {
          if (text !== "") controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += next.value;
      }
      controller.enqueue(encoder.encode(text));
    },
    cancel() {
      iterator?.return?.();
    },
  });
}
