/**
 * A real local alert receiver for tests: an HTTPS (or plain HTTP) server on 127.0.0.1 (or ::1)
 * with a certificate made for it, that records every request and answers by a script: each request
 * takes the next step ("ok", "fail" = 500, "hang" = never answers, "big" = a 1 MiB answer), the last
 * step repeating. It verifies the webhook signature itself when given the secret.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generateCertificate } from "@/emulator/certificate";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "@/lib/webhooks/signature";

export type Step = "ok" | "fail" | "hang" | "big";

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Whether the signature matched the secret (undefined: no secret given to the receiver). */
  signatureValid?: boolean;
}

export interface Receiver {
  url: string;
  /** The receiver's certificate (PEM), to trust as a destination's CA. */
  ca: string;
  received: ReceivedRequest[];
  script: Step[];
  close(): Promise<void>;
}

export async function startReceiver(options: { script?: Step[]; secret?: string; protocol?: "https" | "http"; host?: string } = {}): Promise<Receiver> {
  const script = options.script ?? ["ok"];
  const received: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const { key, cert } = await generateCertificate();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const sig = req.headers[SIGNATURE_HEADER];
      const ts = req.headers[TIMESTAMP_HEADER];
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        body,
        signatureValid: options.secret
          ? verifySignature(
              options.secret,
              { signature: typeof sig === "string" ? sig : undefined, timestamp: typeof ts === "string" ? ts : undefined },
              body,
              Math.floor(Date.now() / 1000),
            )
          : undefined,
      });
      const step = script[Math.min(received.length - 1, script.length - 1)];
      if (step === "hang") {
        hanging.add(res);
        return;
      }
      if (step === "fail") {
        res.writeHead(500, { "content-type": "text/plain" }).end("receiver is down");
        return;
      }
      if (step === "big") {
        res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(1024 * 1024));
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  };
  const server = options.protocol === "http" ? createHttpServer(handler) : createHttpsServer({ key, cert }, handler);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return {
    url: `${options.protocol ?? "https"}://${hostPart}:${port}/hook?token=t0ken`,
    ca: cert,
    received,
    script,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
