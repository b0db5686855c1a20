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

/** Bytes per chunk sent: fewer, larger writes than one per piece. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Text pieces as a byte stream, produced only as fast as the client reads. Asynchronous pieces
 * (an export read from the store as it is sent) are awaited; if producing them fails, the stream
 * errors and the response ends unfinished, so a client never takes a cut-off file for a whole one.
 * Each piece is encoded straight into the chunk being filled: joining pieces into one long string
 * first would make V8 copy it into a flat string in its large-object space, which costs several
 * times what encoding does. Each piece is encoded alone, so a piece must not end inside a
 * surrogate pair (JSON, CSV and OCSF pieces are whole values or whole lines).
 */
export function textStream(pieces: Iterable<string> | AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: Iterator<string> | AsyncIterator<string> | undefined;
  /** What is left of a piece that did not fit in the last chunk. */
  let pending = "";
  const open = () =>
    Symbol.asyncIterator in pieces ? (pieces as AsyncIterable<string>)[Symbol.asyncIterator]() : (pieces as Iterable<string>)[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= open();
      const chunk = new Uint8Array(CHUNK_BYTES);
      let used = 0;
      for (;;) {
        if (pending === "") {
          const next = await iterator.next();
          if (next.done) {
            if (used > 0) controller.enqueue(chunk.subarray(0, used));
            controller.close();
            return;
          }
          pending = next.value;
          continue;
        }
        // encodeInto stops before a character that does not fit whole, never inside one.
        const { read, written } = encoder.encodeInto(pending, chunk.subarray(used));
        used += written;
        pending = read === pending.length ? "" : pending.slice(read);
        // A full chunk goes at once, without waiting for the next piece (which may wait on the store).
        if (pending !== "" || used === CHUNK_BYTES) {
          controller.enqueue(chunk.subarray(0, used));
          return;
        }
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
