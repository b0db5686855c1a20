/**
 * One HTTPS POST of an alert: the connection goes only to addresses checked at that moment (the
 * host is resolved inside the connection and every address checked, so a name that changes its
 * answer after the save check, DNS rebinding, still cannot reach a refused address); a deadline
 * covers connecting, sending and reading; at most `maxResponseBytes` of the answer are read;
 * redirects are not followed.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request } from "node:https";
import type { LookupFunction } from "node:net";
import { DestinationRefusedError, ipLiteral, parseDestinationUrl, type AddressGate } from "./destination-url";

export interface PostOptions {
  /** The SSRF policy: asked about the URL's IP literal or every address its host resolves to. */
  gate: AddressGate;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Certificates to trust instead of the system's (a private receiver's own CA, PEM). */
  ca?: string;
  signal?: AbortSignal;
}

export interface PostResult {
  outcome: "delivered" | "failed" | "refused" | "timeout";
  httpStatus: number | null;
  /** What went wrong, in words (null when delivered). */
  error: string | null;
  /** The start of the answer, for the delivery log (at most 500 characters). */
  responseExcerpt: string | null;
  /** Seconds the receiver asked us to wait (Retry-After), when it did. */
  retryAfterSeconds: number | null;
}

/** A lookup that hands the socket only addresses the policy allows, and fails if any address is refused. */
function guardedLookup(gate: AddressGate): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const a of addresses) {
        const why = gate(a.address);
        if (why) return callback(new DestinationRefusedError(`${hostname} resolves to ${why}`), "", 0);
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), "", 0);
      const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
      else callback(null, wanted[0]?.address ?? addresses[0].address, wanted[0]?.family ?? addresses[0].family);
    });
  };
}

export function postOnce(urlText: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const result = (r: Partial<PostResult> & Pick<PostResult, "outcome">): PostResult => ({
    httpStatus: null,
    error: null,
    responseExcerpt: null,
    retryAfterSeconds: null,
    ...r,
  });
  let url: URL;
  try {
    url = parseDestinationUrl(urlText);
    const literal = ipLiteral(url);
    // An IP literal is connected to without a lookup: check it here.
    const why = literal ? options.gate(literal) : undefined;
    if (why) throw new DestinationRefusedError(why);
  } catch (error) {
    return Promise.resolve(result({ outcome: "refused", error: (error as Error).message }));
  }
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const req = request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: guardedLookup(options.gate),
      ca: options.ca,
      agent: false,
    });
    const timer = setTimeout(() => {
      finish(result({ outcome: "timeout", error: `no complete answer within ${options.timeoutMs} ms` }));
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish(result({ outcome: "failed", error: "cancelled" }));
      req.destroy();
    };
    options.signal?.addEventListener("abort", onAbort);
    req.on("error", (error) => {
      if (error instanceof DestinationRefusedError) finish(result({ outcome: "refused", error: error.message }));
      else finish(result({ outcome: "failed", error: `${(error as { code?: string }).code ?? "error"}: ${error.message}` }));
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let cut = false;
      const done = () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString("utf8");
        const retryAfter = Number(res.headers["retry-after"]);
        const ok = status >= 200 && status < 300;
        finish(
          result({
            outcome: ok ? "delivered" : "failed",
            httpStatus: status,
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `HTTP ${status}: redirects are not followed`
                : `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`,
            responseExcerpt: (text.slice(0, 500) + (cut ? " [cut at the size limit]" : "")).trim() || null,
            retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
          }),
        );
      };
      res.on("data", (chunk: Buffer) => {
        if (cut) return;
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          chunks.push(chunk.subarray(0, Math.max(0, options.maxResponseBytes - (size - chunk.length))));
          cut = true;
          done();
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", done);
      res.on("error", (error) => finish(result({ outcome: "failed", httpStatus: res.statusCode ?? null, error: `reading the answer: ${error.message}` })));
    });
    req.end(body);
  });
}
