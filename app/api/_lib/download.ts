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

/**
 * Text pieces as a byte stream, produced only as fast as the client reads. Asynchronous pieces
 * (an export read from the store as it is sent) are awaited; if producing them fails, the stream
 * errors and the response ends unfinished, so a client never takes a cut-off file for a whole one.
 */
export function textStream(pieces: Iterable<string> | AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: Iterator<string> | AsyncIterator<string> | undefined;
  const open = () =>
    Symbol.asyncIterator in pieces ? (pieces as AsyncIterable<string>)[Symbol.asyncIterator]() : (pieces as Iterable<string>)[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= open();
      let text = "";
      while (text.length < CHUNK_CHARS) {
        const next = await iterator.next();
        if (next.done) {
          if (text !== "") controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += next.value;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
