/** A request body as bytes (uploads, and every JSON body through readBodyText), refused (PayloadTooLargeError) as soon as more than the limit has arrived. */
import { PayloadTooLargeError } from "./upload-limit";

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
