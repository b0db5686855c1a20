/**
 * Request bodies with a size limit enforced while they stream: as bytes (every JSON body through
 * readBodyText) or, for the snapshot upload, spooled to a private temp file (`spoolBody`) so that
 * a large upload an operator allowed is never held in memory, with its SHA-256 taken on the way
 * and gzip `Content-Encoding` decompressed on the way (the limit then applies to both sizes).
 */
import { createHash } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { SnapshotInputError } from "@/lib/posture/input-error";
import { PayloadTooLargeError, UnsupportedEncodingError } from "./upload-limit";

export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(limit);
    }
    parts.push(value);
  }
  // One fresh buffer the parse worker can take over whole.
  const out = new Uint8Array(new ArrayBuffer(received));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** An upload written to a private temp file: remove() deletes it (and its folder). */
export interface SpooledBody {
  readonly path: string;
  /** The size of the file (after decompression). */
  readonly bytes: number;
  /** SHA-256 of the file (after decompression), hex. */
  readonly sha256: string;
  remove(): void;
}

/** The Content-Encoding values the upload accepts. */
const ENCODINGS = new Set(["identity", "gzip", "x-gzip"]);

/** Passes chunks on while at most `limit` bytes have gone through; PayloadTooLargeError past it. */
function limited(limit: number, seen?: (chunk: Buffer) => void): Transform & { total: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.total += chunk.length;
      if (t.total > limit) return done(new PayloadTooLargeError(limit));
      seen?.(chunk);
      done(null, chunk);
    },
  }) as Transform & { total: number };
  t.total = 0;
  return t;
}

/**
 * Streams the body to a temp file under `dir` (mode 0600, in its own 0700 folder), refusing (413)
 * as soon as more than `limit` bytes have arrived or, for gzip, been decompressed; an unknown
 * Content-Encoding is refused (415) before a byte is read, and a body that is not valid gzip is a
 * SnapshotInputError (400). On any error the file is removed.
 */
export async function spoolBody(request: Request, limit: number, dir = tmpdir()): Promise<SpooledBody> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase() || "identity";
  if (!ENCODINGS.has(encoding)) throw new UnsupportedEncodingError(encoding);
  const folder = mkdtempSync(join(dir, "speech-posture-upload-"));
  const path = join(folder, "snapshot.json");
  const remove = () => rmSync(folder, { recursive: true, force: true });
  const hash = createHash("sha256");
  const file = limited(limit, (chunk) => hash.update(chunk));
  try {
    const source = request.body ? Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>) : Readable.from([]);
    const sink = createWriteStream(path, { flags: "wx", mode: 0o600 });
    if (encoding === "identity") await pipeline(source, file, sink);
    else {
      await pipeline(source, limited(limit), createGunzip(), file, sink).catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("Z_")) {
          throw new SnapshotInputError("", `the body is not valid gzip (${(error as Error).message}); send the snapshot file itself or gzip it whole`);
        }
        throw error;
      });
    }
    return { path, bytes: file.total, sha256: hash.digest("hex"), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
