/**
 * The emulator's self-signed TLS certificate, made fresh at every start (selfsigned v5 is async and
 * defaults to SHA-1, so SHA-256 is asked for). Clients trust it per client (`tlsOptions: { ca }`);
 * nothing here or in the clients turns verification off.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { generate } from "selfsigned";

export interface EmulatorCertificate {
  key: string;
  cert: string;
}

export async function generateCertificate(): Promise<EmulatorCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: "commonName", value: "speech-posture emulator" }], {
    algorithm: "sha256",
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 90 * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Writes `<dir>/cert.pem` (write then rename: a reader never sees half a certificate); returns its absolute path. */
export function writeCertificate(dir: string, cert: string): string {
  mkdirSync(dir, { recursive: true });
  const caPath = resolve(dir, "cert.pem");
  const tmp = `${caPath}.${process.pid}.tmp`;
  writeFileSync(tmp, cert);
  renameSync(tmp, caPath);
  return caPath;
}
