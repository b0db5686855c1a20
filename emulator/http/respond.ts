/** Writing JSON responses with the headers ARM puts on every response. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorStats } from "./stats";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends a reply; counts its status unless `stats` is undefined (control endpoints stay out of the figures). */
export function sendJson(res: ServerResponse, stats: EmulatorStats | undefined, reply: Reply): void {
  const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
  const requestId = crypto.randomUUID();
  if (stats) stats.status[reply.status] = (stats.status[reply.status] ?? 0) + 1;
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache",
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": requestId,
    ...reply.headers,
  });
  res.end(text);
}

/** Reads a request body up to a limit; resolves undefined when it is larger. */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
